package dev.rolesynth.lima;

import dev.rolesynth.lima.Lima.Annotated;
import dev.rolesynth.lima.Lima.Annotation;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.lima.Lima.Judged;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.pipeline.Stage;
import dev.rolesynth.pipeline.Vars;
import dev.rolesynth.retrieval.Words;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** LIMA-Role's LLM stages: the self-prompt annotation and the optional Jekyll & Hyde comparison. */
final class LimaTasks {
  private LimaTasks() {}

  /**
   * The one annotation call: the most suitable expert role, its role-setting prompt and its
   * feedback.
   */
  static Stage<Item, Annotated> annotate(LimaRoleSettings s) {
    return Stage.<Item>asking(
            "lima_role",
            s,
            item ->
                Vars.of(item)
                    .with("minChars", s.opt.minPromptChars())
                    .with("maxChars", s.opt.maxPromptChars()))
        // the answer's shape is the annotation's: {role, rolePrompt, feedback}
        .reading(Annotation.class, (item, a) -> new Annotated(item, a, null, 0))
        .checkedBy(
            (item, a) ->
                problem(
                    s,
                    item,
                    a.get("role").asText(),
                    a.get("rolePrompt").asText(),
                    a.get("feedback").asText()));
  }

  /** Jekyll: the answer given with the role-setting prompt and its feedback before the question. */
  static Stage<Annotated, Annotated> answerInRole(LimaRoleSettings s) {
    return Stage.<Annotated>chatting(
            "lima_answer_role",
            s,
            a ->
                List.of(
                    ChatMessage.user(a.annotation().rolePrompt()),
                    ChatMessage.assistant(a.annotation().feedback()),
                    ChatMessage.user(a.item().question())))
        .giving((a, j) -> a.withJudged(new Judged(Answers.text(j, "answer"), null, null, null)));
  }

  /** Hyde: the answer given with a neutral system prompt. */
  static Stage<Annotated, Annotated> answerNeutrally(LimaRoleSettings s) {
    return Stage.<Annotated>chatting(
            "lima_answer_neutral",
            s,
            a ->
                List.of(
                    ChatMessage.system(s.system("lima_answer_neutral", Map.of())),
                    ChatMessage.user(a.item().question())))
        .giving((a, j) -> a.withJudged(a.judged().withNeutralAnswer(Answers.text(j, "answer"))));
  }

  /**
   * The judge, once per order: with {@code roleFirst} the role answer is A, otherwise B, so that a
   * judge who prefers a position cannot make a winner on its own.
   */
  static Stage<Annotated, Annotated> compare(LimaRoleSettings s, boolean roleFirst) {
    return Stage.<Annotated>asking(
            roleFirst ? "lima_judge_role_first" : "lima_judge_neutral_first",
            s,
            a ->
                Map.of(
                    "question",
                    a.item().question(),
                    "a",
                    roleFirst ? a.judged().roleAnswer() : a.judged().neutralAnswer(),
                    "b",
                    roleFirst ? a.judged().neutralAnswer() : a.judged().roleAnswer()))
        .giving(
            (a, j) -> {
              String v = verdict(roleFirst, j.get("winner").asText());
              Judged was = a.judged();
              return a.withJudged(roleFirst ? was.withRoleFirst(v) : was.withNeutralFirst(v));
            });
  }

  /** The verdict in terms of the answers: A or B mapped back to role or neutral. */
  static String verdict(boolean roleFirst, String winner) {
    return switch (winner) {
      case "A" -> roleFirst ? "role" : "neutral";
      case "B" -> roleFirst ? "neutral" : "role";
      default -> "tie";
    };
  }

  /**
   * Why an annotation is unusable, or null: it must name a role that its prompt casts, stay within
   * the length bounds, not answer the question, and be in the question's language.
   */
  static String problem(
      LimaRoleSettings s, Item item, String role, String prompt, String feedback) {
    if (role.isBlank() || words(role).isEmpty()) {
      return "\"role\" must name the expert, e.g. \"an experienced tax accountant\"";
    }
    if (words(role).size() > 12) {
      return "\"role\" must be a short name for the expert, at most 12 words";
    }
    Set<String> cast = words(prompt);
    if (words(role).stream().noneMatch(cast::contains) && !prompt.contains(role.strip())) {
      return "the role prompt must cast the assistant as the role it names (\""
          + role.strip()
          + "\")";
    }
    int len = length(prompt.strip());
    if (len < s.opt.minPromptChars() || len > s.opt.maxPromptChars()) {
      return "the role prompt must be "
          + s.opt.minPromptChars()
          + " to "
          + s.opt.maxPromptChars()
          + " characters long, not "
          + len;
    }
    if (feedback.isBlank() || length(feedback.strip()) > s.opt.maxPromptChars()) {
      return "\"feedback\" must be a short in-role acknowledgement";
    }
    String answered = answers(item, prompt + "\n" + feedback);
    if (answered != null) {
      return "the role prompt and feedback must not answer the question (they contain \""
          + answered
          + "\"); only set up the role";
    }
    return LanguageCheck.mismatch(s.opt.languages(), item.question(), prompt + " " + feedback);
  }

  /**
   * Characters, with Han, kana and Hangul counted twice: they carry about as much as two Latin
   * letters.
   */
  static int length(String text) {
    return text.codePoints()
        .map(
            c -> {
              Character.UnicodeScript sc = Character.UnicodeScript.of(c);
              return sc == Character.UnicodeScript.HAN
                      || sc == Character.UnicodeScript.HIRAGANA
                      || sc == Character.UnicodeScript.KATAKANA
                      || sc == Character.UnicodeScript.HANGUL
                  ? 2
                  : 1;
            })
        .sum();
  }

  /**
   * A run of eight words from the reference answer, or a short answer given verbatim; null if
   * neither.
   */
  static String answers(Item item, String text) {
    String answer = item.answer().strip();
    if (answer.isEmpty()) {
      return null;
    }
    if (Words.of(answer).size() >= 2
        && answer.length() <= 60
        && text.toLowerCase(Locale.ROOT).contains(answer.toLowerCase(Locale.ROOT))) {
      return answer;
    }
    return Words.sharedRun(answer, text, 8);
  }

  /** Content words (and, for scripts without spaces, the characters) of a text. */
  private static Set<String> words(String s) {
    Set<String> out = new HashSet<>();
    for (String w : Words.of(s)) {
      if (w.codePoints()
          .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)) {
        w.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
      } else if (w.length() > 2
          && !Set.of("the", "and", "who", "with", "for", "you", "are", "from", "now").contains(w)) {
        out.add(w);
      }
    }
    return out;
  }
}
