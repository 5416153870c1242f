package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.bench.RateLimitBench;
import dev.rolesynth.sim.SimServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Ditto with its pool, shards, dead letters, cache and manifest on a real S3 API server (S3Proxy, a
 * process of its own on 127.0.0.1), the run in a JVM of its own with credentials from the
 * environment as a deployment gives them.
 */
public class ObjectStorageTest {
  @ClassRule public static final TemporaryFolder SERVER_DIR = new TemporaryFolder();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  private static S3Server s3;

  @BeforeClass
  public static void startS3() throws Exception {
    s3 = S3Server.start(SERVER_DIR.getRoot().toPath());
  }

  @AfterClass
  public static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  private String bucketWithPool(String bucket, byte[] pool) {
    s3.createBucket(bucket);
    s3.put(bucket, "roles/part-1.jsonl", pool);
    return "s3://" + bucket + "/roles/*.jsonl";
  }

  private ChildRun run(String name, String secret, List<String> args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of("--pipeline=ditto", "--runner=DirectRunner", "--seed=5", "--runId=" + name));
    all.addAll(s3.options());
    all.addAll(args);
    return ChildRun.start(
        tmp.getRoot().toPath().resolve(name + ".log"),
        S3Server.env(secret),
        all.toArray(String[]::new));
  }

  /** Waits for the run and prints its log when it did not end as expected. */
  private static int exit(ChildRun run) throws Exception {
    int code = run.waitFor();
    System.out.println(run.output());
    return code;
  }

  @Test
  public void dittoOnS3GivesWhatALocalRunGivesAndARerunIsANoOp() throws Exception {
    byte[] pool = Files.readAllBytes(Path.of(DittoEndToEndTest.pool()));
    Path localPool = tmp.newFile("pool.jsonl").toPath();
    Files.write(localPool, pool);
    SimServer server = new SimServer(0, 0, 0);
    var local =
        DittoEndToEndTest.launch(
            tmp.getRoot().toPath().resolve("local"),
            "--pipeline=ditto",
            "--runner=DirectRunner",
            "--seed=5",
            "--input=" + localPool,
            "--llmEndpoint=" + server.baseUrl(),
            "--llmModel=sim-http",
            "--cacheDir=off");
    assertEquals(local.err(), 0, local.exit());

    String input = bucketWithPool("datasets", pool);
    // A reworded template in a prompt folder on S3: same variables, other words.
    String answer =
        Files.readString(Path.of("pipelines/ditto/prompts/answer.system.mustache"))
            + "\nStay in character.\n";
    s3.put(
        "datasets",
        "prompts/ditto/answer.system.mustache",
        answer.getBytes(StandardCharsets.UTF_8));
    List<String> args =
        List.of(
            "--input=" + input,
            "--output=s3://datasets/out/ditto/dt=2026-12-01",
            "--cacheDir=s3://datasets/cache/ditto",
            "--llmEndpoint=" + server.baseUrl(),
            "--llmModel=sim-http",
            "--promptDir=s3://datasets/prompts/ditto");
    ChildRun first = run("s3-first", S3Server.SECRET_KEY, args);
    assertEquals(first.log.toString(), 0, exit(first));

    List<String> keys = s3.keys("datasets", "out/ditto/dt=2026-12-01/");
    assertTrue(keys.toString(), keys.contains("out/ditto/dt=2026-12-01/_manifest.json"));
    assertTrue(keys.toString(), keys.stream().anyMatch(k -> k.endsWith(".avro")));
    assertTrue(
        keys.toString(),
        keys.stream().anyMatch(k -> k.contains("/failures/") && k.endsWith(".jsonl")));
    assertFalse(
        "staging or probe files left behind: " + keys,
        keys.stream().anyMatch(k -> k.contains("/.")));
    assertFalse("the cache is on S3", s3.keys("datasets", "cache/ditto/").isEmpty());

    Path copy = tmp.getRoot().toPath().resolve("from-s3");
    s3.download("datasets", "out/ditto/dt=2026-12-01/", copy);
    JsonNode remote = DittoEndToEndTest.MAPPER.readTree(copy.resolve("_manifest.json").toFile());
    JsonNode here = local.manifest();
    assertEquals("succeeded", remote.get("status").asText());
    for (String count :
        List.of(
            "inputRecords",
            "outputRecords",
            "failedRecords",
            "filteredRecords",
            "avroRecords",
            "jsonlRecords")) {
      assertEquals(count, here.get(count), remote.get(count));
    }
    assertEquals(here.get("failuresByReason"), remote.get("failuresByReason"));
    // The template came from S3; the others are the shipped ones.
    assertThat(
        remote.at("/promptTemplates/answer.system").asText(),
        not(here.at("/promptTemplates/answer.system").asText()));
    assertEquals(
        here.at("/promptTemplates/profile.user"), remote.at("/promptTemplates/profile.user"));
    assertEquals(
        DittoEndToEndTest.avro(local.output()).size(), DittoEndToEndTest.avro(copy).size());
    assertThat(remote.toString(), containsString(input));
    String everything = remote + first.output();
    assertThat(everything, not(containsString(S3Server.SECRET_KEY)));

    // A reviewer samples the run where it lies; the review is written beside it.
    ChildRun review =
        ChildRun.start(
            tmp.getRoot().toPath().resolve("review.log"),
            S3Server.env(S3Server.SECRET_KEY),
            "--pipeline=review",
            "--runner=DirectRunner",
            "--input=s3://datasets/out/ditto/dt=2026-12-01",
            "--sample=3",
            "--awsRegion=us-east-1",
            "--endpoint=" + s3.endpoint());
    assertEquals(review.log.toString(), 0, exit(review));
    List<String> reviewed = s3.keys("datasets", "out/ditto/dt=2026-12-01/review/");
    for (String file : List.of("index.html", "sample.jsonl", "stats.json")) {
      assertTrue(reviewed.toString(), reviewed.contains("out/ditto/dt=2026-12-01/review/" + file));
    }
    String sample =
        new String(
            s3.get("datasets", "out/ditto/dt=2026-12-01/review/sample.jsonl"),
            StandardCharsets.UTF_8);
    assertThat(sample.lines().count(), greaterThan(0L));
    assertFalse(
        "the review's work files are gone", reviewed.stream().anyMatch(k -> k.contains("/.work/")));

    ChildRun again = run("s3-again", S3Server.SECRET_KEY, args);
    assertEquals(again.log.toString(), 0, exit(again));
    assertThat(again.output(), containsString("already holds this run"));
    server.close();
  }

  @Test
  public void aKilledRunResumesFromItsCacheOnS3() throws Exception {
    String input =
        bucketWithPool(
            "resume", String.join("\n", RateLimitBench.pool(12)).getBytes(StandardCharsets.UTF_8));
    try (SimServer server = new SimServer(0, 20, 0)) {
      List<String> args =
          List.of(
              "--input=" + input,
              "--output=s3://resume/out",
              "--cacheDir=s3://resume/cache",
              "--llmEndpoint=" + server.baseUrl(),
              "--llmModel=sim-http",
              "--maxRequestsPerMinute=1500");
      ChildRun first = run("first", S3Server.SECRET_KEY, args);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      // Killed once some answers are in the cache's segments on S3 (they are flushed every second).
      while (s3.keys("resume", "cache/").stream()
              .noneMatch(k -> k.endsWith(".jsonl") && !k.contains("/."))
          && first.process.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(
          "the first run ended before it could be killed:\n" + first.output(),
          first.process.isAlive());
      first.kill();
      long atKill = server.received();
      assertFalse(
          "a killed run must not publish",
          s3.keys("resume", "out/").contains("out/_manifest.json"));

      ChildRun second = run("second", S3Server.SECRET_KEY, args);
      assertEquals(second.log.toString(), 0, exit(second));
      Path copy = tmp.getRoot().toPath().resolve("resumed");
      s3.download("resume", "out/", copy);
      JsonNode m = DittoEndToEndTest.MAPPER.readTree(copy.resolve("_manifest.json").toFile());
      assertThat(m.at("/llm/cacheHits").asLong(), greaterThan(0L));
      assertEquals(server.received() - atKill, m.at("/llm/requests").asLong());
      assertEquals(
          12,
          m.get("outputRecords").asLong()
              + m.get("failedRecords").asLong()
              + m.get("filteredRecords").asLong());
      assertFalse(
          "the killed run's staging is cleaned",
          s3.keys("resume", "out/").stream().anyMatch(k -> k.contains("/.staging-")));
    }
  }

  @Test
  public void wrongCredentialsAndAMissingBucketFailBeforeAnyCall() throws Exception {
    String input =
        bucketWithPool(
            "config",
            "{\"name\":\"Ann\",\"description\":\"A sailor.\"}\n".getBytes(StandardCharsets.UTF_8));
    try (SimServer server = new SimServer(0, 0, 0)) {
      String url = "--llmEndpoint=" + server.baseUrl();
      ChildRun wrongKey =
          run(
              "wrong-key",
              "not-the-secret",
              List.of("--input=" + input, "--output=s3://config/out", url));
      assertEquals(wrongKey.log.toString(), 2, exit(wrongKey));
      assertThat(wrongKey.output(), containsString("--input " + input + " cannot be read"));
      assertThat(wrongKey.output(), not(containsString("not-the-secret")));

      ChildRun noBucket =
          run(
              "no-bucket",
              S3Server.SECRET_KEY,
              List.of("--input=" + input, "--output=s3://no-such-bucket/out", url));
      assertEquals(noBucket.log.toString(), 2, exit(noBucket));
      assertThat(
          noBucket.output(), containsString("--output s3://no-such-bucket/out cannot be written"));
      assertThat(noBucket.output(), containsString("bucket"));

      ChildRun keysInOptions =
          run(
              "keys-in-options",
              S3Server.SECRET_KEY,
              List.of(
                  "--input=" + input,
                  "--output=s3://config/out",
                  url,
                  "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"a\",\"secretAccessKey\":\"b\"}"));
      assertEquals(keysInOptions.log.toString(), 2, exit(keysInOptions));
      assertThat(
          keysInOptions.output(), containsString("--awsCredentialsProvider must not hold keys"));
      s3.put(
          "config", "prompts/anwser.system.mustache", "{{name}}".getBytes(StandardCharsets.UTF_8));
      ChildRun misspelt =
          run(
              "misspelt",
              S3Server.SECRET_KEY,
              List.of(
                  "--input=" + input,
                  "--output=s3://config/out",
                  url,
                  "--promptDir=s3://config/prompts"));
      assertEquals(misspelt.log.toString(), 2, exit(misspelt));
      assertThat(
          misspelt.output(),
          containsString("anwser.system.mustache, which is no template of ditto"));
      assertEquals("no LLM call before a configuration error", 0, server.received());
    }
  }
}
