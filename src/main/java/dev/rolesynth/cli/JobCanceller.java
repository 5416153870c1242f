package dev.rolesynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * While a job runs, a SIGTERM to the launcher (a pod deleted, a CronJob past its deadline, Ctrl-C)
 * cancels the job before the launcher exits, and says so: a job on a Flink cluster is found by its
 * name through the REST API and cancelled, so that a retry does not find the last night's job still
 * holding slots; an embedded cluster stops with the launcher's JVM.
 */
final class JobCanceller implements AutoCloseable {
  private static final Set<String> DONE = Set.of("FINISHED", "FAILED", "CANCELED", "CANCELLING");
  private final Thread hook;

  private JobCanceller(Thread hook) {
    this.hook = hook;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * @param flinkMaster host:port of a cluster's REST API, or null when the job runs in this JVM
   */
  static JobCanceller watch(String jobName, String flinkMaster, String runner, PrintStream err) {
    return new JobCanceller(
        new Thread(
            () -> {
              if (flinkMaster == null) {
                err.println(
                    "rolesynth: stopping: the run is cancelled"
                        + (runner.equals("FlinkRunner")
                            ? "; the embedded Flink cluster stops with this JVM"
                            : "")
                        + "; nothing is published");
                return;
              }
              err.println(
                  "rolesynth: stopping: cancelling "
                      + jobName
                      + " on "
                      + flinkMaster
                      + " "
                      + cancel(jobName, flinkMaster));
            },
            "rolesynth-cancel-job"));
  }

  /** Cancels every job of this name that has not ended; says what it did. */
  static String cancel(String jobName, String flinkMaster) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = "http://" + flinkMaster.replaceFirst("^\\w+://", "");
    try {
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/jobs/overview"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      StringBuilder done = new StringBuilder();
      for (JsonNode job : Manifest.MAPPER.readTree(list.body()).path("jobs")) {
        if (job.path("name").asText().equals(jobName)
            && !DONE.contains(job.path("state").asText())) {
          String id = job.path("jid").asText();
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create(base + "/jobs/" + id + "?mode=cancel"))
                      .method("PATCH", HttpRequest.BodyPublishers.noBody())
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          done.append(done.length() == 0 ? "" : ", ")
              .append("job ")
              .append(id)
              .append(
                  r.statusCode() < 300
                      ? " cancelled"
                      : " not cancelled (HTTP " + r.statusCode() + ")");
        }
      }
      return done.length() == 0 ? "(no running job by that name)" : "(" + done + ")";
    } catch (IOException e) {
      return "(the cluster did not answer: " + e.getClass().getSimpleName() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  /** The job ended by itself: nothing to cancel at exit. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs
    }
  }
}
