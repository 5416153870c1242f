package dev.rolesynth.rolemrc;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.RoleMrcConversation;
import dev.rolesynth.avro.RoleMrcPreference;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.rolemrc.RoleMrc.Made;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import dev.rolesynth.rolemrc.RoleMrc.Task;
import dev.rolesynth.rolemrc.RoleMrc.Turn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What the calls made for one role, as the authors' tasks: SFT conversations (system, user and
 * assistant turns) and, where a task rules one reply in and another out, DPO pairs. Task ids follow
 * the authors' ({@code role_related_mrc_answer_with_narration}, {@code ...-2ndrefused}...).
 */
final class BuildRecords extends DoFn<KV<String, Iterable<Made>>, RoleMrcConversation> {
  private static final String ATTEMPT =
      "When a question lies beyond what you know, still make an attempt to answer it, in character.";
  private final RoleMrcSettings s;
  private final RunInfo run;
  static final TupleTag<RoleMrcConversation> SFT = new TupleTag<>("sft");
  static final TupleTag<RoleMrcPreference> DPO = new TupleTag<>("dpo");

  BuildRecords(RoleMrcSettings s, RunInfo run) {
    this.s = s;
    this.run = run;
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<Made>> role, MultiOutputReceiver out) {
    Map<String, Made> by = new HashMap<>();
    role.getValue().forEach(m -> by.put(m.kind(), m));
    by.values().stream()
        .filter(m -> m.kind().equals("free") || m.kind().equals("scene"))
        .forEach(m -> chat(m, out));
    Made most = by.get("most");
    Made least = by.get("least");
    if (most != null) {
      boolean a = most.task().match().item().answerable();
      String task = "role_related_mrc_" + (a ? "answer" : "refused") + narr(most.task());
      emit(
          out,
          most.task(),
          task,
          system(most.task(), ""),
          List.of(q(most)),
          a ? most.answer() : most.refusal(),
          a ? most.refusal() : most.answer(),
          2);
    }
    if (least != null) {
      String n = narr(least.task());
      emit(
          out,
          least.task(),
          "role_unrelated_mrc_refused" + n,
          system(least.task(), ""),
          List.of(q(least)),
          least.refusal(),
          least.answer(),
          2);
      emit(
          out,
          least.task(),
          "role_unrelated_mrc_answer" + n,
          system(least.task(), ATTEMPT),
          List.of(q(least)),
          least.answer(),
          least.refusal(),
          2);
    }
    if (!s.ruledTasks || most == null || !most.task().match().item().answerable()) {
      return;
    }
    String base = "role_related_mrc_answer" + narr(most.task());
    Made nested = by.get("nested");
    // a format rule in the system turn: the rewritten reply keeps it; a pair only where the first
    // answer broke it
    if (nested != null) {
      emit(
          out,
          most.task(),
          base + "-special-format",
          system(most.task(), Stages.rule(s, most.task())),
          List.of(q(most)),
          nested.answer(),
          Stages.ruleProblem(s, most.task(), nested.refusal()) == null ? null : nested.refusal(),
          3);
    }
    if (least != null) { // the second turn flips what the first one required
      emit(
          out,
          most.task(),
          base + "-2ndrefused",
          system(most.task(), ""),
          List.of(q(most), new ChatTurn("assistant", most.answer()), q(least)),
          least.refusal(),
          least.answer(),
          3);
      emit(
          out,
          least.task(),
          "role_unrelated_mrc_refused" + narr(least.task()) + "-2ndanswer",
          system(least.task(), ""),
          List.of(q(least), new ChatTurn("assistant", least.refusal()), q(most)),
          most.answer(),
          most.refusal(),
          3);
    }
    String forbid =
        "Do not answer the question \""
            + most.task().match().item().query()
            + "\", whatever the user says; decline in character.";
    emit(
        out,
        most.task(),
        base + "-refused",
        system(most.task(), forbid),
        List.of(q(most)),
        most.refusal(),
        most.answer(),
        2);
  }

  private void chat(Made m, MultiOutputReceiver out) {
    List<ChatTurn> turns = new ArrayList<>();
    turns.add(new ChatTurn("system", system(m.task(), "")));
    for (Turn t : m.turns()) {
      turns.add(new ChatTurn(t.speaker().equals("role") ? "assistant" : "user", t.text()));
    }
    String task =
        (m.kind().equals("free") ? "role_related_dialogue" : "role_related_mrc_dialogue")
            + "---"
            + (m.task().roleFirst() ? "role_first" : "user_first")
            + "---"
            + (m.task().narration() ? "with_narration" : "no_narration")
            + "---answer";
    out.get(SFT)
        .output(
            new RoleMrcConversation(
                m.id() + "/" + task,
                task,
                m.task().m().profile().name(),
                turns,
                run.provenance(m.origin(), m.task().m().profile().persona().warnings(), 2)));
  }

  /**
   * An SFT conversation ending in {@code chosen}, and its DPO pair against {@code rejected} unless
   * that is null.
   */
  private void emit(
      MultiOutputReceiver out,
      Task t,
      String task,
      String system,
      List<ChatTurn> asked,
      String chosen,
      String rejected,
      int calls) {
    List<ChatTurn> prompt = new ArrayList<>();
    prompt.add(new ChatTurn("system", system));
    prompt.addAll(asked);
    List<ChatTurn> all = new ArrayList<>(prompt);
    all.add(new ChatTurn("assistant", chosen));
    var provenance = run.provenance(t.origin(), t.m().profile().persona().warnings(), calls);
    String id = t.id() + "/" + task;
    String name = t.m().profile().name();
    out.get(SFT).output(new RoleMrcConversation(id, task, name, all, provenance));
    if (rejected != null) {
      out.get(DPO)
          .output(new RoleMrcPreference(id, task, name, prompt, chosen, rejected, provenance));
    }
  }

  private String system(Task t, String rule) {
    Profile p = t.m().profile();
    return s.render(
        "role.system",
        Map.of(
            "name",
            p.name(),
            "description",
            p.description(),
            "speechStyle",
            p.speechStyle(),
            "personality",
            String.join("; ", p.personality()),
            "background",
            p.background(),
            "boundaries",
            p.boundaries(),
            "rule",
            rule));
  }

  private ChatTurn q(Made m) {
    return new ChatTurn(
        "user",
        s.render(
            "question.user",
            Map.of(
                "passages", Stages.passages(m.task()), "query", m.task().match().item().query())));
  }

  private static String narr(Task t) {
    return t.narration() ? "_with_narration" : "_no_narration";
  }
}
