package dev.rolesynth.rolemrc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.core.Draws;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.pipeline.DistinctNames.Naming;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import dev.rolesynth.pool.MrcItem;
import dev.rolesynth.pool.TextPersona;
import dev.rolesynth.retrieval.Words;
import dev.rolesynth.rolemrc.RoleMrc.Made;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import dev.rolesynth.rolemrc.RoleMrc.ProfileAnswer;
import dev.rolesynth.rolemrc.RoleMrc.Task;
import dev.rolesynth.rolemrc.RoleMrc.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * RoleMRC's stages: what each reads from its record, the checks its answers must pass, what it
 * makes of them.
 */
final class Stages {
  private Stages() {}

  /** The answers' shapes, as their schemas in pipelines/rolemrc/ give them. */
  record ChatAnswer(List<Turn> turns) {}

  record MrcAnswer(String answer, String refusal) {}

  /**
   * The persona's profile; asked again, with the run's names taken, for a role whose name another
   * (of a smaller id) already has.
   */
  static Stage<Naming<TextPersona>, Profile> profile(RoleMrcSettings s) {
    return Stage.<Naming<TextPersona>>asking(
            "rolemrc_profile",
            s,
            n -> Map.of("persona", n.subject().text(), "taken", n.takenText()))
        .reading(ProfileAnswer.class, (n, a) -> new Profile(n.subject(), a, 0))
        .checkedBy(Stages::profileProblem);
  }

  /** A name taken in the run (when asked again), or fewer than three staged speech examples. */
  static String profileProblem(Naming<TextPersona> n, JsonNode a) {
    String name = n.problem(a.get("name").asText());
    if (name != null) {
      return name;
    }
    long staged =
        Answers.as(a, ProfileAnswer.class).speechExamples().stream()
            .filter(e -> Text.ACTION.matcher(e).find())
            .count();
    return staged >= 3
        ? null
        : "at least three speech examples must carry a stage direction in parentheses, e.g. (laughs)";
  }

  /** A free chat, or an on-scene chat about the most relevant item's passages. */
  static Stage<Task, Made> chat(RoleMrcSettings s, String stage) {
    return Stage.<Task>asking(stage, s, t -> chatInput(s, t))
        .reading(ChatAnswer.class, (t, a) -> new Made(t, t.kind(), a.turns(), "", "", 0))
        .checkedBy((t, a) -> chatProblem(s, t, a));
  }

  private static Vars chatInput(RoleMrcSettings s, Task t) {
    return common(t)
        .with(
            "scene",
            t.kind().equals("free")
                ? "a casual conversation about the role's life, work and interests"
                : "the user shows "
                    + t.m().profile().name()
                    + " these passages and they talk about them:\n"
                    + passages(t))
        .with("turns", turns(s, t))
        .with("firstSpeaker", t.roleFirst() ? "role" : "user");
  }

  /**
   * --chatTurns, one fewer where the user would have the last word: a training conversation ends
   * with the role.
   */
  static int turns(RoleMrcSettings s, Task t) {
    return ((s.opt.chatTurns() - 1) % 2 == 0) == t.roleFirst()
        ? s.opt.chatTurns()
        : s.opt.chatTurns() - 1;
  }

  static String chatProblem(RoleMrcSettings s, Task t, JsonNode a) {
    JsonNode turns = a.get("turns");
    if (turns.size() != turns(s, t)) {
      return "write exactly " + turns(s, t) + " turns, not " + turns.size();
    }
    List<String> roleLines = new ArrayList<>();
    for (int i = 0; i < turns.size(); i++) {
      String want = (i % 2 == 0) == t.roleFirst() ? "role" : "user";
      if (!turns.get(i).get("speaker").asText().equals(want)) {
        return "turn "
            + (i + 1)
            + " must be spoken by the "
            + want
            + ": the speakers alternate, the "
            + (t.roleFirst() ? "role" : "user")
            + " first";
      }
      if (want.equals("role")) {
        roleLines.add(turns.get(i).get("text").asText());
      }
    }
    return Text.narrationProblem(t.narration(), roleLines);
  }

  /** The role answering and declining one question, its most or its least relevant item's. */
  static Stage<Task, Made> mrc(RoleMrcSettings s) {
    return Stage.<Task>asking("rolemrc_mrc", s, Stages::mrcInput)
        .reading(
            MrcAnswer.class, (t, a) -> new Made(t, t.kind(), List.of(), a.answer(), a.refusal(), 0))
        .checkedBy(Stages::mrcProblem)
        .keyedBy(Task::kind);
  }

  private static Vars mrcInput(Task t) {
    return common(t)
        .with("passages", passages(t))
        .with("query", t.match().item().query())
        .with(
            "reference",
            t.match().item().answerable() ? t.match().item().answer() : MrcItem.NO_ANSWER)
        .with(
            "declineReason",
            t.kind().equals("least")
                ? "the question lies beyond what the role knows (see its knowledge boundaries)"
                : t.match().item().answerable()
                    ? "the role has been told not to discuss this question"
                    : "the passages do not hold the answer");
  }

  static String mrcProblem(Task t, JsonNode a) {
    String answer = a.get("answer").asText();
    String refusal = a.get("refusal").asText();
    String reference = t.match().item().answer();
    if (t.kind().equals("most")
        && t.match().item().answerable()
        && Words.share(reference, answer) < 0.3) {
      return "\"answer\" must answer the question with the reference answer's content";
    }
    if (!reference.isEmpty() && Words.sharedRun(reference, refusal, 5) != null) {
      return "\"refusal\" must not give the answer (it contains \""
          + Words.sharedRun(reference, refusal, 5)
          + "\")";
    }
    return Text.narrationProblem(t.narration(), List.of(answer, refusal));
  }

  /** The most relevant answer rewritten under a system-level rule: the nested instruction task. */
  static Stage<Made, Made> nested(RoleMrcSettings s) {
    return Stage.<Made>asking(
            "rolemrc_nested",
            s,
            m ->
                common(m.task())
                    .with("query", m.task().match().item().query())
                    .with("answer", m.answer())
                    .with("rule", rule(s, m.task()).text())
                    .with("passages", passages(m.task())))
        .giving(
            (m, a) ->
                new Made(m.task(), "nested", List.of(), Answers.text(a, "reply"), m.answer(), 0))
        .checkedBy((m, a) -> ruleProblem(s, m.task(), Answers.text(a, "reply")));
  }

  /**
   * A nested task's rule, a sentence without its full stop: the system turn's second sentence,
   * where the authors' judge reads it ({@code system.split(". ")[1]}). Content rules (ours: about
   * how the reply uses the passages) or format rules, half each, one per role, fixed by the seed.
   */
  record Rule(boolean content, String text) {}

  static Rule rule(RoleMrcSettings s, Task t) {
    if (Draws.coin(s.seed, t.id(), "rule", "kind")) {
      return new Rule(
          true,
          Draws.index(2, s.seed, t.id(), "rule") == 0
              ? "You must name the passage you draw on by its number, as [1]"
              : "You love to quote the passage you draw on word for word, in double quotes");
    }
    return new Rule(
        false,
        switch (Draws.index(3, s.seed, t.id(), "rule")) {
          case 0 -> "You must reply in at most 40 words";
          case 1 -> "You must begin your reply with \"" + t.m().profile().name() + ":\"";
          default -> "You must end your reply with a question to the user";
        });
  }

  private static final Pattern CITED = Pattern.compile("\\[(\\d+)]");
  private static final Pattern QUOTED = Pattern.compile("[\"\u201c]([^\"\u201d]+)[\"\u201d]");

  static String ruleProblem(RoleMrcSettings s, Task t, String reply) {
    String rule = rule(s, t).text();
    List<String> passages = t.match().item().passages();
    boolean kept =
        rule.contains("by its number")
            ? CITED
                .matcher(reply)
                .results()
                .map(r -> Integer.parseInt(r.group(1)))
                .anyMatch(n -> n >= 1 && n <= passages.size())
            : rule.contains("word for word")
                ? QUOTED
                    .matcher(reply)
                    .results()
                    .map(r -> squeeze(r.group(1)))
                    .anyMatch(
                        q ->
                            Words.of(q).size() >= 4
                                && squeeze(String.join(" ", passages)).contains(q))
                : rule.contains("at most 40 words")
                    ? Words.of(reply).size() <= 40
                    : rule.contains("begin your reply")
                        ? reply.startsWith(t.m().profile().name() + ":")
                        : reply.strip().endsWith("?");
    return kept ? null : "the reply must follow the rule: " + rule;
  }

  private static String squeeze(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
  }

  private static Vars common(Task t) {
    return Vars.of()
        .with("profile", t.m().profile().text())
        .with("name", t.m().profile().name())
        .with("narration", t.narration() ? Text.WITH : Text.NONE);
  }

  static String passages(Task t) {
    List<String> p = t.match().item().passages();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < p.size(); i++) {
      out.append(i == 0 ? "" : "\n").append('[').append(i + 1).append("] ").append(p.get(i));
    }
    return out.toString();
  }
}
