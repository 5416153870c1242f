package dev.rolesynth.cli;

import dev.rolesynth.ConfigException;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Fails fast when an HTTP endpoint cannot be reached at all, before any paid call. Any HTTP answer
 * (even 401 or 404) counts as reachable; only a connection failure is an error. No key is sent.
 */
final class EndpointProbe {
  private EndpointProbe() {}

  static void check(String baseUrl) {
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
    String url = (baseUrl.endsWith("/") ? baseUrl : baseUrl + "/") + "models";
    try (Response ignored = client.newCall(new Request.Builder().url(url).get().build()).execute()) {
      // reachable
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--llmEndpoint " + Manifest.redactUrl(baseUrl) + " is not a valid URL");
    } catch (IOException e) {
      throw new ConfigException("--llmEndpoint " + Manifest.redactUrl(baseUrl) + " cannot be reached (" + e.getClass().getSimpleName() + ")");
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
