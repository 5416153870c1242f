package dev.rolesynth.cli;

import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.avro;
import static dev.rolesynth.cli.BeyondDialogueEndToEndTest.lines;
import static dev.rolesynth.cli.DittoEndToEndTest.jsonl;
import static dev.rolesynth.cli.DittoEndToEndTest.launchOverHttp;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.avro.LimaRoleSample;
import dev.rolesynth.avro.SelfPromptSample;
import dev.rolesynth.avro.SelfPromptTuningSample;
import dev.rolesynth.sim.SimServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * LIMA-Role through the launcher, over HTTP against the served simulator, on the DirectRunner and
 * on embedded Flink, with the Jekyll & Hyde judge and its filter: every input line is an item with
 * records or a dead letter, and the records follow the two-turn role-play format.
 */
public class LimaRoleEndToEndTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static String fixture() throws Exception {
    return Path.of(LimaRoleEndToEndTest.class.getResource("/lima/items.jsonl").toURI()).toString();
  }

  private void run(String runner) throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      var run =
          launchOverHttp(
              tmp.getRoot().toPath().resolve(runner),
              server,
              runner,
              "--pipeline=lima-role",
              "--input=" + fixture(),
              "--withJudge=true",
              "--keepRoleNotLosing=true",
              "--llmGroups=4");
      assertEquals(run.err(), 0, run.exit());
      JsonNode m = run.manifest();
      DittoEndToEndTest.assertInputsAddUp(m);
      Path out = run.output();
      List<LimaRoleSample> sft = avro(out, "sft", LimaRoleSample.class);
      List<SelfPromptSample> self = avro(out, "selfprompt", SelfPromptSample.class);
      List<JsonNode> failures = jsonl(out.resolve("failures"));
      Map<String, String> reasons = new HashMap<>();
      failures.forEach(f -> reasons.put(f.get("id").asText(), f.get("reason").asText()));

      // 9 lines: 6 items, a torn line, an unknown format, a duplicate id.
      assertEquals(9, m.get("inputRecords").asLong());
      Set<String> lineReasons = new HashSet<>();
      failures.stream()
          .filter(f -> f.get("stage").asText().equals("read"))
          .forEach(f -> lineReasons.add(f.get("line").asLong() + ":" + f.get("reason").asText()));
      assertEquals(Set.of("4:malformed_json", "8:unknown_format", "9:duplicate_id"), lineReasons);
      // Every item: a self-prompt record, or a dead letter saying the neutral answer won.
      Set<String> items = new HashSet<>();
      self.forEach(r -> items.add(r.getId()));
      reasons.forEach(
          (id, reason) -> {
            if (reason.equals("judge_filtered")) {
              items.add(id);
            }
          });
      assertEquals(6, items.size());
      assertEquals(
          5 * 6, m.at("/llm/calls").asLong()); // annotation, two answers, two judgements per item
      assertEquals(server.received(), m.at("/llm/requests").asLong());
      assertEquals(
          m.get("filteredRecords").asLong(),
          reasons.values().stream().filter("judge_filtered"::equals).count());

      for (SelfPromptSample r : self) {
        assertTrue(!r.getJudge().getWinner().equals("neutral"));
        boolean agree = r.getJudge().getRoleFirst().equals(r.getJudge().getNeutralFirst());
        assertEquals(agree ? r.getJudge().getRoleFirst() : "tie", r.getJudge().getWinner());
        assertTrue(
            r.getRolePrompt().contains("From now on") || r.getRolePrompt().startsWith("从现在开始"));
      }
      // The item without an answer ("q1") has a self-prompt record but no SFT record.
      Set<String> withSft = new HashSet<>();
      sft.forEach(r -> withSft.add(r.getId()));
      Set<String> expected = new HashSet<>();
      self.forEach(r -> expected.add(r.getId()));
      expected.remove("q1");
      assertEquals(expected, withSft);
      for (LimaRoleSample r : sft) {
        if (r.getId().equals("g1")) {
          assertTrue(r.getRolePrompt(), r.getRolePrompt().startsWith("从现在开始"));
        }
        if (r.getId().equals("l2")) {
          assertEquals(2, r.getRest().size());
        }
      }
      for (JsonNode c : lines(out, "sft.chat")) {
        JsonNode msgs = c.get("messages");
        assertEquals("user", msgs.get(0).get("role").asText());
        assertEquals("assistant", msgs.get(1).get("role").asText());
        assertEquals("user", msgs.get(2).get("role").asText());
        assertEquals("assistant", msgs.get(3).get("role").asText());
      }
      // The primary dataset is what Self-Prompt Tuning trains: question in, own role prompt then
      // answer out.
      assertEquals("selftuning", m.get("primaryDataset").asText());
      List<SelfPromptTuningSample> tuning = avro(out, "selftuning", SelfPromptTuningSample.class);
      assertEquals(sft.size(), tuning.size());
      assertEquals(tuning.size(), m.get("outputRecords").asLong());
      Map<String, LimaRoleSample> sftById = new HashMap<>();
      sft.forEach(r -> sftById.put(r.getId(), r));
      for (SelfPromptTuningSample t : tuning) {
        LimaRoleSample r = sftById.get(t.getId());
        assertEquals(r.getRolePrompt() + "\n\n" + r.getAnswer(), t.getTarget());
        assertEquals(r.getQuestion(), t.getQuestion());
      }
      for (JsonNode c : lines(out, "selftuning.chat")) {
        JsonNode msgs = c.get("messages");
        int first = msgs.get(0).get("role").asText().equals("system") ? 1 : 0;
        assertEquals("user", msgs.get(first).get("role").asText());
        assertEquals("assistant", msgs.get(first + 1).get("role").asText());
        assertTrue(msgs.get(first + 1).get("content").asText().contains("\n\n"));
      }
      for (JsonNode a : lines(out, "selfprompt.alpaca")) {
        assertEquals(Set.of("instruction", "input", "output"), fieldSet(a));
      }
    }
  }

  private static Set<String> fieldSet(JsonNode n) {
    Set<String> s = new HashSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  @Test
  public void directRunnerThroughHttp() throws Exception {
    run("DirectRunner");
  }

  @Test
  public void embeddedFlinkThroughHttp() throws Exception {
    run("FlinkRunner");
  }
}
