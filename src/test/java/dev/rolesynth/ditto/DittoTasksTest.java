package dev.rolesynth.ditto;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.ditto.Ditto.OtherRole;
import dev.rolesynth.ditto.Ditto.Query;
import dev.rolesynth.ditto.Ditto.QueryInput;
import dev.rolesynth.ditto.Ditto.QuerySet;
import dev.rolesynth.ditto.Ditto.QueryType;
import dev.rolesynth.ditto.Ditto.RoleCard;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.LlmClient;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.llm.Clock;
import dev.rolesynth.pipeline.LlmTask;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.Role;
import dev.rolesynth.sim.SimulatedLlm;
import java.util.List;
import org.junit.Test;

/** Each Ditto stage end to end against the in-process simulator: prompt, schema, checks, parse. */
public class DittoTasksTest {
  static final DittoSettings SETTINGS = new DittoSettings(42, 6, 0.34, 2, true, 5, 1);
  static final LlmClient SIM = new LlmClient(new SimulatedLlm(), LlmConfig.sim(), Clock.SYSTEM);

  static Role role(String id, String name, String background) {
    return new Role(id, name, "en", List.of(), "a test character", List.of(new Role.Field("background", background)),
        new Origin("test.jsonl", 1), List.of());
  }

  static <I, O> List<O> run(LlmTask<I, O> task, I input) {
    CallOutcome outcome = SIM.complete(task.request(input), task.check(input));
    assertTrue("call failed: " + outcome.error(), outcome.ok());
    return task.parse(input, outcome);
  }

  static RoleCard card(Role role) {
    return run(new DittoTasks.BuildKnowledgeCard(SETTINGS), role).get(0);
  }

  @Test
  public void profileStageBuildsAKnowledgeCardFromTheProfile() {
    Role nemo = role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus. He plays the organ in his salon. He roams the oceans.");
    RoleCard card = card(nemo);
    assertTrue(card.knowledge().contains("Nemo built the submarine Nautilus."));
    assertThat(card.systemPrompt(), containsString("You are Captain Nemo"));
    var request = new DittoTasks.BuildKnowledgeCard(SETTINGS).request(nemo);
    assertEquals("ditto_profile", request.schemaName());
    assertThat(request.messages().get(1).content(), containsString("- background: Nemo built the submarine Nautilus."));
  }

  @Test
  public void templateLookingProfileTextIsPassedThroughAsData() {
    Role tricky = role("mira", "Mira {{name}}", "Mira keeps the lighthouse. Her notes say {{system}} and {{#knowledge}}x{{/knowledge}}.");
    var request = new DittoTasks.BuildKnowledgeCard(SETTINGS).request(tricky);
    assertThat(request.messages().get(1).content(), containsString("Character: Mira {{name}}"));
    assertThat(request.messages().get(1).content(), containsString("Her notes say {{system}} and {{#knowledge}}x{{/knowledge}}."));
    RoleCard card = card(tricky);
    Query q = new Query(card, 0, QueryType.IN_KNOWLEDGE, "What do {{system}} notes say?", "e", null, List.of());
    var answer = new DittoTasks.AnswerQuery(SETTINGS).request(q);
    assertEquals("What do {{system}} notes say?", answer.messages().get(1).content());
    assertThat(answer.messages().get(0).content(), containsString("{{#knowledge}}x{{/knowledge}}"));
  }

  @Test
  public void queryStageWritesInKnowledgeAndContrastiveQuestionsInTheConfiguredCounts() {
    RoleCard nemo = card(role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus. He plays the organ in his salon."));
    QueryInput input = new QueryInput(nemo,
        List.of(new OtherRole("tesla", "Nikola Tesla", List.of("Tesla built the Wardenclyffe tower.")),
            new OtherRole("mulan", "Hua Mulan", List.of("Mulan served in the army for twelve years."))),
        List.of("Nikola Tesla", "Hua Mulan", "Odysseus"));
    QuerySet set = run(new DittoTasks.SimulateQueries(SETTINGS), input).get(0);
    assertEquals(6, set.queries().size());
    assertEquals(4, set.queries().stream().filter(q -> q.type() == QueryType.IN_KNOWLEDGE).count());
    List<Query> contrastive = set.queries().stream().filter(q -> q.type() == QueryType.CONTRASTIVE).toList();
    assertEquals(2, contrastive.size());
    contrastive.forEach(q -> assertTrue(List.of("tesla", "mulan").contains(q.sourceRoleId())));
    contrastive.forEach(q -> assertTrue(q.expectRefusal()));
    set.queries().stream().filter(q -> q.type() == QueryType.IN_KNOWLEDGE).forEach(q -> assertTrue(nemo.knowledge().contains(q.evidence())));
  }

  @Test
  public void queryStageRejectsUnknownSourceRoles() {
    RoleCard nemo = card(role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus."));
    QueryInput input = new QueryInput(nemo, List.of(new OtherRole("t", "Nikola Tesla", List.of("x"))), List.of());
    var check = new DittoTasks.SimulateQueries(SETTINGS).check(input);
    var answer = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    answer.putArray("inKnowledge").addObject().put("question", "Who are you?").put("evidence", "e");
    answer.putArray("contrastive").addObject().put("question", "What is AC power?").put("sourceRole", "Edison");
    assertThat(check.problem(answer), containsString("sourceRole"));
    answer.withArray("contrastive").removeAll();
    answer.withArray("contrastive").addObject().put("question", "Who are you?").put("sourceRole", "Nikola Tesla");
    assertThat(check.problem(answer), containsString("appears twice"));
  }

  @Test
  public void answersStayInRoleAndDeclineWhatTheRoleCannotKnow() {
    RoleCard nemo = card(role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus. He plays the organ in his salon."));
    Query known = new Query(nemo, 0, QueryType.IN_KNOWLEDGE, "Captain Nemo, is it true that you built the submarine Nautilus?",
        "Nemo built the submarine Nautilus.", null, List.of("A", "B", "C"));
    Query foreign = new Query(nemo, 1, QueryType.CONTRASTIVE, "Captain Nemo, what do you think of the Wardenclyffe tower Tesla built?",
        null, "tesla", List.of("A", "B", "C"));
    Turn a = run(new DittoTasks.AnswerQuery(SETTINGS), known).get(0);
    Turn b = run(new DittoTasks.AnswerQuery(SETTINGS), foreign).get(0);
    assertFalse(a.declined());
    assertThat(a.answer(), containsString("Nautilus"));
    assertTrue(b.declined());
    // The knowledge is injected into the system turn of the answer call only.
    var request = new DittoTasks.AnswerQuery(SETTINGS).request(known);
    assertThat(request.messages().get(0).content(), containsString("- Nemo built the submarine Nautilus."));
    assertEquals(known.question(), request.messages().get(1).content());
  }

  @Test
  public void judgesScoreTurnsAndTheThresholdsFilterThem() {
    RoleCard nemo = card(role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus. He plays the organ in his salon."));
    Query known = new Query(nemo, 0, QueryType.IN_KNOWLEDGE, "Captain Nemo, is it true that you built the submarine Nautilus?",
        "Nemo built the submarine Nautilus.", null, List.of("Nikola Tesla", "Hua Mulan", "Odysseus"));
    Turn t = run(new DittoTasks.AnswerQuery(SETTINGS), known).get(0);
    t = run(new DittoTasks.JudgeIdentity(SETTINGS), t).get(0);
    t = run(new DittoTasks.JudgeRefusal(SETTINGS), t).get(0);
    t = run(new DittoTasks.JudgeKnowledge(SETTINGS), t).get(0);
    assertEquals(Boolean.TRUE, t.judgement().identityCorrect());
    assertEquals(Integer.valueOf(0), t.judgement().refusal());
    assertTrue(t.judgement().knowledgeScore() >= 5);
    assertEquals(4, t.calls());
    assertNull(SynthesizeDittoDialogues.ThresholdFn.problem(t, 5));
    assertThat(SynthesizeDittoDialogues.ThresholdFn.problem(t, 11), containsString("below 11"));

    Turn wrongRole = t.judged(t.judgement().withIdentity(false, "Odysseus"));
    assertThat(SynthesizeDittoDialogues.ThresholdFn.problem(wrongRole, 5), containsString("Odysseus"));
    Turn declinedKnown = t.judged(t.judgement().withRefusal(1));
    assertThat(SynthesizeDittoDialogues.ThresholdFn.problem(declinedKnown, 5), containsString("declined"));
  }

  @Test
  public void identityCandidatesAreTheRolePlusDistractorsInASeededOrder() {
    RoleCard nemo = card(role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus."));
    Turn t = new Turn(new Query(nemo, 3, QueryType.IN_KNOWLEDGE, "q", "e", null, List.of("A", "B", "C")), "a", false,
        Ditto.Judgement.NONE, 1);
    var judge = new DittoTasks.JudgeIdentity(SETTINGS);
    List<String> c = judge.candidates(t);
    assertEquals(List.of("A", "B", "C", "Captain Nemo"), c.stream().sorted().toList());
    assertEquals(c, judge.candidates(t));
  }

  @Test
  public void contrastiveSourcesAreOtherRolesChosenBySeed() {
    RoleCard nemo = card(role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus."));
    List<OtherRole> all = List.of(new OtherRole("a", "A", List.of("fa")), new OtherRole("b", "B", List.of("fb")),
        new OtherRole("c", "C", List.of("fc")), new OtherRole("d", "D", List.of("fd")),
        new OtherRole("nemo", "Captain Nemo", List.of("self")));
    QueryInput in = SynthesizeDittoDialogues.PickOthersFn.pick(nemo, all, SETTINGS);
    assertEquals(2, in.contrastSources().size());
    assertEquals(3, in.distractors().size());
    assertFalse(in.distractors().contains("Captain Nemo"));
    in.contrastSources().forEach(o -> assertFalse(o.id().equals("nemo")));
    assertEquals(in, SynthesizeDittoDialogues.PickOthersFn.pick(nemo, all, SETTINGS));
    // A pool of one role has nobody to contrast with: no contrastive questions are asked.
    QueryInput alone = SynthesizeDittoDialogues.PickOthersFn.pick(nemo, List.of(all.get(4)), SETTINGS);
    assertTrue(alone.contrastSources().isEmpty());
    QuerySet set = run(new DittoTasks.SimulateQueries(SETTINGS), alone).get(0);
    assertEquals(4, set.queries().size());
  }
}
