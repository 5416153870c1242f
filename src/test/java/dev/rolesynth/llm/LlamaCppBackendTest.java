package dev.rolesynth.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/** llama.cpp in process on the stories260K test model (skipped when the model is absent). */
public class LlamaCppBackendTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  public void loadsGeneratesAndCountsTokens() throws Exception {
    Path model = LocalModel.require();
    try (LlamaCppBackend backend = new LlamaCppBackend(LocalModel.config(model, 1).localEngine())) {
      assertFalse("stories260K has no chat template: ChatML is used", backend.usesModelTemplate());
      // Greedy (temperature 0), so that the same request must give the same story.
      ChatResponse r =
          backend.chat(
              new ChatRequest(
                  "free", List.of(ChatMessage.user("Once upon a time")), 0.0, 48, 7, null));
      assertFalse(r.content().isBlank());
      assertThat(r.promptTokens(), greaterThan(3));
      assertThat(r.completionTokens(), greaterThan(0));
      ChatResponse again =
          backend.chat(
              new ChatRequest(
                  "free", List.of(ChatMessage.user("Once upon a time")), 0.0, 48, 7, null));
      assertEquals(r.content(), again.content());
    }
  }

  @Test
  public void grammarConstrainedAnswersAreJsonAndTheClientValidatesThem() throws Exception {
    Path model = LocalModel.require();
    JsonNode schema =
        MAPPER.readTree(
            "{\"type\": \"object\", \"required\": [\"name\", \"mood\", \"age\"], \"properties\": {"
                + "\"name\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 20},"
                + "\"mood\": {\"enum\": [\"happy\", \"sad\"]},"
                + "\"age\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 9}}}");
    LlmConfig config = LocalModel.config(model, 2);
    try (LlmClient client = new LlmClient(LlmClients.backend(config), config, Clock.SYSTEM, null)) {
      int repairs = 0;
      for (int seed = 1; seed <= 6; seed++) {
        CallOutcome o =
            client.complete(
                new ChatRequest(
                    "character",
                    List.of(
                        ChatMessage.system("Describe a character."),
                        ChatMessage.user("Tell me about the cat.")),
                    0.9,
                    96,
                    seed,
                    schema),
                AnswerCheck.NONE);
        // The grammar keeps the shape; the schema's range on "age" is the client's to enforce, by
        // re-asking.
        assertTrue(o.error() == null ? "" : o.error().getMessage(), o.ok());
        assertTrue(List.of("happy", "sad").contains(o.json().get("mood").asText()));
        int age = o.json().get("age").asInt();
        assertTrue("age " + age, age >= 1 && age <= 9);
        repairs += o.stats().repairs;
        assertThat(o.stats().completionTokens, greaterThan(0L));
      }
      System.out.println(
          "LlamaCppBackendTest: 6 schema-valid answers after " + repairs + " re-asks");
    }
  }
}
