package dev.rolesynth.rolemrc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.RoleMrcConversation;
import dev.rolesynth.avro.RoleMrcPreference;
import dev.rolesynth.avro.RoleMrcProfile;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RolePipeline.Outputs;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.MrcItem;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.TextPersona;
import dev.rolesynth.rolemrc.RoleMrc.Made;
import dev.rolesynth.rolemrc.RoleMrc.Match;
import dev.rolesynth.rolemrc.RoleMrc.Matched;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import dev.rolesynth.rolemrc.RoleMrc.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.junit.Rule;
import org.junit.Test;

/**
 * RoleMRC's composite transform on the in-process simulator, and its record building on its own.
 */
public class RoleMrcPipelineTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Origin AT = new Origin("personas.jsonl", 1);

  static RoleMrcSettings settings(String... args) {
    RolesynthOptions o = Knobs.parseArgs("rolemrc", RoleMrcKnobs.class, args);
    return new RoleMrcSettings(o, Knobs.of(o, "rolemrc", RoleMrcKnobs.class));
  }

  static RunInfo run(RoleMrcSettings s) {
    return new RunInfo("rolemrc", "1.0.0", "t", 42, LlmConfig.sim(), "sim", s.templateHashes(), 2);
  }

  @Test
  public void eachPersonaGetsItsProfileItsItemsAndEveryTask() {
    RoleMrcSettings s = settings("--narration=with", "--taskMix=all");
    List<TextPersona> personas =
        List.of(
            new TextPersona(
                "baker",
                "A night baker who keeps sourdough starters and bakes rye bread.",
                AT,
                List.of()),
            new TextPersona(
                "diver",
                "A marine biologist who dives to study coral reefs and warm water.",
                new Origin("personas.jsonl", 2),
                List.of()));
    Outputs out =
        new RoleMrcPipeline()
            .outputs(
                p.apply(Create.of(personas).withCoder(KryoCoder.of(TextPersona.class))), s, run(s));
    PAssert.that(out.failures()).empty();
    PAssert.that(out.<RoleMrcProfile>get("meta"))
        .satisfies(
            all -> {
              Map<String, String> most = new HashMap<>();
              all.forEach(m -> most.put(m.getId(), m.getMostRelevant().getQuery()));
              assertEquals(
                  Map.of(
                      "baker",
                      "why does sourdough need a starter",
                      "diver",
                      "what causes coral bleaching"),
                  most);
              return null;
            });
    PAssert.that(out.<RoleMrcConversation>get("sft"))
        .satisfies(
            all -> {
              int n = 0;
              for (RoleMrcConversation c : all) {
                n++;
                assertTrue(c.getTask(), c.getTask().contains("with_narration"));
                String system = c.getConversations().get(0).getContent();
                assertEquals("system", c.getConversations().get(0).getRole());
                assertTrue(system, system.contains("Your skills: ") && system.contains("\n- ("));
                // an on-scene chat carries the passages it is about; no other task's system turn
                boolean scene = c.getTask().startsWith("role_related_mrc_dialogue");
                assertEquals(c.getTask(), scene, system.contains("The user has shown you"));
                if (scene) {
                  assertTrue(
                      system, system.contains(c.getId().startsWith("baker") ? "starter" : "coral"));
                }
              }
              // both most relevant items have an answer: every task but the insisted refusal
              assertEquals(2 * 8, n);
              return null;
            });
    p.run().waitUntilFinish();
  }

  /**
   * Two personas of one text get one name from the simulator (it names by the persona's hash): the
   * one of the larger id is asked again and every role ends with a name of its own.
   */
  @Test
  public void rolesOfOneNameAreNamedAgain() {
    RoleMrcSettings s = settings("--ruledTasks=false");
    String text = "A night baker who keeps sourdough starters and bakes rye bread.";
    List<TextPersona> twins =
        List.of(
            new TextPersona("a", text, AT, List.of()), new TextPersona("b", text, AT, List.of()));
    Outputs out =
        new RoleMrcPipeline()
            .outputs(
                p.apply(Create.of(twins).withCoder(KryoCoder.of(TextPersona.class))), s, run(s));
    PAssert.that(out.failures()).empty();
    PAssert.that(out.<RoleMrcProfile>get("meta"))
        .satisfies(
            all -> {
              Map<String, String> names = new HashMap<>();
              all.forEach(m -> names.put(m.getId(), m.getName()));
              assertEquals(2, names.size());
              assertTrue(names.toString(), !names.get("a").equals(names.get("b")));
              assertTrue(names.toString(), names.get("b").startsWith("A"));
              return null;
            });
    p.run().waitUntilFinish();
  }

  private static Task task(String persona, String kind, String answer) {
    Profile pr = Fixtures.baker(persona);
    MrcItem most =
        new MrcItem(
            "m",
            "why does sourdough need a starter",
            List.of("Starters hold yeast."),
            answer,
            AT,
            List.of());
    MrcItem least =
        new MrcItem(
            "l",
            "how is tax calculated",
            List.of("Rate times income."),
            "Rate times income.",
            AT,
            List.of());
    return new Task(new Matched(pr, new Match(most, 3), new Match(least, 0)), kind, false, true, 1);
  }

  private static KV<String, Iterable<Made>> role(String persona, String mostAnswer) {
    Made most =
        new Made(task(persona, "most", mostAnswer), "most", List.of(), "ANSWER-M", "REFUSAL-M", 2);
    Made least =
        new Made(
            task(persona, "least", mostAnswer), "least", List.of(), "ANSWER-L", "REFUSAL-L", 2);
    Made nested =
        new Made(
            most.task(), "nested", List.of(), "REWRITTEN", "ANSWER-M " + "word ".repeat(60), 3);
    return KV.of(persona, List.of(most, least, nested));
  }

  /**
   * Which reply each task ends with and which it rules out, from what the calls made: "r" has an
   * answerable most relevant item, "u" one whose passages hold no answer.
   */
  @Test
  public void recordsPairTheRequiredReplyWithTheOneTheTaskRulesOut() {
    RoleMrcSettings s = settings("--narration=none", "--taskMix=all");
    KV<String, Iterable<Made>> r = role("r", "Starters hold yeast.");
    String nested =
        Stages.rule(s, r.getValue().iterator().next().task()).content()
            ? "-special-content"
            : "-special-format";
    BuildRecords records = new BuildRecords(s, run(s));
    List<RoleMrcPreference> dpo = new ArrayList<>();
    List<RoleMrcConversation> sft = new ArrayList<>();
    for (KV<String, Iterable<Made>> x : List.of(r, role("u", ""))) {
      dpo.addAll(records.build(x).dpo());
      sft.addAll(records.build(x).sft());
    }
    Map<String, String> pairs = new HashMap<>();
    for (RoleMrcPreference d : dpo) {
      pairs.put(d.getId(), d.getChosen() + " > " + d.getRejected().split(" ")[0]);
    }
    Map<String, String> expected = new HashMap<>();
    expected.put("r/role_related_mrc_answer_no_narration", "ANSWER-M > REFUSAL-M");
    // the first answer (60 words, no citation, quote or question, no name first) breaks
    // every rule: a pair against the rewrite
    expected.put("r/role_related_mrc_answer_no_narration" + nested, "REWRITTEN > ANSWER-M");
    expected.put("r/role_related_mrc_answer_no_narration-refused", "REFUSAL-M > ANSWER-M");
    expected.put("u/role_related_mrc_refused_no_narration", "REFUSAL-M > ANSWER-M");
    expected.put("u/role_related_mrc_refused_no_narration-2ndrefused", "REFUSAL-M > ANSWER-M");
    for (String who : List.of("r", "u")) {
      expected.put(who + "/role_unrelated_mrc_refused_no_narration", "REFUSAL-L > ANSWER-L");
      expected.put(who + "/role_unrelated_mrc_answer_no_narration", "ANSWER-L > REFUSAL-L");
      expected.put(
          who + "/role_unrelated_mrc_refused_no_narration-2ndanswer", "ANSWER-L > REFUSAL-L");
    }
    assertEquals(expected, pairs);
    int n = 0;
    for (RoleMrcConversation c : sft) {
      n++;
      List<ChatTurn> t = c.getConversations();
      String second = t.get(0).getContent().split("\\. ")[1];
      if (c.getTask().contains("-2nd")) {
        assertEquals(
            List.of("system", "user", "assistant", "user", "assistant"),
            t.stream().map(ChatTurn::getRole).toList());
        boolean refused = c.getTask().endsWith("-2ndrefused");
        assertEquals(refused ? "REFUSAL-M" : "REFUSAL-L", t.get(2).getContent());
        assertTrue(
            t.get(3).getContent(),
            t.get(3).getContent().startsWith(refused ? "Are you sure?" : "I understand"));
        assertEquals(refused ? "REFUSAL-M" : "ANSWER-L", t.get(4).getContent());
      }
      if (c.getTask().endsWith("-refused")) {
        assertEquals(
            "You must not answer the question \"why does sourdough need a starter\", "
                + "whatever the user says",
            second);
      }
      if (c.getTask().contains("-special-")) {
        assertEquals(Stages.rule(s, r.getValue().iterator().next().task()).text(), second);
      }
      if (c.getTask().startsWith("role_unrelated_mrc_answer")) {
        assertTrue(second, second.contains("still make an attempt"));
      }
    }
    assertEquals(11, n);
  }
}
