package dev.rolesynth.rolemrc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.RoleMrcConversation;
import dev.rolesynth.avro.RoleMrcPreference;
import dev.rolesynth.avro.RoleMrcProfile;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pipeline.AvroRecordCoder;
import dev.rolesynth.pipeline.KryoCoder;
import dev.rolesynth.pipeline.RolePipeline.Outputs;
import dev.rolesynth.pipeline.RunInfo;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.rolemrc.RoleMrc.Made;
import dev.rolesynth.rolemrc.RoleMrc.Match;
import dev.rolesynth.rolemrc.RoleMrc.Matched;
import dev.rolesynth.rolemrc.RoleMrc.MrcItem;
import dev.rolesynth.rolemrc.RoleMrc.Persona;
import dev.rolesynth.rolemrc.RoleMrc.Profile;
import dev.rolesynth.rolemrc.RoleMrc.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.junit.Rule;
import org.junit.Test;

/**
 * RoleMRC's composite transform on the in-process simulator, and its record building on its own.
 */
public class RoleMrcPipelineTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Origin AT = new Origin("personas.jsonl", 1);

  static RoleMrcSettings settings(String... args) {
    return new RoleMrcSettings(PipelineOptionsFactory.fromArgs(args).as(RoleMrcOptions.class));
  }

  static RunInfo run(RoleMrcSettings s) {
    return new RunInfo("rolemrc", "1.0.0", "t", 42, LlmConfig.sim(), "sim", s.templateHashes(), 2);
  }

  @Test
  public void eachPersonaGetsItsProfileItsItemsAndEveryTask() {
    RoleMrcSettings s = settings("--narration=with");
    List<Persona> personas =
        List.of(
            new Persona(
                "baker",
                "A night baker who keeps sourdough starters and bakes rye bread.",
                AT,
                List.of()),
            new Persona(
                "diver",
                "A marine biologist who dives to study coral reefs and warm water.",
                new Origin("personas.jsonl", 2),
                List.of()));
    Outputs out =
        new RoleMrcPipeline()
            .outputs(
                p.apply(Create.of(personas).withCoder(KryoCoder.of(Persona.class))), s, run(s));
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
                assertEquals("system", c.getConversations().get(0).getRole());
              }
              assertEquals(2 * 9, n); // both most relevant items have an answer: every task
              return null;
            });
    p.run().waitUntilFinish();
  }

  private static Task task(String kind, String answer) {
    Profile pr =
        new Profile(
            new Persona("r", "A baker.", AT, List.of()),
            "Ada",
            "A baker.",
            List.of("baking"),
            "warm",
            List.of("kind"),
            "Years of baking.",
            "Knows nothing of law.",
            List.of("(smiles) Hello."));
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
    return new Task(new Matched(pr, new Match(most, 3), new Match(least, 0)), kind, false, true);
  }

  /** Which reply each task ends with and which it rules out, from what the calls made. */
  @Test
  public void recordsPairTheRequiredReplyWithTheOneTheTaskRulesOut() {
    RoleMrcSettings s = settings("--narration=none");
    Made most =
        new Made(task("most", "Starters hold yeast."), "most", List.of(), "ANSWER-M", "REFUSAL-M");
    Made least =
        new Made(
            task("least", "Starters hold yeast."), "least", List.of(), "ANSWER-L", "REFUSAL-L");
    Made nested =
        new Made(most.task(), "nested", List.of(), "REWRITTEN", "ANSWER-M " + "word ".repeat(60));
    PCollectionTuple out =
        p.apply(
                Create.of(KV.of("r", (Iterable<Made>) List.of(most, least, nested)))
                    .withCoder(
                        org.apache.beam.sdk.coders.KvCoder.of(
                            org.apache.beam.sdk.coders.StringUtf8Coder.of(),
                            org.apache.beam.sdk.coders.IterableCoder.of(KryoCoder.of(Made.class)))))
            .apply(
                ParDo.of(new BuildRecords(s, run(s)))
                    .withOutputTags(BuildRecords.SFT, TupleTagList.of(BuildRecords.DPO)));
    out.get(BuildRecords.SFT).setCoder(AvroRecordCoder.of(RoleMrcConversation.class));
    out.get(BuildRecords.DPO).setCoder(AvroRecordCoder.of(RoleMrcPreference.class));
    PAssert.that(out.get(BuildRecords.DPO))
        .satisfies(
            all -> {
              Map<String, String> pairs = new HashMap<>();
              for (RoleMrcPreference r : all) {
                pairs.put(r.getTask(), r.getChosen() + " > " + r.getRejected().split(" ")[0]);
              }
              Map<String, String> expected =
                  new HashMap<>(
                      Map.of(
                          "role_related_mrc_answer_no_narration", "ANSWER-M > REFUSAL-M",
                          "role_unrelated_mrc_refused_no_narration", "REFUSAL-L > ANSWER-L",
                          "role_unrelated_mrc_answer_no_narration", "ANSWER-L > REFUSAL-L",
                          "role_related_mrc_answer_no_narration-2ndrefused", "REFUSAL-L > ANSWER-L",
                          "role_unrelated_mrc_refused_no_narration-2ndanswer",
                              "ANSWER-M > REFUSAL-M",
                          "role_related_mrc_answer_no_narration-refused", "REFUSAL-M > ANSWER-M"));
              // The first answer (60 words, no question, no name first) breaks every rule: a pair
              // against the rewrite.
              assertTrue(Stages.ruleProblem(s, most.task(), nested.refusal()) != null);
              expected.put(
                  "role_related_mrc_answer_no_narration-special-format", "REWRITTEN > ANSWER-M");
              assertEquals(expected, pairs);
              return null;
            });
    PAssert.that(out.get(BuildRecords.SFT))
        .satisfies(
            all -> {
              for (RoleMrcConversation c : all) {
                List<ChatTurn> t = c.getConversations();
                if (c.getTask().endsWith("-2ndrefused")) {
                  assertEquals(
                      List.of("system", "user", "assistant", "user", "assistant"),
                      t.stream().map(ChatTurn::getRole).toList());
                  assertEquals("ANSWER-M", t.get(2).getContent());
                  assertTrue(t.get(3).getContent().endsWith("Question: how is tax calculated"));
                }
                if (c.getTask().endsWith("-refused") && !c.getTask().contains("unrelated")) {
                  assertTrue(
                      t.get(0)
                          .getContent()
                          .contains(
                              "Do not answer the question \"why does sourdough need a starter\""));
                }
                if (c.getTask().startsWith("role_unrelated_mrc_answer")) {
                  assertTrue(t.get(0).getContent().contains("still make an attempt"));
                }
              }
              return null;
            });
    p.run().waitUntilFinish();
  }
}
