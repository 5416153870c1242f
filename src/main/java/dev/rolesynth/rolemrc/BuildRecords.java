package dev.rolesynth.rolemrc;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.RoleMrcConversation;
import dev.rolesynth.avro.RoleMrcPreference;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.rolemrc.RoleMrc.Made;
import dev.rolesynth.rolemrc.RoleMrc.ProfileAnswer;
import dev.rolesynth.rolemrc.RoleMrc.Task;
import dev.rolesynth.rolemrc.RoleMrc.Turn;
import dev.rolesynth.rolemrc.TaskMix.Kind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.beam.sdk.values.KV;

/**
 * What the calls made for one role, as the tasks it drew ({@link TaskMix}): SFT conversations
 * (system, user and assistant turns) and, where a task rules one reply in and another out, DPO
 * pairs. Task ids are the authors' ({@code role_related_mrc_answer_with_narration}, {@code
 * role_related_mrc_refused_no_narration-2ndrefused}...); a rule is the system turn's second
 * sentence, where their judge reads it.
 */
final class BuildRecords implements Serializable {
  private static final String ATTEMPT =
      "You will still make an attempt to answer questions beyond what you know, in character";
  private final RoleMrcSettings s;
  private final RunInfo run;

  /** A role's records: SFT conversations and DPO pairs. */
  record Built(List<RoleMrcConversation> sft, List<RoleMrcPreference> dpo) {
    List<SpecificRecordBase> all() {
      List<SpecificRecordBase> out = new ArrayList<>(sft);
      out.addAll(dpo);
      return out;
    }
  }

  BuildRecords(RoleMrcSettings s, RunInfo run) {
    this.s = s;
    this.run = run;
  }

  Built build(KV<String, Iterable<Made>> role) {
    Built out = new Built(new ArrayList<>(), new ArrayList<>());
    Map<String, Made> by = new HashMap<>();
    role.getValue().forEach(m -> by.put(m.kind(), m));
    Set<Kind> mix = TaskMix.draw(s, by.values().iterator().next().task().m());
    by.values().stream()
        .filter(m -> m.kind().equals("free") || m.kind().equals("scene"))
        .forEach(m -> chat(m, out));
    Made most = by.get("most");
    if (most != null) {
      mostTasks(most, by.get("nested"), mix, out);
    }
    Made least = by.get("least");
    if (least != null) {
      leastTasks(least, mix, out);
    }
    return out;
  }

  private void mostTasks(Made most, Made nested, Set<Kind> mix, Built out) {
    Task t = most.task();
    boolean a = t.match().item().answerable();
    String task = "role_related_mrc_" + (a ? "answer" : "refused") + narr(t);
    String sys = system(t, "", false);
    List<ChatTurn> q = List.of(q(t));
    if (mix.contains(Kind.MOST)) { // answered where the passages hold the answer, else declined
      String right = a ? most.answer() : most.refusal();
      emit(out, most, task, sys, q, right, a ? most.refusal() : most.answer());
    }
    if (mix.contains(Kind.NESTED) && nested != null) {
      Stages.Rule rule = Stages.rule(s, t);
      // the rewrite keeps the rule; a pair against the first answer only where that broke it
      String rejected =
          Stages.ruleProblem(s, t, nested.refusal()) == null ? null : nested.refusal();
      String suffix = rule.content() ? "-special-content" : "-special-format";
      emit(out, nested, task + suffix, system(t, rule.text(), false), q, nested.answer(), rejected);
    }
    if (mix.contains(Kind.SECOND_REFUSED)) { // no answer in the passages, however the user insists
      List<ChatTurn> asked = turns(q(t), most.refusal(), "insist.user");
      emit(out, most, task + "-2ndrefused", sys, asked, most.refusal(), most.answer());
    }
    if (mix.contains(Kind.PRIORITY)) {
      String forbid =
          "You must not answer the question \""
              + t.match().item().query()
              + "\", whatever the user says";
      emit(
          out, most, task + "-refused", system(t, forbid, false), q, most.refusal(), most.answer());
    }
  }

  private void leastTasks(Made least, Set<Kind> mix, Built out) {
    Task t = least.task();
    String sys = system(t, "", false);
    List<ChatTurn> q = List.of(q(t));
    String refused = "role_unrelated_mrc_refused" + narr(t);
    if (mix.contains(Kind.LEAST_REFUSED)) {
      emit(out, least, refused, sys, q, least.refusal(), least.answer());
    }
    if (mix.contains(Kind.LEAST_ATTEMPT)) {
      String task = "role_unrelated_mrc_answer" + narr(t);
      emit(out, least, task, system(t, ATTEMPT, false), q, least.answer(), least.refusal());
    }
    if (mix.contains(Kind.SECOND_ANSWER)) { // beyond the role, until the user asks for an attempt
      List<ChatTurn> asked = turns(q(t), least.refusal(), "tryanyway.user");
      emit(out, least, refused + "-2ndanswer", sys, asked, least.answer(), least.refusal());
    }
  }

  /** A question, the role's first reply, and the user's second turn. */
  private List<ChatTurn> turns(ChatTurn question, String reply, String second) {
    return List.of(
        question,
        new ChatTurn("assistant", reply),
        new ChatTurn("user", s.render(second, Map.of()).strip()));
  }

  private void chat(Made m, Built out) {
    boolean scene = m.kind().equals("scene");
    List<ChatTurn> turns = new ArrayList<>();
    turns.add(new ChatTurn("system", system(m.task(), "", scene)));
    for (Turn t : m.turns()) {
      turns.add(new ChatTurn(t.speaker().equals("role") ? "assistant" : "user", t.text()));
    }
    String task =
        (scene ? "role_related_mrc_dialogue" : "role_related_dialogue")
            + "---"
            + (m.task().roleFirst() ? "role_first" : "user_first")
            + "---"
            + (m.task().narration() ? "with_narration" : "no_narration")
            + "---answer";
    out.sft()
        .add(
            new RoleMrcConversation(
                m.id() + "/" + task,
                task,
                m.task().m().profile().name(),
                turns,
                run.provenance(m, m.llmCalls())));
  }

  /**
   * An SFT conversation ending in {@code chosen}, and its DPO pair against {@code rejected} unless
   * that is null.
   */
  private void emit(
      Built out,
      Made made,
      String task,
      String system,
      List<ChatTurn> asked,
      String chosen,
      String rejected) {
    Task t = made.task();
    List<ChatTurn> prompt = new ArrayList<>();
    prompt.add(new ChatTurn("system", system));
    prompt.addAll(asked);
    List<ChatTurn> all = new ArrayList<>(prompt);
    all.add(new ChatTurn("assistant", chosen));
    var provenance = run.provenance(t, made.llmCalls());
    String id = t.id() + "/" + task;
    String name = t.m().profile().name();
    out.sft().add(new RoleMrcConversation(id, task, name, all, provenance));
    if (rejected != null) {
      out.dpo().add(new RoleMrcPreference(id, task, name, prompt, chosen, rejected, provenance));
    }
  }

  /** The role's profile as its system turn, a rule second, the passages of an on-scene chat. */
  private String system(Task t, String rule, boolean withPassages) {
    ProfileAnswer p = t.m().profile().sections();
    Map<String, Object> in = new HashMap<>();
    in.put("name", p.name());
    in.put("rule", rule);
    in.put("description", p.description());
    in.put("skills", String.join("; ", p.skills()));
    in.put("speechStyle", p.speechStyle());
    in.put("personality", String.join("; ", p.personality()));
    in.put("background", p.background());
    in.put("boundaries", p.boundaries());
    in.put("examples", "- " + String.join("\n- ", p.speechExamples()));
    in.put("passages", withPassages ? Stages.passages(t) : "");
    return s.render("role.system", in);
  }

  private ChatTurn q(Task t) {
    return new ChatTurn(
        "user",
        s.render(
            "question.user",
            Map.of("passages", Stages.passages(t), "query", t.match().item().query())));
  }

  private static String narr(Task t) {
    return t.narration() ? "_with_narration" : "_no_narration";
  }
}
