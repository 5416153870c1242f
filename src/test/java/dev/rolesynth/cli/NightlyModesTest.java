package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.bench.RateLimitBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What one night produces in each --nightly mode, with {runDate} in the input and the output. */
public class NightlyModesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private Path night(String date, List<String> lines) throws Exception {
    Path dir = tmp.getRoot().toPath().resolve("roles/dt=" + date);
    Files.createDirectories(dir);
    Files.write(dir.resolve("roles.jsonl"), lines);
    return dir;
  }

  private DittoEndToEndTest.Run run(String mode, String date, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--input=" + tmp.getRoot() + "/roles/dt={runDate}/*.jsonl",
                "--nightly=" + mode,
                "--runDate=" + date,
                "--queriesPerRole=2"));
    args.addAll(List.of(more));
    return DittoEndToEndTest.launch(
        tmp.getRoot().toPath().resolve("out/" + mode + "/dt=" + date), args.toArray(String[]::new));
  }

  private static Set<String> ids(Path output) throws Exception {
    Set<String> out = new TreeSet<>();
    DittoEndToEndTest.avro(output).forEach(d -> out.add(d.getRoleId()));
    return out;
  }

  @Test
  public void incrementalNightsPublishOnlyNewOrChangedRecords() throws Exception {
    List<String> pool = new ArrayList<>(RateLimitBench.pool(4));
    night("2026-11-01", pool);
    var first = run("incremental", "2026-11-01");
    assertEquals(first.err(), 0, first.exit());
    assertEquals(Set.of("bench-1", "bench-2", "bench-3", "bench-4"), ids(first.output()));
    assertThat(first.err(), containsString("4 records added to the ledger"));

    // The pool grew by two roles and one role's profile was edited.
    List<String> grown = new ArrayList<>(RateLimitBench.pool(6));
    grown.set(1, grown.get(1).replace("works as a", "now works as a retired"));
    night("2026-11-02", grown);
    var second = run("incremental", "2026-11-02");
    assertEquals(second.err(), 0, second.exit());
    assertEquals(Set.of("bench-2", "bench-5", "bench-6"), ids(second.output()));
    JsonNode m = second.manifest();
    assertEquals(3, m.get("skippedAsPublished").asLong());
    assertEquals(
        m.get("inputRecords").asLong(),
        m.get("outputRecords").asLong()
            + m.get("failedRecords").asLong()
            + m.get("skippedByLimit").asLong()
            + m.get("skippedAsPublished").asLong());
    assertEquals("incremental", m.at("/nightly/mode").asText());

    // Backfilling the first night again (a rerun onto a new folder) finds everything published.
    var backfill =
        DittoEndToEndTest.launch(
            tmp.getRoot().toPath().resolve("out/backfill"),
            "--input=" + tmp.getRoot() + "/roles/dt={runDate}/*.jsonl",
            "--nightly=incremental",
            "--runDate=2026-11-01",
            "--ledgerDir=" + tmp.getRoot() + "/out/incremental/.rolesynth-ledger/ditto");
    assertEquals(backfill.err(), 0, backfill.exit());
    assertEquals(4, backfill.manifest().get("skippedAsPublished").asLong());
    assertEquals(0, backfill.manifest().get("outputRecords").asLong());
  }

  @Test
  public void freshNightsDrawNewSamplesAndRerunsOfANightRepeatIt() throws Exception {
    List<String> pool = RateLimitBench.pool(3);
    night("2026-11-01", pool);
    night("2026-11-02", pool);
    var a = run("fresh", "2026-11-01");
    var b = run("fresh", "2026-11-02");
    assertEquals(a.err(), 0, a.exit());
    assertEquals(b.err(), 0, b.exit());
    assertEquals(ids(a.output()), ids(b.output()));
    assertNotEquals(
        "another night, another seed",
        a.manifest().at("/nightly/seed").asLong(),
        b.manifest().at("/nightly/seed").asLong());
    assertEquals(42, a.manifest().at("/nightly/givenSeed").asLong());
    List<String> firstNight = chat(a.output());
    assertNotEquals("other samples", firstNight, chat(b.output()));
    var again = run("fresh", "2026-11-01", "--overwrite=true");
    assertEquals(again.err(), 0, again.exit());
    assertEquals("the same night again: the same records", firstNight, chat(again.output()));
  }

  private static List<String> chat(Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f :
          s.filter(p -> p.getFileName().toString().startsWith("dialogues.chat")).toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    lines.sort(null);
    return lines;
  }
}
