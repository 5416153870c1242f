package dev.rolesynth.cli;

import dev.rolesynth.ConfigException;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The secret that lets a job's workers, and only them, into a rate-limit service, and the address
 * that service listens on. A launcher that starts the service makes a fresh secret per job; a
 * standalone service and the jobs that use it take theirs from {@value #ENV} or a file. The secret
 * is never printed, logged or written to a manifest.
 */
public final class RateLimitTokens {
  public static final String ENV = "ROLESYNTH_RATE_LIMIT_TOKEN";
  private static final SecureRandom RANDOM = new SecureRandom();

  private RateLimitTokens() {}

  /** 256 random bits, URL-safe. */
  public static String generate() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The secret given for a standalone service: the file if named, else {@value #ENV}. */
  public static String given(String file) {
    return given(file, System.getenv(ENV));
  }

  static String given(String file, String env) {
    String token;
    String from;
    if (file != null && !file.isBlank()) {
      try {
        token = Files.readString(Path.of(file.strip()), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new ConfigException(
            "cannot read the rate-limit service's secret from "
                + file.strip()
                + " ("
                + e.getClass().getSimpleName()
                + ")");
      }
      from = file.strip();
    } else {
      token = env == null ? "" : env.strip();
      from = ENV;
    }
    if (token.length() < 16) {
      throw new ConfigException(
          "the rate-limit service needs its secret (at least 16 characters): set "
              + ENV
              + " or --rateLimitTokenFile"
              + (token.isEmpty() ? "" : "; the one in " + from + " is too short"));
    }
    return token;
  }

  /** Before any paid call: the service answers, and takes this secret. */
  static void check(String url, String token) {
    OkHttpClient client = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
    String stats = (url.endsWith("/") ? url : url + "/") + "stats";
    try (Response r =
        client
            .newCall(
                new Request.Builder()
                    .url(stats)
                    .header("Authorization", "Bearer " + token)
                    .get()
                    .build())
            .execute()) {
      if (r.code() == 401) {
        throw new ConfigException(
            "the rate-limit service at "
                + url
                + " refused the secret given ("
                + ENV
                + " or --rateLimitTokenFile): it must be the one the service was started with");
      }
      if (!r.isSuccessful()) {
        throw new ConfigException(
            "the rate-limit service at " + url + " answered HTTP " + r.code());
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--rateLimitService " + url + " is not a valid URL");
    } catch (IOException e) {
      throw new ConfigException(
          "the rate-limit service at "
              + url
              + " cannot be reached ("
              + e.getClass().getSimpleName()
              + ")");
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  /** The local address this machine uses to reach {@code host} (no packet is sent). */
  static InetAddress routeTo(String host, int port) {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(new InetSocketAddress(host, port));
      InetAddress local = s.getLocalAddress();
      return local.isAnyLocalAddress() ? InetAddress.getLocalHost() : local;
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          "cannot find this machine's address towards the Flink master "
              + host
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }
}
