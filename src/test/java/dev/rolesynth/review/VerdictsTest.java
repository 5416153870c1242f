package dev.rolesynth.review;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class VerdictsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void wilsonIntervalsMatchPublishedValues() {
    // Reference values from the closed form (Wilson 1927), as tabulated by Newcombe (1998) and R's
    // prop.test(correct=FALSE).
    assertInterval(8, 10, 0.4902, 0.9433);
    assertInterval(0, 10, 0.0, 0.2775);
    assertInterval(10, 10, 0.7225, 1.0);
    assertInterval(50, 100, 0.4038, 0.5962);
  }

  private static void assertInterval(int k, int n, double low, double high) {
    double[] w = Verdicts.wilson(k, n);
    assertEquals(k + "/" + n + " low", low, w[0], 1e-4);
    assertEquals(k + "/" + n + " high", high, w[1], 1e-4);
  }

  private static ObjectNode sampled(String dataset, String id, String stratum) {
    return MAPPER.createObjectNode().put("dataset", dataset).put("id", id).put("stratum", stratum);
  }

  @Test
  public void verdictsRoundTripIntoAcceptancePerStratumAndTheLatestVerdictWins() throws Exception {
    Map<String, JsonNode> sample = new TreeMap<>();
    for (int i = 0; i < 6; i++) {
      sample.put("dialogues\tr" + i, sampled("dialogues", "r" + i, i < 4 ? "a" : "b"));
    }
    Path file = tmp.newFile("verdicts.jsonl").toPath();
    Files.writeString(
        file,
        String.join(
                "\n",
                "{\"dataset\":\"dialogues\",\"id\":\"r0\",\"stratum\":\"a\",\"verdict\":\"reject\",\"time\":\"2026-11-30T10:00:00Z\"}",
                "{\"dataset\":\"dialogues\",\"id\":\"r0\",\"stratum\":\"a\",\"verdict\":\"accept\",\"time\":\"2026-11-30T10:05:00Z\"}",
                "{\"dataset\":\"dialogues\",\"id\":\"r1\",\"stratum\":\"a\",\"verdict\":\"accept\",\"time\":\"2026-11-30T10:01:00Z\"}",
                "{\"dataset\":\"dialogues\",\"id\":\"r2\",\"stratum\":\"a\",\"verdict\":\"reject\",\"note\":\"breaks character\",\"time\":\"t\"}",
                "",
                "{\"dataset\":\"dialogues\",\"id\":\"r4\",\"stratum\":\"b\",\"verdict\":\"accept\",\"time\":\"t\"}")
            + "\n");
    Verdicts v = Verdicts.read(file);
    assertEquals(4, v.size());
    assertEquals(Set.of("r0", "r1", "r4"), v.accepted("dialogues"));
    JsonNode s = v.summary(sample);
    assertEquals(3, s.at("/overall/accepted").asInt());
    assertEquals(4, s.at("/overall/judged").asInt());
    assertEquals(2, s.at("/strata/dialogues/a/accepted").asInt());
    assertEquals(3, s.at("/strata/dialogues/a/judged").asInt());
    assertEquals(Verdicts.wilson(2, 3)[0], s.at("/strata/dialogues/a/low").asDouble(), 1e-12);
    assertEquals(1, s.at("/strata/dialogues/b/judged").asInt());
  }

  @Test
  public void badVerdictLinesNameTheFileLineAndField() throws Exception {
    Path file = tmp.newFile("bad.jsonl").toPath();
    Files.writeString(
        file,
        "{\"dataset\":\"d\",\"id\":\"x\",\"verdict\":\"accept\"}\n{\"dataset\":\"d\",\"id\":\"y\",\"verdict\":\"maybe\"}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> Verdicts.read(file));
    assertThat(e.getMessage(), containsString("bad.jsonl line 2: field 'verdict'"));
    Files.writeString(file, "{\"dataset\":\"d\",\"verdict\":\"accept\"}\n");
    assertThat(
        assertThrows(ConfigException.class, () -> Verdicts.read(file)).getMessage(),
        containsString("line 1: field 'id'"));
    Files.writeString(file, "not json\n");
    assertThat(
        assertThrows(ConfigException.class, () -> Verdicts.read(file)).getMessage(),
        containsString("line 1: not JSON"));
  }

  @Test
  public void aVerdictForARecordOutsideTheSampleIsAnError() throws Exception {
    Path file = tmp.newFile("v.jsonl").toPath();
    Files.writeString(file, "{\"dataset\":\"dialogues\",\"id\":\"zz\",\"verdict\":\"accept\"}\n");
    Verdicts v = Verdicts.read(file);
    assertThat(
        assertThrows(ConfigException.class, () -> v.summary(Map.of())).getMessage(),
        containsString("not in this review's sample"));
  }
}
