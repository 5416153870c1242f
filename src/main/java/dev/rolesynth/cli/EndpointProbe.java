package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import dev.rolesynth.llm.LlmConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Before the first paid record: the endpoint answers, takes the key, and serves the model. It asks
 * {@code GET {base}/models} with the key; where that is not served, it sends one chat completion of
 * one token. A refused key (401, 403) or an unknown model is a configuration error naming the key's
 * variable or the model; an unreachable endpoint too. The key never appears in a message.
 */
final class EndpointProbe {
  private static final MediaType JSON = MediaType.get("application/json");

  private EndpointProbe() {}

  static void check(LlmConfig llm, String apiKey) {
    OkHttpClient client =
        new OkHttpClient.Builder()
            .callTimeout(Duration.ofSeconds(Math.max(10, llm.timeoutSeconds())))
            .build();
    String base = llm.endpoint().endsWith("/") ? llm.endpoint() : llm.endpoint() + "/";
    try {
      Request.Builder models = new Request.Builder().url(base + "models").get();
      authorize(models, apiKey);
      try (Response r = client.newCall(models.build()).execute()) {
        refusedKey(r.code(), llm);
        if (r.isSuccessful()) {
          knownModel(r.body().string(), llm);
          return;
        }
      }
      // No model list here: one completion of one token says whether key and model are accepted.
      String body =
          Manifest.MAPPER
              .createObjectNode()
              .put("model", llm.model())
              .put("max_tokens", 1)
              .set(
                  "messages",
                  Manifest.MAPPER
                      .createArrayNode()
                      .add(
                          Manifest.MAPPER
                              .createObjectNode()
                              .put("role", "user")
                              .put("content", "ping")))
              .toString();
      Request.Builder one =
          new Request.Builder().url(base + "chat/completions").post(RequestBody.create(body, JSON));
      authorize(one, apiKey);
      try (Response r = client.newCall(one.build()).execute()) {
        refusedKey(r.code(), llm);
        String text = r.body().string();
        if ((r.code() == 404 || r.code() == 400)
            && text.toLowerCase(Locale.ROOT).contains("model")) {
          throw new ConfigException(
              "the endpoint "
                  + Manifest.redactUrl(llm.endpoint())
                  + " does not serve the model '"
                  + llm.model()
                  + "' (--llmModel; HTTP "
                  + r.code()
                  + ")");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "--llmEndpoint " + Manifest.redactUrl(llm.endpoint()) + " is not a valid URL");
    } catch (IOException e) {
      throw new ConfigException(
          "--llmEndpoint "
              + Manifest.redactUrl(llm.endpoint())
              + " cannot be reached ("
              + e.getClass().getSimpleName()
              + ")");
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  private static void authorize(Request.Builder request, String apiKey) {
    if (apiKey != null && !apiKey.isEmpty()) {
      request.header("Authorization", "Bearer " + apiKey);
    }
  }

  private static void refusedKey(int code, LlmConfig llm) {
    if (code == 401 || code == 403) {
      throw new ConfigException(
          "the endpoint "
              + Manifest.redactUrl(llm.endpoint())
              + " refused the API key (HTTP "
              + code
              + "): "
              + keySource(llm)
              + "; the run stops before its first paid record");
    }
  }

  /** Where the key came from, by name: never its value. */
  static String keySource(LlmConfig llm) {
    if (!llm.apiKeyEnv().isBlank()) {
      return "check the key in the environment variable " + llm.apiKeyEnv() + " (--llmApiKeyEnv)";
    }
    if (!llm.apiKeyFile().isBlank()) {
      return "check the key in the file " + llm.apiKeyFile() + " (--llmApiKeyFile)";
    }
    return "no key was given: set --llmApiKeyEnv or --llmApiKeyFile";
  }

  /** A model list that names models but not this one: the run would fail on every record. */
  private static void knownModel(String body, LlmConfig llm) {
    List<String> ids = new ArrayList<>();
    try {
      for (JsonNode m : Manifest.MAPPER.readTree(body).path("data")) {
        if (m.path("id").isTextual()) {
          ids.add(m.get("id").asText());
        }
      }
    } catch (IOException e) {
      return; // not a model list after all: nothing to say about the model
    }
    if (!ids.isEmpty() && !ids.contains(llm.model())) {
      throw new ConfigException(
          "the endpoint "
              + Manifest.redactUrl(llm.endpoint())
              + " does not serve the model '"
              + llm.model()
              + "' (--llmModel); it serves "
              + String.join(", ", ids.subList(0, Math.min(10, ids.size())))
              + (ids.size() > 10 ? " and " + (ids.size() - 10) + " more" : ""));
    }
  }
}
