package dev.rolesynth.ditto;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.ditto.Ditto.Conversation;
import dev.rolesynth.ditto.Ditto.JudgeCall;
import dev.rolesynth.ditto.Ditto.OtherRole;
import dev.rolesynth.ditto.Ditto.Query;
import dev.rolesynth.ditto.Ditto.QueryInput;
import dev.rolesynth.ditto.Ditto.QueryPlan;
import dev.rolesynth.ditto.Ditto.QuerySet;
import dev.rolesynth.ditto.Ditto.QueryType;
import dev.rolesynth.ditto.Ditto.RoleCard;
import dev.rolesynth.ditto.Ditto.Turn;
import dev.rolesynth.ditto.Ditto.Vote;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.Clock;
import dev.rolesynth.llm.LlmClient;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.LlmTask;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.Role;
import dev.rolesynth.pool.RoleWorld;
import dev.rolesynth.sim.SimulatedLlm;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** Each Ditto stage end to end against the in-process simulator: prompt, schema, checks, parse. */
public class DittoTasksTest {
  /** Ditto's settings as the launcher makes them from these options (the rest at defaults). */
  static DittoSettings settings(
      long seed, int queries, double ratio, int sources, boolean judge, int minScore, int turns) {
    RolesynthOptions o =
        Knobs.parseArgs(
            "ditto",
            DittoKnobs.class,
            "--seed=" + seed,
            "--queriesPerRole=" + queries,
            "--contrastiveRatio=" + ratio,
            "--contrastiveSources=" + sources,
            "--judge=" + judge,
            "--minKnowledgeScore=" + minScore,
            "--minTurns=" + turns);
    return new DittoSettings(o, Knobs.of(o, "ditto", DittoKnobs.class));
  }

  static final DittoSettings SETTINGS = settings(42, 6, 0.34, 2, true, 5, 1);
  static final LlmClient SIM = new LlmClient(new SimulatedLlm(), LlmConfig.sim(), Clock.SYSTEM);

  static Role role(String id, String name, String background) {
    return new Role(
        id,
        name,
        "en",
        List.of(),
        "a test character",
        List.of(new Role.Field("background", background)),
        new Origin("test.jsonl", 1),
        List.of());
  }

  static <I, O> List<O> run(LlmTask<I, O> task, I input) {
    CallOutcome outcome = SIM.complete(task.request(input), task.check(input));
    assertTrue("call failed: " + outcome.error(), outcome.ok());
    return task.parse(input, outcome);
  }

  /** A conversation about to ask {@code first}, then the rest. */
  static Conversation conversation(Query first, Query... rest) {
    List<Query> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(rest));
    return new Conversation(new QuerySet(first.card(), all, 0), List.of(), 0);
  }

  static Turn answer(Query q) {
    Conversation c = run(DittoTasks.answerTurn(SETTINGS), conversation(q)).get(0);
    return c.turns().get(0);
  }

  /** Every sample of a judge, called and averaged as JudgeTurns does. */
  static Turn judge(DittoJudges.Judge judge, Turn t) {
    List<Vote> votes = new ArrayList<>();
    for (int i = 0; i < SETTINGS.opt.judgeSamples(); i++) {
      votes.addAll(run(judge.stage(), new JudgeCall(t, i)));
    }
    return judge.tally().apply(t, votes);
  }

  static RoleCard card(Role role) {
    return run(DittoTasks.cardFor(SETTINGS), plan(role)).get(0).card();
  }

  /** A role as the card stage gets it: its contrastive sources chosen (none here). */
  static QueryPlan plan(Role role) {
    return new QueryPlan(role, List.of(), List.of());
  }

  @Test
  public void profileStageBuildsAKnowledgeCardFromTheProfile() {
    Role nemo =
        role(
            "nemo",
            "Captain Nemo",
            "Nemo built the submarine Nautilus. He plays the organ in his salon. He roams the oceans.");
    RoleCard card = card(nemo);
    assertTrue(card.knowledge().contains("Nemo built the submarine Nautilus."));
    assertThat(card.systemPrompt(), containsString("You are Captain Nemo"));
    var request = DittoTasks.cardFor(SETTINGS).request(plan(nemo));
    assertEquals("ditto_profile", request.schemaName());
    assertThat(
        request.messages().get(1).content(),
        containsString("- background: Nemo built the submarine Nautilus."));
  }

  @Test
  public void templateLookingProfileTextIsPassedThroughAsData() {
    Role tricky =
        role(
            "mira",
            "Mira {{name}}",
            "Mira keeps the lighthouse. Her notes say {{system}} and {{#knowledge}}x{{/knowledge}}.");
    var request = DittoTasks.cardFor(SETTINGS).request(plan(tricky));
    assertThat(request.messages().get(1).content(), containsString("Character: Mira {{name}}"));
    assertThat(
        request.messages().get(1).content(),
        containsString("Her notes say {{system}} and {{#knowledge}}x{{/knowledge}}."));
    RoleCard card = card(tricky);
    Query q =
        new Query(
            card, 0, QueryType.IN_KNOWLEDGE, "What do {{system}} notes say?", "e", null, List.of());
    var answer = DittoTasks.answerTurn(SETTINGS).request(conversation(q));
    assertEquals("What do {{system}} notes say?", answer.messages().get(1).content());
    assertThat(answer.messages().get(0).content(), containsString("{{#knowledge}}x{{/knowledge}}"));
  }

  @Test
  public void queryStageWritesInKnowledgeAndContrastiveQuestionsInTheConfiguredCounts() {
    RoleCard nemo =
        card(
            role(
                "nemo",
                "Captain Nemo",
                "Nemo built the submarine Nautilus. He plays the organ in his salon."));
    QueryInput input =
        new QueryInput(
            nemo,
            List.of(
                new OtherRole(
                    "tesla",
                    "Nikola Tesla",
                    List.of("Tesla built the Wardenclyffe tower."),
                    RoleWorld.UNKNOWN),
                new OtherRole(
                    "mulan",
                    "Hua Mulan",
                    List.of("Mulan served in the army for twelve years."),
                    RoleWorld.UNKNOWN)),
            List.of("Nikola Tesla", "Hua Mulan", "Odysseus"));
    QuerySet set = run(DittoTasks.queries(SETTINGS), input).get(0);
    assertEquals(6, set.queries().size());
    assertEquals(4, set.queries().stream().filter(q -> q.type() == QueryType.IN_KNOWLEDGE).count());
    List<Query> contrastive =
        set.queries().stream().filter(q -> q.type() == QueryType.CONTRASTIVE).toList();
    assertEquals(2, contrastive.size());
    contrastive.forEach(q -> assertTrue(List.of("tesla", "mulan").contains(q.sourceRoleId())));
    contrastive.forEach(q -> assertTrue(q.expectRefusal()));
    set.queries().stream()
        .filter(q -> q.type() == QueryType.IN_KNOWLEDGE)
        .forEach(q -> assertTrue(nemo.knowledge().contains(q.evidence())));
  }

  @Test
  public void queryStageRejectsUnknownSourceRoles() {
    RoleCard nemo = card(role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus."));
    QueryInput input =
        new QueryInput(
            nemo,
            List.of(new OtherRole("t", "Nikola Tesla", List.of("x"), RoleWorld.UNKNOWN)),
            List.of());
    var check = DittoTasks.queries(SETTINGS).check(input);
    var answer = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    answer.putArray("inKnowledge").addObject().put("question", "Who are you?").put("evidence", "e");
    answer
        .putArray("contrastive")
        .addObject()
        .put("question", "What is AC power?")
        .put("sourceRole", "Edison");
    assertThat(check.problem(answer), containsString("sourceRole"));
    answer.withArray("contrastive").removeAll();
    answer
        .withArray("contrastive")
        .addObject()
        .put("question", "Who are you?")
        .put("sourceRole", "Nikola Tesla");
    assertThat(check.problem(answer), containsString("appears twice"));
  }

  @Test
  public void answersStayInRoleAndDeclineWhatTheRoleCannotKnow() {
    RoleCard nemo =
        card(
            role(
                "nemo",
                "Captain Nemo",
                "Nemo built the submarine Nautilus. He plays the organ in his salon."));
    Query known =
        new Query(
            nemo,
            0,
            QueryType.IN_KNOWLEDGE,
            "Captain Nemo, is it true that you built the submarine Nautilus?",
            "Nemo built the submarine Nautilus.",
            null,
            List.of("A", "B", "C"));
    Query foreign =
        new Query(
            nemo,
            1,
            QueryType.CONTRASTIVE,
            "Captain Nemo, what do you think of the Wardenclyffe tower Tesla built?",
            null,
            "tesla",
            List.of("A", "B", "C"));
    Turn a = answer(known);
    Turn b = answer(foreign);
    assertFalse(a.declined());
    assertThat(a.answer(), containsString("Nautilus"));
    assertTrue(b.declined());
    // The knowledge and the role's own profile are injected into the system turn of the answer call
    // only.
    var request = DittoTasks.answerTurn(SETTINGS).request(conversation(known));
    assertThat(
        request.messages().get(0).content(),
        containsString("- Nemo built the submarine Nautilus."));
    assertThat(
        request.messages().get(0).content(),
        containsString(
            "- background: Nemo built the submarine Nautilus. He plays the organ in his salon."));
    assertThat(request.messages().get(0).content(), containsString("a test character"));
    assertEquals(known.question(), request.messages().get(1).content());
  }

  @Test
  public void everyAnswerSeesTheEarlierTurnsOfItsDialogue() {
    RoleCard nemo =
        card(
            role(
                "nemo",
                "Captain Nemo",
                "Nemo built the submarine Nautilus. He plays the organ in his salon."));
    Query first =
        new Query(
            nemo,
            0,
            QueryType.IN_KNOWLEDGE,
            "Captain Nemo, is it true that you built the submarine Nautilus?",
            "Nemo built the submarine Nautilus.",
            null,
            List.of("A", "B", "C"));
    Query second =
        new Query(
            nemo,
            1,
            QueryType.IN_KNOWLEDGE,
            "And do you play the organ in your salon, Captain Nemo?",
            "He plays the organ in his salon.",
            null,
            List.of("A", "B", "C"));
    var task = DittoTasks.answerTurn(SETTINGS);
    Conversation c = run(task, conversation(first, second)).get(0);
    assertEquals(1, c.next());
    var request = task.request(c);
    // system, then the first turn as history, then the second question
    assertEquals(4, request.messages().size());
    assertEquals(first.question(), request.messages().get(1).content());
    assertEquals("assistant", request.messages().get(2).role());
    assertEquals(c.turns().get(0).answer(), request.messages().get(2).content());
    assertEquals(second.question(), request.messages().get(3).content());
    Conversation done = run(task, c).get(0);
    assertTrue(done.finished());
    assertThat(done.turns().get(1).answer(), containsString("organ"));
    // A failed call skips its question and the dialogue goes on.
    assertEquals(List.of(new Conversation(c.plan(), c.turns(), 2)), task.onFailure(c));
  }

  @Test
  public void judgesScoreTurnsAndTheThresholdsFilterThem() {
    RoleCard nemo =
        card(
            role(
                "nemo",
                "Captain Nemo",
                "Nemo built the submarine Nautilus. He plays the organ in his salon."));
    Query known =
        new Query(
            nemo,
            0,
            QueryType.IN_KNOWLEDGE,
            "Captain Nemo, is it true that you built the submarine Nautilus?",
            "Nemo built the submarine Nautilus.",
            null,
            List.of("Nikola Tesla", "Hua Mulan", "Odysseus"));
    Turn t = answer(known);
    t = judge(DittoJudges.identity(SETTINGS), t);
    t = judge(DittoJudges.refusal(SETTINGS), t);
    t = judge(DittoJudges.knowledge(SETTINGS), t);
    assertEquals(Boolean.TRUE, t.judgement().identityCorrect());
    assertEquals(1.0, t.judgement().identityShare(), 0);
    assertEquals(Integer.valueOf(0), t.judgement().refusal());
    assertTrue(t.judgement().knowledgeScore() >= 5);
    assertEquals(3, t.judgement().samples());
    assertEquals("one answer and three samples of each of three judges", 10, t.calls());
    assertNull(JudgeTurns.problem(t, 5));
    assertThat(JudgeTurns.problem(t, 11), containsString("below 11"));

    Turn wrongRole = t.judged(t.judgement().withIdentity(1 / 3.0, "Odysseus", 3), 0);
    assertThat(
        JudgeTurns.problem(wrongRole, 5),
        containsString("Odysseus (33 % of samples picked the role)"));
    Turn declinedKnown = t.judged(t.judgement().withRefusal(2 / 3.0, 3), 0);
    assertThat(JudgeTurns.problem(declinedKnown, 5), containsString("declined"));
  }

  @Test
  public void judgeSamplesDifferInSeedAndAreAveraged() {
    RoleCard nemo = card(role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus."));
    Turn t =
        new Turn(
            new Query(nemo, 0, QueryType.IN_KNOWLEDGE, "q", "e", null, List.of("A", "B", "C")),
            "a",
            false,
            Ditto.Judgement.NONE,
            1);
    var judge = DittoJudges.knowledge(SETTINGS);
    var r0 = judge.stage().request(new JudgeCall(t, 0));
    var r1 = judge.stage().request(new JudgeCall(t, 1));
    assertEquals(0.2, r0.temperature(), 0);
    assertFalse("each sample has its own seed", r0.seed() == r1.seed());
    Turn tallied =
        judge
            .tally()
            .apply(
                t,
                List.of(new Vote(t, 0, 4, null), new Vote(t, 1, 6, null), new Vote(t, 2, 8, null)));
    assertEquals(6.0, tallied.judgement().knowledgeScore(), 1e-9);
    var identity = DittoJudges.identity(SETTINGS);
    Turn picked =
        identity
            .tally()
            .apply(
                t,
                List.of(
                    new Vote(t, 0, 1, "Captain Nemo"),
                    new Vote(t, 1, 0, "A"),
                    new Vote(t, 2, 1, "Captain Nemo")));
    assertEquals(Boolean.TRUE, picked.judgement().identityCorrect());
    assertEquals("Captain Nemo", picked.judgement().identityChoice());
    assertEquals(2 / 3.0, picked.judgement().identityShare(), 1e-9);
  }

  @Test
  public void identityCandidatesAreTheRolePlusDistractorsInASeededOrder() {
    RoleCard nemo = card(role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus."));
    Turn t =
        new Turn(
            new Query(nemo, 3, QueryType.IN_KNOWLEDGE, "q", "e", null, List.of("A", "B", "C")),
            "a",
            false,
            Ditto.Judgement.NONE,
            1);
    List<String> c = DittoJudges.candidates(SETTINGS, t);
    assertEquals(List.of("A", "B", "C", "Captain Nemo"), c.stream().sorted().toList());
    assertEquals(c, DittoJudges.candidates(SETTINGS, t));
  }

  @Test
  public void contrastiveSourcesAreOtherRolesChosenBySeed() {
    Role nemoRole = role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus.");
    RoleCard nemo = card(nemoRole);
    List<OtherRole> all =
        List.of(
            new OtherRole("a", "A", List.of("fa"), RoleWorld.UNKNOWN),
            new OtherRole("b", "B", List.of("fb"), RoleWorld.UNKNOWN),
            new OtherRole("c", "C", List.of("fc"), RoleWorld.UNKNOWN),
            new OtherRole("d", "D", List.of("fd"), RoleWorld.UNKNOWN),
            new OtherRole("nemo", "Captain Nemo", List.of("self"), RoleWorld.UNKNOWN));
    Ditto.QueryPlan in = PickOthers.PickOthersFn.pick(nemoRole, all, SETTINGS);
    assertEquals(2, in.contrastSources().size());
    assertEquals(2, in.distractors().size());
    assertFalse(in.distractors().contains("Captain Nemo"));
    // The identity judge's distractors are not the contrastive sources (that would bias it against
    // refusals).
    in.contrastSources().forEach(o -> assertFalse(in.distractors().contains(o.name())));
    in.contrastSources().forEach(o -> assertFalse(o.id().equals("nemo")));
    assertEquals(in, PickOthers.PickOthersFn.pick(nemoRole, all, SETTINGS));
    // A pool of one role has nobody to contrast with: no contrastive questions are asked.
    Ditto.QueryPlan alone = PickOthers.PickOthersFn.pick(nemoRole, List.of(all.get(4)), SETTINGS);
    assertTrue(alone.contrastSources().isEmpty());
    QuerySet set =
        run(
                DittoTasks.queries(SETTINGS),
                new QueryInput(nemo, alone.contrastSources(), alone.distractors()))
            .get(0);
    assertEquals(4, set.queries().size());
  }

  static Role dated(String id, String name, String claims) {
    return new Role(
        id,
        name,
        "en",
        List.of(),
        "a test character",
        List.of(new Role.Field("claims", claims)),
        new Origin("test.jsonl", 1),
        List.of());
  }

  @Test
  public void contrastiveSourcesLieOutsideTheRolesTimeOrWorldWhereThePoolSaysSo() {
    Role curie =
        dated(
            "curie", "Marie Curie", "instance of: human; date of birth: 1867; date of death: 1934");
    RoleWorld world = RoleWorld.of(curie);
    assertEquals(Integer.valueOf(1934), world.died());
    RoleWorld galileo =
        RoleWorld.of(dated("g", "Galileo Galilei", "date of birth: 1564; date of death: 1642"));
    RoleWorld later = RoleWorld.of(dated("l", "Ada Later", "date of birth: 1950"));
    RoleWorld cleopatra =
        RoleWorld.of(dated("c", "Cleopatra VII", "date of birth: 69 BC; date of death: 30 BC"));
    assertEquals(Integer.valueOf(-69), cleopatra.born());
    assertEquals(RoleWorld.Relation.KNOWABLE, world.relationTo(galileo));
    assertEquals(RoleWorld.Relation.KNOWABLE, world.relationTo(cleopatra));
    assertEquals(RoleWorld.Relation.OUTSIDE, world.relationTo(later));
    RoleWorld holmes =
        RoleWorld.of(
            dated(
                "h",
                "Sherlock Holmes",
                "instance of: fictional human; present in work: A Study in Scarlet"));
    RoleWorld nemo =
        RoleWorld.of(
            dated(
                "n",
                "Captain Nemo",
                "instance of: fictional human; present in work: Twenty Thousand Leagues"));
    RoleWorld watson =
        RoleWorld.of(
            dated(
                "w",
                "John Watson",
                "instance of: fictional human; present in work: A Study in Scarlet"));
    assertEquals(RoleWorld.Relation.OUTSIDE, holmes.relationTo(nemo));
    assertEquals(RoleWorld.Relation.KNOWABLE, holmes.relationTo(watson));

    List<OtherRole> all =
        List.of(
            new OtherRole("g", "Galileo Galilei", List.of("fg"), galileo),
            new OtherRole("c", "Cleopatra VII", List.of("fc"), cleopatra),
            new OtherRole("l", "Ada Later", List.of("fl"), later),
            new OtherRole("n", "Captain Nemo", List.of("fn"), nemo),
            new OtherRole("x", "Someone", List.of("fx"), RoleWorld.UNKNOWN));
    for (long seed = 1; seed <= 20; seed++) {
      DittoSettings s = settings(seed, 6, 0.34, 2, true, 5, 1);
      Ditto.QueryPlan in = PickOthers.PickOthersFn.pick(curie, all, s);
      List<String> sources = in.contrastSources().stream().map(OtherRole::name).toList();
      assertTrue(sources.toString(), sources.contains("Ada Later"));
      assertFalse("an earlier life is knowable: " + sources, sources.contains("Galileo Galilei"));
      assertFalse("an earlier life is knowable: " + sources, sources.contains("Cleopatra VII"));
    }
  }

  @Test
  public void otherRolesAreSeenThroughTheirOwnProfilesNotTheirCards() {
    Role tesla =
        new Role(
            "tesla",
            "Nikola Tesla",
            "en",
            List.of(),
            "inventor and engineer",
            List.of(
                new Role.Field("claims", "date of birth: 1856"),
                new Role.Field(
                    "summary",
                    "Tesla built the Wardenclyffe tower. He worked on alternating current. He died in 1943.")),
            new Origin("test.jsonl", 1),
            List.of());
    assertEquals(
        List.of(
            "Nikola Tesla: inventor and engineer",
            "Nikola Tesla's claims: date of birth: 1856",
            "Tesla built the Wardenclyffe tower."),
        PickOthers.SummariseFn.factsOf(tesla));
  }

  @Test
  public void theCheckDropsContrastiveQuestionsTheRoleCouldKnowAndCountsThem() {
    RoleCard nemo =
        card(
            role(
                "nemo",
                "Captain Nemo",
                "Nemo built the submarine Nautilus. He plays the organ in his salon."));
    Query known =
        new Query(
            nemo,
            0,
            QueryType.IN_KNOWLEDGE,
            "Captain Nemo, did you build the Nautilus?",
            "Nemo built the submarine Nautilus.",
            null,
            List.of());
    Query foreign =
        new Query(
            nemo,
            1,
            QueryType.CONTRASTIVE,
            "Captain Nemo, what do you think of the Wardenclyffe tower Tesla built?",
            null,
            "tesla",
            List.of());
    Query ownWorld =
        new Query(
            nemo,
            2,
            QueryType.CONTRASTIVE,
            "Captain Nemo, who plays the organ in the salon of the submarine Nautilus?",
            null,
            "someone",
            List.of());
    var task = CheckContrastive.stage(SETTINGS);
    QuerySet set = new QuerySet(nemo, List.of(known, foreign, ownWorld), 0);
    var request = task.request(set);
    assertThat(request.messages().get(1).content(), containsString("1. " + foreign.question()));
    assertThat(request.messages().get(1).content(), containsString("2. " + ownWorld.question()));
    QuerySet checked = run(task, set).get(0);
    assertEquals(List.of(known, foreign), checked.queries());
    assertEquals(1, checked.knowable());
  }

  @Test
  public void theContrastCheckAsksForExactlyOneLabelPerContrastiveQuestion() {
    RoleCard nemo = card(role("nemo", "Captain Nemo", "Nemo built the submarine Nautilus."));
    List<Query> asked = new ArrayList<>();
    asked.add(new Query(nemo, 0, QueryType.IN_KNOWLEDGE, "q0", "e", null, List.of("A", "B", "C")));
    for (int i = 1; i <= 3; i++) {
      asked.add(
          new Query(
              nemo, i, QueryType.CONTRASTIVE, "q" + i, null, "tesla", List.of("A", "B", "C")));
    }
    var stage = CheckContrastive.stage(SETTINGS);
    var request = stage.request(new QuerySet(nemo, asked, 0));
    // Narrowed to the three contrastive questions (sized), and each label's index to 1..3
    // (adjusting): both changes apply, in that order.
    assertEquals(3, request.schema().at("/properties/labels/minItems").asInt());
    assertEquals(3, request.schema().at("/properties/labels/maxItems").asInt());
    assertEquals(
        3, request.schema().at("/properties/labels/items/properties/index/maximum").asInt());
    assertEquals(SETTINGS.stage("ditto_contrast_check").maxTokens() + 3 * 120, request.maxTokens());
  }
}
