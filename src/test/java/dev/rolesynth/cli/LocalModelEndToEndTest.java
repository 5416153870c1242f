package dev.rolesynth.cli;

import static dev.rolesynth.cli.DittoEndToEndTest.avro;
import static dev.rolesynth.cli.DittoEndToEndTest.jsonl;
import static dev.rolesynth.cli.DittoEndToEndTest.launch;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.avro.DittoDialogue;
import dev.rolesynth.llm.LocalModel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A whole Ditto job on the DirectRunner with llama.cpp in process on the stories260K test model
 * (skipped when it is absent). The model tells children's stories and follows no instruction, so
 * the dialogues are nonsense; what is checked is that every stage runs through the engine with
 * grammar- constrained, validated answers, and that the accounting holds as for any backend.
 */
public class LocalModelEndToEndTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void dittoRunsEndToEndOnAGgufModel() throws Exception {
    Path model = LocalModel.require();
    var run =
        launch(
            tmp.getRoot().toPath().resolve("out"),
            "--runner=DirectRunner",
            "--input=" + DittoEndToEndTest.pool(),
            "--llmEndpoint=gguf:" + model,
            "--queriesPerRole=2",
            "--llamaContextSize=8192",
            "--llamaParallel=2",
            "--llamaThreads=1",
            "--maxFailureRatio=1");
    assertEquals(run.err(), 0, run.exit());
    JsonNode m = run.manifest();
    assertEquals("llama.cpp", m.at("/llm/endpointKind").asText());
    assertEquals("stories260K.gguf", m.at("/llm/model").asText());
    assertThat(m.at("/llm/endpoint").asText(), containsString("stories260K.gguf"));
    assertThat(m.at("/llm/requests").asLong(), greaterThan(10L));
    assertThat(m.at("/llm/completionTokens").asLong(), greaterThan(100L));
    assertEquals(
        "a local engine has no provider limits", "none", m.at("/llm/rateLimit/mode").asText());
    // The launcher's DirectRunner settings for a local engine: one bundle per LLM stage, no idle
    // worker.
    assertEquals(1, m.at("/config/targetParallelism").asInt());
    assertEquals(1, m.at("/config/llmGroups").asInt());
    assertThat(run.err(), containsString("--targetParallelism=1 --llmGroups=1"));
    // 12 records: 6 unreadable or duplicated; the 6 roles end as dialogues or dead letters.
    assertEquals(12, m.get("inputRecords").asLong());
    Set<String> covered = new HashSet<>();
    for (DittoDialogue d : avro(run.output())) {
      covered.add(d.getId());
      assertEquals("llama.cpp", d.getProvenance().getEndpointKind());
      assertEquals("stories260K.gguf", d.getProvenance().getModel());
      d.getMessages().forEach(t -> assertTrue(!t.getContent().isBlank()));
    }
    for (JsonNode f : jsonl(run.output().resolve("failures"))) {
      covered.add(f.get("id").asText());
    }
    assertTrue(covered.toString(), covered.containsAll(Set.of("nemo", "mulan", "mira", "tesla")));
    assertEquals(
        m.get("inputRecords").asLong(),
        m.get("outputRecords").asLong() + m.get("failedRecords").asLong());
    System.out.println(
        "LocalModelEndToEndTest: "
            + m.get("outputRecords")
            + " dialogues, "
            + m.get("failedRecords")
            + " dead letters, "
            + m.at("/llm/requests")
            + " requests, "
            + m.at("/llm/repairs")
            + " re-asks, "
            + m.at("/llm/completionTokens")
            + " completion tokens");
  }
}
