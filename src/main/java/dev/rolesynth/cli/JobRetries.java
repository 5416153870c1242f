package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.beam.runners.flink.FlinkPipelineOptions;

/**
 * What a nightly job does when its cluster fails it (a TaskManager lost, a slot gone): it runs the
 * job again, from the request cache, so that no person is needed. Before each retry it waits, a
 * bounded time, for the cluster to have slots again (Kubernetes replaces a lost pod within a minute
 * or two), and runs at the parallelism that fits in what is there. Configuration errors, a refused
 * key and failures in this JVM are never retried.
 */
final class JobRetries {
  private static final Duration POLL = Duration.ofSeconds(2);
  private final String master;
  private final int retries;
  private final Duration patience;
  private final PrintStream err;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * @param master host:port of the cluster's REST API, or null for a job in this JVM (never
   *     retried)
   */
  JobRetries(String master, int retries, Duration patience, PrintStream err) {
    this.master = master == null ? null : "http://" + master.replaceFirst("^\\w+://", "");
    this.retries = master == null ? 0 : retries;
    this.patience = patience;
    this.err = err;
  }

  /**
   * Whether a job that failed this way, on attempt {@code attempt} (1 = the first), is run again.
   */
  boolean retry(RuntimeException failure, int attempt) {
    return attempt <= retries && !(failure instanceof ConfigException);
  }

  /**
   * Attempt {@code attempt} failed for {@code why}: throws if it is not run again, else waits for
   * the cluster's slots, sets the parallelism it can run at and says so.
   *
   * @param resume how to take the run up again from the cache, for the message if it is not
   */
  void prepareRetry(RuntimeException why, int attempt, FlinkPipelineOptions flink, String resume)
      throws InterruptedException {
    if (!retry(why, attempt)) {
      throw master == null || why instanceof ConfigException
          ? why
          : exhausted(attempt, why, resume);
    }
    int parallelism = awaitSlots(Math.max(1, flink.getParallelism()));
    if (parallelism == 0) {
      throw exhausted(attempt, why, resume + "; the cluster had no free slot left");
    }
    flink.setParallelism(parallelism);
    err.println(
        "rolesynth: the cluster failed the job ("
            + reason(why)
            + "); running it again from the request cache, attempt "
            + (attempt + 1)
            + " of "
            + (retries + 1)
            + ", at parallelism "
            + parallelism
            + " (calls that were in flight or not yet in the cache are paid again; the manifest"
            + " counts them)");
  }

  /**
   * Waits until the cluster has free slots, at most the patience, and returns the parallelism to
   * run at: the asked one if it fits, else what is free; 0 when no slot came back in time.
   */
  int awaitSlots(int asked) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    int free = freeSlots();
    while (free < asked && System.nanoTime() < deadline) {
      err.println(
          "rolesynth: before the retry, waiting for the cluster's slots: "
              + Math.max(free, 0)
              + " of "
              + asked
              + " free (at most "
              + patience.toSeconds()
              + " s, then the job runs on what is free)");
      Thread.sleep(Math.max(POLL.toMillis(), patience.toMillis() / 12));
      free = freeSlots();
    }
    return Math.min(asked, Math.max(free, 0));
  }

  /** Free slots the JobManager reports; -1 when it does not answer. */
  int freeSlots() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(master + "/overview"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode o = Manifest.MAPPER.readTree(r.body());
      return o.path("slots-available").asInt(-1);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * A job the cluster failed on every attempt: one line saying what, what is kept and how to
   * resume.
   */
  static final class Exhausted extends RuntimeException {
    Exhausted(String message) {
      super(message);
    }
  }

  static Exhausted exhausted(int attempts, RuntimeException last, String cached) {
    return new Exhausted(
        "the cluster failed the job "
            + (attempts == 1 ? "once" : attempts + " times")
            + " (last: "
            + reason(last)
            + "); nothing was published; "
            + cached);
  }

  /** The first line of what failed the job, without the runner's wrapping. */
  static String reason(Throwable e) {
    String found = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null
          && !m.isBlank()
          && !m.startsWith("Pipeline execution failed")
          && !m.startsWith("Job failed")
          && !m.startsWith("ExecutionException")) {
        found = t.getClass().getSimpleName() + ": " + m.split("\n")[0];
        if (m.contains("TaskManager")
            || m.contains("no longer reachable")
            || m.contains("Heartbeat")) {
          return found; // the cluster's own word on what was lost
        }
      }
    }
    return found == null ? e.toString() : found;
  }
}
