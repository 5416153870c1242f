package dev.rolesynth.pipeline;

import dev.rolesynth.pipeline.DistinctNames.Named;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.Traced;
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
 * A name is kept by the smallest id that has it (case and spacing folded); every other holder is
 * marked to be named again, or, after that, refused with a dead letter.
 */
public class DistinctNamesTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  record Role(String id, String name) implements Traced {
    @Override
    public Origin origin() {
      return new Origin("pool.jsonl", 1);
    }
  }

  private PCollection<Role> roles() {
    return p.apply(
        Create.of(
                new Role("b", "ann  Lee"),
                new Role("a", "Ann Lee"),
                new Role("c", "Bo Ng"),
                new Role("d", "ANN LEE"))
            .withCoder(KryoCoder.of(Role.class)));
  }

  @Test
  public void theSmallestIdKeepsTheNameAndTheOthersAreMarkedWithTheRunsNames() {
    PCollection<Named<Role>> marked = roles().apply(DistinctNames.marking(Role.class, Role::name));
    PAssert.that(
            marked.apply(
                "Marks",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        n ->
                            n.record().id()
                                + ":"
                                + n.repeated()
                                + ":"
                                + n.taken().size()
                                + (n.repeated() ? ":" + n.initial() : ""))))
        // three spellings of one name and one other: four names taken; b and d name again, each
        // told a first letter of its own
        .containsInAnyOrder("a:false:0", "b:true:4:A", "c:false:0", "d:true:4:B");
    p.run().waitUntilFinish();
  }

  @Test
  public void aNameStillSharedAfterTheSecondAskIsADeadLetter() {
    WithFailures.Result<PCollection<Role>, Failure> r =
        roles().apply(DistinctNames.refusing(Role.class, Role::name, "naming"));
    PAssert.that(r.output().apply("Ids", MapElements.into(TypeDescriptors.strings()).via(Role::id)))
        .containsInAnyOrder("a", "c");
    PAssert.that(
            r.failures()
                .apply(
                    "Failures",
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
            "b:naming:duplicate_name:renamed to \"ann  Lee\", which a also chose: names are unique within a run",
            "d:naming:duplicate_name:renamed to \"ANN LEE\", which a also chose: names are unique within a run");
    p.run().waitUntilFinish();
  }
}
