package dev.rolesynth.pipeline;

import static org.junit.Assert.assertEquals;

import dev.rolesynth.pool.Role;
import dev.rolesynth.pool.RoleMapper;
import dev.rolesynth.pool.RoleMapperAccess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

public class ReadPoolTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  static String pool(String name) throws Exception {
    return Path.of(ReadPoolTest.class.getResource("/pools/" + name).toURI()).toString();
  }

  @Test
  public void everyRecordBecomesARoleOrANamedFailure() throws Exception {
    String file = pool("mixed.jsonl");
    var read = p.apply(ReadPool.from(file, "auto", new RoleMapper(Map.of(), 20_000), 0));
    PCollection<String> ids =
        read.output().apply("Ids", MapElements.into(TypeDescriptors.strings()).via(Role::id));
    PAssert.that(ids)
        .containsInAnyOrder(
            "r-" + RoleMapperAccess.hash("Ada Lovelace"),
            "r-" + RoleMapperAccess.hash("Odysseus"),
            "nemo",
            "mulan",
            "mira",
            "tesla");
    PCollection<String> failures =
        read.failures()
            .apply(
                "Reasons",
                MapElements.into(TypeDescriptors.strings())
                    .via(f -> f.origin().line() + ":" + f.reason()));
    // 13 lines, one blank: 6 roles + 6 failures, the duplicate id among them.
    PAssert.that(failures)
        .containsInAnyOrder(
            "4:malformed_json",
            "5:missing_field",
            "6:wrong_type",
            "9:duplicate_id",
            "11:not_an_object",
            "12:invalid_utf8");
    PAssert.that(read.failures())
        .satisfies(
            all -> {
              for (Failure f : all) {
                assertEquals(file, f.origin().file());
                assertEquals(true, f.detail().contains(file));
                assertEquals("read", f.stage());
              }
              Failure dup =
                  StreamSupport.stream(all.spliterator(), false)
                      .filter(f -> f.reason().equals("duplicate_id"))
                      .findFirst()
                      .get();
              assertEquals(true, dup.detail().contains("already defined at " + file + ":3"));
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void limitKeepsTheFirstRolesInFileOrder() throws Exception {
    var read =
        p.apply(ReadPool.from(pool("mixed.jsonl"), "auto", new RoleMapper(Map.of(), 20_000), 3));
    PAssert.that(read.output().apply(MapElements.into(TypeDescriptors.strings()).via(Role::name)))
        .containsInAnyOrder(List.of("Ada Lovelace", "Odysseus", "Captain Nemo"));
    p.run().waitUntilFinish();
  }

  @Test
  public void globsReadSeveralFormatsAtOnce() throws Exception {
    String dir = Path.of(pool("roles.csv")).getParent().toString();
    var read =
        p.apply(ReadPool.from(dir + "/roles.*", "auto", new RoleMapper(Map.of(), 20_000), 0));
    // roles.json and roles.csv share the ids nemo and mulan: the first file in order wins each.
    PAssert.that(
            read.output()
                .apply(
                    "Ids",
                    MapElements.into(TypeDescriptors.strings())
                        .via(r -> r.id() + "@" + Path.of(r.origin().file()).getFileName())))
        .containsInAnyOrder("nemo@roles.csv", "mulan@roles.csv", "mira@roles.json");
    PAssert.that(
            read.failures()
                .apply("Reasons", MapElements.into(TypeDescriptors.strings()).via(Failure::reason)))
        .containsInAnyOrder("duplicate_id", "duplicate_id");
    p.run().waitUntilFinish();
  }

  @Test
  public void namesakesFromOtherWorksAreOtherRolesAndOnlyTrueRepeatsAreDuplicates()
      throws Exception {
    String file = pool("namesakes.jsonl");
    var read =
        p.apply(ReadPool.from(file, "auto", new RoleMapper(Map.of("aliases", "别称"), 20_000), 0));
    PAssert.that(
            read.output()
                .apply(
                    "NameLine",
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            r ->
                                r.name()
                                    + "@"
                                    + r.origin().line()
                                    + (r.id().endsWith("-l" + r.origin().line())
                                        ? " by line"
                                        : ""))))
        .containsInAnyOrder(
            "沈青@1", "沈青@2", "韩墨@3", "韩墨@5 by line", "Ada Lovelace@6", "Ada Lovelace@7");
    PAssert.that(
            read.output()
                .apply("DistinctIds", MapElements.into(TypeDescriptors.strings()).via(Role::id))
                .apply(org.apache.beam.sdk.transforms.Distinct.create())
                .apply(org.apache.beam.sdk.transforms.Count.globally()))
        .containsInAnyOrder(6L);
    PAssert.that(read.failures())
        .satisfies(
            all -> {
              Failure f = all.iterator().next();
              assertEquals(4, f.origin().line());
              assertEquals("duplicate_record", f.reason());
              assertEquals(
                  file
                      + ":4 repeats "
                      + file
                      + ":3: the same name, 所属作品, 文件路径 and the same content",
                  f.detail());
              assertEquals(1, StreamSupport.stream(all.spliterator(), false).count());
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  public void aLimitWeighsOnlyTheLinesItReadToFindItsRecords() throws Exception {
    // Lines 6-8 (torn, a repeat of l2, a name that is a number) come after the third usable record.
    var read =
        p.apply(ReadPool.from(pool("limit.jsonl"), "auto", new RoleMapper(Map.of(), 20_000), 3));
    PAssert.that(read.output().apply(MapElements.into(TypeDescriptors.strings()).via(Role::id)))
        .containsInAnyOrder("l1", "l2", "l3");
    PAssert.that(read.failures()).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void withoutALimitEveryBadLineIsADeadLetter() throws Exception {
    var read =
        p.apply(ReadPool.from(pool("limit.jsonl"), "auto", new RoleMapper(Map.of(), 20_000), 0));
    PAssert.that(
            read.failures()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(f -> f.origin().line() + ":" + f.reason())))
        .containsInAnyOrder("6:malformed_json", "7:duplicate_record", "8:wrong_type");
    p.run().waitUntilFinish();
  }
}
