package dev.rolesynth.pipeline;

import dev.rolesynth.pool.Origin;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/**
 * A filter step keeps what passes and gives every other element a dead letter with the method's
 * reason.
 */
public class KeepIfTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void keepsWhatPassesAndNamesWhyTheRestWentNowhere() {
    WithFailures.Result<PCollection<String>, Failure> r =
        p.apply(Create.of("ann", "bo", "cyd", "di"))
            .apply(
                KeepIf.passing(
                    s ->
                        s.length() >= 3
                            ? null
                            : new Failure(
                                s,
                                s,
                                "test_filter",
                                "too_short",
                                s + " has " + s.length() + " letters",
                                new Origin("pool.jsonl", 1))));
    PAssert.that(r.output()).containsInAnyOrder("ann", "cyd");
    PAssert.that(
            r.failures()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            f ->
                                f.recordId()
                                    + ":"
                                    + f.stage()
                                    + ":"
                                    + f.reason()
                                    + ":"
                                    + f.detail())))
        .containsInAnyOrder(
            "bo:test_filter:too_short:bo has 2 letters",
            "di:test_filter:too_short:di has 2 letters");
    p.run().waitUntilFinish();
  }
}
