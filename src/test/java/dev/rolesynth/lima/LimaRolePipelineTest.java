package dev.rolesynth.lima;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.avro.LimaRoleSample;
import dev.rolesynth.avro.SelfPromptSample;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pipeline.Failure;
import dev.rolesynth.pipeline.KeepIf;
import dev.rolesynth.pipeline.RolePipeline.Outputs;
import dev.rolesynth.pipeline.RunInfo;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;

public class LimaRolePipelineTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  static List<Item> items() throws Exception {
    return List.of(
        LimaRulesTest.map(
            "{\"id\": \"a\", \"conversations\": [\"How do I patch a bicycle tube?\", \"Find the hole, glue, patch.\"]}"),
        LimaRulesTest.map(
            "{\"id\": \"b\", \"instruction\": \"Write a haiku about rain.\", \"output\": \"Soft rain on the roof\"}"),
        LimaRulesTest.map(
            "{\"id\": \"c\", \"conversations\": [\"Plan a picnic for six people.\"]}"));
  }

  static RunInfo run(LimaRoleSettings s) {
    return new RunInfo(
        "lima-role", "1.0.0", "t", 42, LlmConfig.sim(), "sim", s.templateHashes(), 2);
  }

  @Test
  public void eachItemGetsARolePromptAndItemsWithAnAnswerAnSftRecord() throws Exception {
    LimaRoleSettings s = LimaRulesTest.settings();
    Outputs out =
        new LimaRolePipeline()
            .outputs(
                p.apply(Create.of(items()).withCoder(SerializableCoder.of(Item.class))), s, run(s));
    PAssert.that(out.failures()).empty();
    PAssert.that(out.<SelfPromptSample>get("selfprompt"))
        .satisfies(
            all -> {
              int n = 0;
              for (SelfPromptSample r : all) {
                n++;
                assertNull(r.getJudge());
                assertTrue(r.getRolePrompt().startsWith("From now on, you are"));
                assertTrue(r.getRolePrompt().contains(r.getRole().replaceFirst("^an? ", "")));
                assertEquals(1, r.getProvenance().getLlmCalls());
              }
              assertEquals(3, n);
              return null;
            });
    PAssert.that(out.<LimaRoleSample>get("sft"))
        .satisfies(
            all -> {
              int n = 0;
              for (LimaRoleSample r : all) {
                n++;
                assertNotEquals("c", r.getId());
                assertTrue(!r.getAnswer().isEmpty());
              }
              assertEquals(2, n);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void theFilterDropsOnlyItemsWhoseNeutralAnswerWonInBothOrders() throws Exception {
    LimaRoleSettings s = LimaRulesTest.settings("--withJudge=true", "--keepRoleNotLosing=true");
    List<Item> it = items();
    Lima.Annotation role =
        new Lima.Annotation(
            "a bicycle mechanic", "From now on, you are a bicycle mechanic.", "Sure.");
    List<Lima.Annotated> judged =
        List.of(
            new Lima.Annotated(it.get(0), role, new Lima.Judged("r", "n", "neutral", "neutral"), 5),
            new Lima.Annotated(it.get(1), role, new Lima.Judged("r", "n", "neutral", "role"), 5),
            new Lima.Annotated(it.get(2), role, new Lima.Judged("r", "n", "role", "role"), 5));
    var kept =
        p.apply(Create.of(judged).withCoder(SerializableCoder.of(Lima.Annotated.class)))
            .apply(KeepIf.passing(BuildRecords::neutralWon));
    var run = run(s);
    PAssert.that(
            kept.output()
                .apply(
                    org.apache.beam.sdk.transforms.MapElements.into(
                            org.apache.beam.sdk.values.TypeDescriptors.strings())
                        .via(
                            (Lima.Annotated a) ->
                                a.item().id()
                                    + ":"
                                    + BuildRecords.selfPrompt(a, run).getJudge().getWinner())))
        .containsInAnyOrder("b:tie", "c:role");
    PAssert.that(
            kept.failures()
                .apply(
                    "Dropped",
                    org.apache.beam.sdk.transforms.MapElements.into(
                            org.apache.beam.sdk.values.TypeDescriptors.strings())
                        .via((Failure f) -> f.recordId() + ":" + f.reason())))
        .containsInAnyOrder("a:judge_filtered");
    p.run().waitUntilFinish();
  }

  @Test
  public void withTheJudgeAndFilterNoKeptItemLostAndDroppedOnesAreDeadLetters() throws Exception {
    LimaRoleSettings s = LimaRulesTest.settings("--withJudge=true", "--keepRoleNotLosing=true");
    Outputs out =
        new LimaRolePipeline()
            .outputs(
                p.apply(Create.of(items()).withCoder(SerializableCoder.of(Item.class))), s, run(s));
    PAssert.that(out.<SelfPromptSample>get("selfprompt"))
        .satisfies(
            all -> {
              for (SelfPromptSample r : all) {
                assertNotEquals("neutral", r.getJudge().getWinner());
                assertEquals(5, r.getProvenance().getLlmCalls());
              }
              return null;
            });
    PAssert.that(out.failures())
        .satisfies(
            all -> {
              for (Failure f : all) {
                assertEquals("judge_filtered", f.reason());
                assertTrue(f.filtered(new LimaRolePipeline().filterReasons()));
              }
              return null;
            });
    p.run().waitUntilFinish();
  }
}
