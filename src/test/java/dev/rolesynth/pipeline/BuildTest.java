package dev.rolesynth.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.avro.SimsChatLine;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pipeline.RolePipeline.Outputs;
import dev.rolesynth.pipeline.RolePipeline.Renderings;
import dev.rolesynth.pool.Origin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/**
 * The contract's side of a recipe: every step's dead letters reach the run's failures without the
 * method flattening them, and declared datasets are written exactly once each.
 */
public class BuildTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Renderings<ChatTurn> TURNS =
      Renderings.of(ChatTurn.class).with("json", ChatTurn::toString);

  private static Build build(String... datasets) {
    Map<String, Renderings<?>> declared = new LinkedHashMap<>();
    for (String d : datasets) {
      declared.put(d, TURNS);
    }
    RunInfo run = new RunInfo("test", "1", "t", 1, LlmConfig.sim(), "sim", Map.of(), 1);
    return new Build(run, declared);
  }

  private static Failure failure(String id, String reason) {
    return new Failure(id, id, "test", reason, id + " " + reason, new Origin("pool.jsonl", 1));
  }

  @Test
  public void deadLettersOfEveryStepReachTheFailuresAndDatasetsKeepTheirDeclaredOrder() {
    Build b = build("turns", "more");
    PCollection<String> names = p.apply("Names", Create.of("ann", "bo", "cyd"));
    var pool = p.apply("Pool", Create.of("ann", "cyd")).apply(View.asList());
    PCollection<String> known =
        b.collect(
            names.apply(
                "Known",
                EachOrFail.<String, List<String>, String>with(
                    pool,
                    String.class,
                    (n, all, out) -> {
                      if (all.contains(n)) {
                        out.output(n);
                      } else {
                        out.fail(failure(n, "unknown"));
                      }
                    })));
    PCollection<String> longer =
        b.keepIf("Long", known, n -> n.length() > 3 ? null : failure(n, "short"));
    b.write("more", longer, n -> new ChatTurn("user", n));
    b.write("turns", known, n -> new ChatTurn("assistant", n));
    Outputs out = b.outputs();
    assertEquals(List.of("turns", "more"), out.datasets().stream().map(d -> d.name()).toList());
    PAssert.that(
            out.failures().apply(MapElements.into(TypeDescriptors.strings()).via(f -> f.detail())))
        .containsInAnyOrder("bo unknown", "ann short", "cyd short");
    PAssert.that(
            out.<ChatTurn>get("turns")
                .apply(
                    "Texts", MapElements.into(TypeDescriptors.strings()).via(t -> t.getContent())))
        .containsInAnyOrder("ann", "cyd");
    PAssert.that(out.<ChatTurn>get("more")).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void aDatasetMayHaveNoneOneOrMoreRecordsOfAnElement() {
    Build b = build("turns", "more");
    PCollection<String> names =
        b.keepIf(
            "NotDan",
            p.apply(Create.of("ann", "bo", "cyd", "dan")),
            n -> n.equals("dan") ? failure(n, "dan") : null);
    b.writeEach(
        "turns",
        names,
        n ->
            n.equals("bo")
                ? List.of()
                : List.of(new ChatTurn("user", n), new ChatTurn("assistant", n)));
    b.writeEach("more", names, n -> List.of());
    Outputs out = b.outputs();
    PAssert.that(
            out.<ChatTurn>get("turns")
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(t -> t.getRole() + ":" + t.getContent())))
        .containsInAnyOrder("user:ann", "assistant:ann", "user:cyd", "assistant:cyd");
    PAssert.that(out.<ChatTurn>get("more")).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void aDatasetNotDeclaredWrittenTwiceOrNeverWrittenIsAnErrorWhenTheGraphIsBuilt() {
    Build b = build("turns", "more");
    PCollection<String> names = p.apply(Create.of("ann"));
    IllegalStateException undeclared =
        assertThrows(
            IllegalStateException.class,
            () -> b.write("other", names, n -> new ChatTurn("user", n)));
    assertTrue(
        undeclared.getMessage(), undeclared.getMessage().contains("'other' is not declared"));
    b.write("turns", names, n -> new ChatTurn("user", n));
    IllegalStateException twice =
        assertThrows(
            IllegalStateException.class,
            () ->
                b.write(
                    "turns",
                    names.apply("Again", MapElements.into(TypeDescriptors.strings()).via(n -> n)),
                    n -> new ChatTurn("user", n)));
    assertTrue(twice.getMessage(), twice.getMessage().contains("written twice"));
    IllegalStateException missing = assertThrows(IllegalStateException.class, b::outputs);
    assertEquals("declared datasets never written: [more]", missing.getMessage());
    p.enableAbandonedNodeEnforcement(false);
  }

  @Test
  public void severalDatasetsOfDifferentTypesAreMadeInOnePassEachRecordToItsOwn() {
    Map<String, Renderings<?>> declared = new LinkedHashMap<>();
    declared.put("turns", TURNS);
    declared.put("lines", Renderings.of(SimsChatLine.class));
    declared.put("more", TURNS);
    RunInfo run = new RunInfo("test", "1", "t", 1, LlmConfig.sim(), "sim", Map.of(), 1);
    Build b = new Build(run, declared);
    PCollection<String> names =
        b.keepIf(
            "NotCyd",
            p.apply(Create.of("ann", "bo", "cyd")),
            n -> n.equals("cyd") ? failure(n, "cyd") : null);
    IllegalStateException shared =
        assertThrows(
            IllegalStateException.class, () -> b.writeEach(names, n -> List.of(), "turns", "more"));
    assertTrue(shared.getMessage(), shared.getMessage().contains("share a record type"));
    b.writeEach(
        names,
        n ->
            n.equals("bo")
                ? List.of(new SimsChatLine(n, "(speaking)", "hi"))
                : List.of(new ChatTurn("user", n), new SimsChatLine(n, "(thinking)", "hm")),
        "turns",
        "lines");
    b.write("more", names, n -> new ChatTurn("assistant", n));
    Outputs out = b.outputs();
    PAssert.that(
            out.<ChatTurn>get("turns")
                .apply(MapElements.into(TypeDescriptors.strings()).via(t -> t.getContent())))
        .containsInAnyOrder("ann");
    PAssert.that(
            out.<SimsChatLine>get("lines")
                .apply(
                    "Lines",
                    MapElements.into(TypeDescriptors.strings())
                        .via(l -> l.getRole() + l.getAction())))
        .containsInAnyOrder("ann(thinking)", "bo(speaking)");
    p.run().waitUntilFinish();
  }
}
