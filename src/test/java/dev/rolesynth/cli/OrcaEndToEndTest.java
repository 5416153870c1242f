package dev.rolesynth.cli;

import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.avro;
import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.lines;
import static dev.rolesynth.cli.DittoEndToEndTest.jsonl;
import static dev.rolesynth.cli.DittoEndToEndTest.launch;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.avro.OrcaUser;
import dev.rolesynth.avro.PcipRecord;
import dev.rolesynth.sim.SimServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Orca through the launcher, over HTTP against the served simulator, on the DirectRunner and on
 * embedded Flink: users with posts and a persona, the authors' filters, the held-out benchmark, and
 * every input record accounted for.
 */
public class OrcaEndToEndTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static String fixture() throws Exception {
    return Path.of(OrcaEndToEndTest.class.getResource("/orca/users.jsonl").toURI()).toString();
  }

  private void run(String runner) throws Exception {
    run(runner, true);
  }

  /**
   * @param allPosts --pcipAllPosts: a record for every kept post (else only the authors' selection)
   */
  private void run(String runner, boolean allPosts) throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--pipeline=orca",
                  "--runner=" + runner,
                  "--input=" + fixture(),
                  "--llmEndpoint=" + server.baseUrl(),
                  "--llmModel=sim-http",
                  "--minPostsPerUser=10",
                  "--postsPerPersona=10",
                  "--benchmarkUsers=1",
                  "--benchmarkMinPosts=15",
                  "--variant=psit",
                  "--llmGroups=4",
                  "--cacheDir=off",
                  "--pcipAllPosts=" + allPosts));
      if (runner.equals("FlinkRunner")) {
        args.add("--parallelism=2");
      }
      var run = launch(tmp.getRoot().toPath().resolve(runner), args.toArray(String[]::new));
      assertEquals(run.err(), 0, run.exit());
      JsonNode m = run.manifest();
      DittoEndToEndTest.assertInputsAddUp(m);
      Path out = run.output();
      List<PcipRecord> train = avro(out, "pcip", PcipRecord.class);
      List<PcipRecord> bench = avro(out, "benchmark", PcipRecord.class);
      List<OrcaUser> users = avro(out, "users", OrcaUser.class);
      if (!allPosts) {
        // The authors' selection: original posts whose knowledge call found some, and calls only
        // for them.
        long quotes = m.at("/counters/orca.postsNotUsedQuote").asLong();
        long noKnowledge = m.at("/counters/orca.postsNotUsedNoKnowledge").asLong();
        long records = train.size() + bench.size();
        assertTrue("the fixture has quote posts", quotes > 0);
        assertEquals(36, quotes + noKnowledge + records);
        assertEquals(1 + 5 + 9 + (36 - quotes) + records, m.at("/llm/calls").asLong());
        for (PcipRecord r : train) {
          assertTrue(r.getKnowledgeRelated());
          assertTrue(r.getInstruction().contains("Potential Knowledge"));
        }
        return;
      }
      assertEquals(21, train.size()); // ben 11 + dee's 10 simulated posts
      assertEquals(15, bench.size()); // ana, held out
      assertEquals(3, users.size());
      assertEquals(21, m.at("/datasets/pcip/jsonl.alpaca").asLong());
      assertEquals(15, m.at("/datasets/benchmark/jsonl.chat").asLong());
      // persona posts + 5 scoring chunks + 3 users x (summary, profile, interpretation) + 36 posts
      // x 2
      assertEquals(1 + 5 + 9 + 72, m.at("/llm/calls").asLong());
      assertEquals(server.received(), m.at("/llm/requests").asLong());
      assertEquals(1, m.at("/counters/orca.postsFilteredShort").asLong());
      assertEquals(3, m.at("/counters/orca.postsFilteredReplies").asLong());

      // Every input line: a user with records, or a dead letter naming file, line and reason.
      Set<String> covered = new HashSet<>();
      train.forEach(r -> covered.add(r.getUserId()));
      bench.forEach(r -> covered.add(r.getUserId()));
      Set<String> reasons = new HashSet<>();
      for (JsonNode f : jsonl(out.resolve("failures"))) {
        covered.add(f.get("id").asText());
        reasons.add(f.get("line").asLong() + ":" + f.get("reason").asText());
      }
      assertTrue(covered.toString(), covered.containsAll(Set.of("ana", "ben", "cy", "dee")));
      assertEquals(
          Set.of("3:malformed_json", "4:too_few_posts", "6:wrong_type", "7:missing_field"),
          reasons);
      assertEquals(7, m.get("inputRecords").asLong());
      // The authors' user filter is the method deciding, not a failure.
      assertEquals(1, m.get("filteredRecords").asLong());
      assertEquals(1, m.at("/failuresByReason/too_few_posts").asLong());

      for (JsonNode a : lines(out, "pcip.alpaca")) {
        assertEquals(35, a.at("/meta_data/score").size());
        assertEquals("psit", a.at("/meta_data/variant").asText());
        assertEquals(
            a.at("/meta_data/profile_related").asBoolean(),
            a.get("instruction").asText().contains("## Profile"));
        JsonNode target = DittoEndToEndTest.MAPPER.readTree(a.get("output").asText());
        assertTrue(target.has("Psychological Activities") && target.has("Post Content"));
      }
      for (JsonNode c : lines(out, "pcip.chat")) {
        assertEquals(2, c.get("messages").size());
      }
      for (PcipRecord r : train) {
        if (r.getPersonalityRelated()) {
          assertTrue(r.getInstruction().contains("Openness: "));
        }
        assertEquals("openai-compatible", r.getProvenance().getEndpointKind());
      }
    }
  }

  @Test
  public void directRunnerThroughHttp() throws Exception {
    run("DirectRunner");
  }

  @Test
  public void onlyTheAuthorsPostsBecomeRecords() throws Exception {
    run("DirectRunner", false);
  }

  @Test
  public void embeddedFlinkThroughHttp() throws Exception {
    run("FlinkRunner");
  }
}
