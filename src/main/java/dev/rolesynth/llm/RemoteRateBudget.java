package dev.rolesynth.llm;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A budget kept by a {@link RateLimitService}: each reservation is one small HTTP call, after which
 * this worker waits as long as the service says. If the service cannot be reached the call fails
 * loudly after a few tries: running unlimited would silently over-run the provider's limit.
 */
public final class RemoteRateBudget implements RateBudget {
  private static final RequestBody EMPTY =
      RequestBody.create(new byte[0], MediaType.get("text/plain"));
  private static final int ATTEMPTS = 5;
  private final OkHttpClient http;
  private final String base;
  private final String budget;
  private volatile double perMinute;
  private final Clock clock;
  private final String token;

  /**
   * @param token the job's secret for the service, sent as a bearer token with every request
   */
  public RemoteRateBudget(
      OkHttpClient http,
      String serviceUrl,
      String token,
      String budget,
      double perMinute,
      Clock clock) {
    this.http = http;
    this.token = token;
    this.base =
        serviceUrl.endsWith("/") ? serviceUrl.substring(0, serviceUrl.length() - 1) : serviceUrl;
    this.budget = URLEncoder.encode(budget, StandardCharsets.UTF_8);
    this.perMinute = perMinute;
    this.clock = clock;
  }

  @Override
  public long acquire(long permits) throws InterruptedException {
    long wait =
        Long.parseLong(
            post("/reserve?budget=" + budget + "&perMinute=" + perMinute + "&permits=" + permits)
                .strip());
    if (wait > 0) {
      clock.sleepNanos(wait);
      return wait;
    }
    return 0;
  }

  @Override
  public void adjust(long delta) {
    if (delta != 0) {
      quietly("/adjust?budget=" + budget + "&delta=" + delta + "&perMinute=" + perMinute);
    }
  }

  @Override
  public void setRate(double perMinute) {
    this.perMinute = perMinute;
    quietly("/rate?budget=" + budget + "&perMinute=" + perMinute);
  }

  @Override
  public double perMinute() {
    return perMinute;
  }

  @Override
  public void pause(long millis) {
    quietly("/pause?budget=" + budget + "&millis=" + millis + "&perMinute=" + perMinute);
  }

  @Override
  public void capAvailable(double permits) {
    quietly("/cap?budget=" + budget + "&permits=" + permits + "&perMinute=" + perMinute);
  }

  private void quietly(String path) {
    try {
      post(path);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String post(String path) throws InterruptedException {
    IOException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Request request =
          new Request.Builder()
              .url(base + path)
              .header("Authorization", "Bearer " + token)
              .post(EMPTY)
              .build();
      try (Response r = http.newCall(request).execute()) {
        String body = r.body() == null ? "" : r.body().string();
        if (r.isSuccessful()) {
          return body.isEmpty() ? "0" : body;
        }
        throw new IllegalStateException(
            "rate-limit service "
                + base
                + " refused "
                + path.substring(0, path.indexOf('?'))
                + ": HTTP "
                + r.code()
                + " "
                + body.strip());
      } catch (IOException e) {
        last = e;
        clock.sleepNanos(200_000_000L * attempt);
      }
    }
    throw new IllegalStateException(
        "rate-limit service "
            + base
            + " unreachable after "
            + ATTEMPTS
            + " tries ("
            + last.getMessage()
            + "); not sending without it, so as not to over-run the shared limit");
  }
}
