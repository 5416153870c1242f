package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The authors' own files run as they are: one character in two works is two roles in every pipeline
 * that reads roles, only a true repeat is a dead letter, and a trial run with --limit is judged on
 * the records it took, not on lines after them.
 */
public class RoleIdsEndToEndTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static String pool(String name) throws Exception {
    return Path.of(RoleIdsEndToEndTest.class.getResource("/pools/" + name).toURI()).toString();
  }

  private static Set<String> reasons(Path output) throws Exception {
    Set<String> out = new TreeSet<>();
    DittoEndToEndTest.jsonl(output.resolve("failures"))
        .forEach(f -> out.add(f.get("line").asLong() + ":" + f.get("reason").asText()));
    return out;
  }

  @Test
  public void dittoMakesADialogueForEachNamesakeAndDeadLettersOnlyTheRepeat() throws Exception {
    var run =
        DittoEndToEndTest.launch(
            tmp.getRoot().toPath().resolve("ditto"),
            "--input=" + pool("namesakes.jsonl"),
            "--fieldMap=aliases=别称",
            "--queriesPerRole=2");
    assertEquals(run.err(), 0, run.exit());
    JsonNode m = run.manifest();
    assertEquals(7, m.get("inputRecords").asLong());
    assertEquals(6, m.get("outputRecords").asLong());
    assertEquals(Set.of("4:duplicate_record"), reasons(run.output()));
    JsonNode dead = DittoEndToEndTest.jsonl(run.output().resolve("failures")).get(0);
    assertThat(
        dead.get("detail").asText(),
        containsString("the same name, 所属作品, 文件路径 and the same content"));
    Set<String> names = new TreeSet<>();
    DittoEndToEndTest.avro(run.output())
        .forEach(d -> names.add(d.getRoleName() + "@" + d.getProvenance().getSourceLine()));
    assertEquals(Set.of("Ada Lovelace@6", "Ada Lovelace@7", "沈青@1", "沈青@2", "韩墨@3", "韩墨@5"), names);
  }

  @Test
  public void aTrialRunWithALimitIsJudgedOnTheRecordsItTook() throws Exception {
    var run =
        DittoEndToEndTest.launch(
            tmp.getRoot().toPath().resolve("limit"),
            "--input=" + pool("limit.jsonl"),
            "--limit=3",
            "--maxFailureRatio=0.1",
            "--queriesPerRole=2");
    assertEquals(run.err(), 0, run.exit());
    JsonNode m = run.manifest();
    assertEquals("succeeded", m.get("status").asText());
    assertEquals(9, m.get("inputRecords").asLong());
    assertEquals(3, m.get("outputRecords").asLong());
    assertEquals(0, m.get("failedRecords").asLong());
    assertEquals(6, m.get("skippedByLimit").asLong());
    assertEquals(3, m.at("/counters/input.failuresAfterLimit").asLong());
    assertThat(
        m.get("countedAs").asText(),
        containsString("the unusable lines among the lines read to find them"));
    assertEquals(
        m.get("inputRecords").asLong(),
        m.get("outputRecords").asLong()
            + m.get("failedRecords").asLong()
            + m.get("skippedByLimit").asLong());

    // Reading past the bad lines to find six records: they were taken, so they count.
    var all =
        DittoEndToEndTest.launch(
            tmp.getRoot().toPath().resolve("limit6"),
            "--input=" + pool("limit.jsonl"),
            "--limit=6",
            "--maxFailureRatio=0.1",
            "--queriesPerRole=2");
    assertEquals(ExitCodes.TOO_MANY_FAILURES, all.exit());
    assertEquals(
        Set.of("6:malformed_json", "7:duplicate_record", "8:wrong_type"), reasons(all.output()));
    assertEquals(0, all.manifest().get("skippedByLimit").asLong());
  }

  @Test
  public void orcaPersonasAndBeyondDialogueRolesFollowTheSameRule() throws Exception {
    var orca =
        DittoEndToEndTest.launch(
            tmp.getRoot().toPath().resolve("orca"),
            "--pipeline=orca",
            "--input=" + pool("namesakes.jsonl"),
            "--postsPerPersona=10",
            "--benchmarkUsers=0");
    assertEquals(orca.err(), 0, orca.exit());
    assertEquals(Set.of("4:duplicate_record"), reasons(orca.output()));
    assertEquals(6, orca.manifest().at("/datasets/users/avro").asLong());

    var bd =
        DittoEndToEndTest.launch(
            tmp.getRoot().toPath().resolve("bd"),
            "--pipeline=beyond-dialogue",
            "--mode=scratch",
            "--input=" + pool("namesakes.jsonl"),
            "--fieldMap=aliases=别称",
            "--partnersPerRole=1",
            "--rounds=1");
    assertEquals(bd.err(), 0, bd.exit());
    assertEquals(List.of("4:duplicate_record"), List.copyOf(reasons(bd.output())));
  }
}
