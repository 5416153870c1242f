package dev.rolesynth.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import dev.rolesynth.ConfigException;
import dev.rolesynth.sim.SimServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Bad configuration fails before the first LLM call, with one line that names the problem. */
public class ConfigErrorsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private String fails(String... args) throws Exception {
    Launcher launcher =
        new Launcher(
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(new ByteArrayOutputStream()));
    String[] all = new String[args.length + 1];
    all[0] = "--output=" + tmp.getRoot().toPath().resolve("out");
    System.arraycopy(args, 0, all, 1, args.length);
    ConfigException e = assertThrows(ConfigException.class, () -> launcher.run(all));
    assertFalse(e.getMessage().contains("\n"));
    return e.getMessage();
  }

  @Test
  public void namesEachProblemBeforeAnyCall() throws Exception {
    try (SimServer server = new SimServer(0, 0, 0)) {
      String url = "--llmEndpoint=" + server.baseUrl();
      assertThat(fails("--pipeline=nope"), containsString("unknown pipeline 'nope'"));
      assertThat(fails("--input=/no/such/pool.jsonl", url), containsString("matches no file"));
      Path empty = tmp.newFile("empty.jsonl").toPath();
      assertThat(fails("--input=" + empty, url), containsString("no records"));
      assertThat(fails("--limit=-1", url), containsString("--limit"));
      assertThat(fails("--queriesPerRole=0", url), containsString("--queriesPerRole"));
      assertThat(fails("--contrastiveRatio=1.5", url), containsString("--contrastiveRatio"));
      assertThat(fails("--maxRequestsPerMinute=abc", url), containsString("maxRequestsPerMinute"));
      assertThat(fails("--noSuchOption=1", url), containsString("noSuchOption"));
      assertThat(fails("--fieldMap=nick=label", url), containsString("unknown field 'nick'"));
      assertThat(
          fails(url, "--llmApiKeyEnv=ROLESYNTH_TEST_KEY_THAT_IS_NOT_SET"),
          containsString("ROLESYNTH_TEST_KEY_THAT_IS_NOT_SET, which is not set"));
      assertThat(
          fails("--llmEndpoint=ftp://example"),
          containsString("--llmEndpoint must be 'sim', an http(s) base URL"));
      assertThat(
          fails("--llmEndpoint=gguf:/no/such/model.gguf"),
          containsString("no readable model file"));
      Path notModel = tmp.newFile("notes.gguf").toPath();
      Files.writeString(notModel, "hello");
      assertThat(fails("--llmEndpoint=gguf:" + notModel), containsString("not a GGUF file"));
      Path config = tmp.newFile("bad.yaml").toPath();
      Files.writeString(config, "limit: [1, 2]\n");
      assertThat(fails("--config=" + config), containsString("must be a single value"));
      assertThat(fails("--runDate=26/11/2026", url), containsString("--runDate must be a date"));
      assertThat(
          fails("--maxRequestsPerMinute=60", "--rateLimitService=sometimes", url),
          containsString("--rateLimitService must be auto, off or an http(s) URL"));
      assertThat(
          fails("--tokenAccounting=sometimes", url),
          containsString("--tokenAccounting must be max_tokens or usage"));
      assertThat(
          fails("--llmMaxTokens=answer=5", url),
          containsString("--llmMaxTokens takes stage=N pairs"));
      assertThat(
          fails("--llmRateLimitPatienceMinutes=0", url),
          containsString("--llmRateLimitPatienceMinutes"));
      assertThat(
          fails(
              "--pipeline=beyond-dialogue",
              "--mode=source",
              "--input=pipelines/ditto/sample/roles.jsonl",
              url),
          containsString("--sourceTexts"));
      assertThat(
          fails("--pipeline=beyond-dialogue", "--sourceTexts=/no/such/novels/*.txt", url),
          containsString("--sourceTexts /no/such/novels/*.txt matches no file"));
      assertThat(
          fails("--pipeline=orca", "--variant=xyz", url),
          containsString("--variant must be ptit or psit"));
      assertThat(
          fails("--pipeline=orca", "--fieldMap=handle=id", url),
          containsString("unknown field 'handle'"));
      assertThat(
          fails("--pipeline=lima-role", "--keepRoleNotLosing=true", url),
          containsString("--withJudge"));
      assertThat(
          fails("--pipeline=lima-role", "--languages=en,klingon", url), containsString("klingon"));
      assertThat(
          fails("--pipeline=rolemrc", "--input=pipelines/rolemrc/sample/personas.jsonl", url),
          containsString("--passages"));
      assertThat(
          fails("--pipeline=rolemrc", "--passages=/no/such/marco*.jsonl", url),
          containsString("matches no file"));
      assertThat(
          fails("--pipeline=rolemrc", "--narration=sometimes", url),
          containsString("--narration must be"));
      assertThat(fails("--pipeline=rolemrc", "--chatTurns=1", url), containsString("--chatTurns"));
      assertThat(
          fails("--pipeline=rolemrc", "--fieldMap=persona=text", url),
          containsString("--fieldMap is not used by rolemrc"));
      assertThat(
          fails("--pipeline=characterchat", "--maxUtterances=2", url),
          containsString("--maxUtterances"));
      assertThat(
          fails("--pipeline=characterchat", "--profilesPerType=0", url),
          containsString("--profilesPerType"));
      assertThat(
          fails("--pipeline=characterchat", "--fieldMap=mbti=type", url),
          containsString("--fieldMap is not used by characterchat"));
      assertThat(
          fails("--pipeline=simschat", "--scenesPerCharacter=0", url),
          containsString("--scenesPerCharacter"));
      Path prompts = tmp.newFolder("prompts").toPath();
      Files.writeString(prompts.resolve("queries.user.mustache"), "Questions for {{nmae}}");
      assertThat(
          fails("--promptDir=" + prompts, url),
          containsString(
              "queries.user.mustache cannot be used: "
                  + "No method or field with name 'nmae' on line 1"));
      assertEquals(0, server.received());
    }
  }

  @Test
  public void runDateAndPipelineNameTheOutputAndCacheFolders() throws Exception {
    Path root = tmp.getRoot().toPath();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    int exit =
        new Launcher(new PrintStream(sink), new PrintStream(sink))
            .run(
                new String[] {
                  "--output=" + root.resolve("out/{pipeline}/dt={runDate}"),
                  "--runDate=2026-11-25",
                  "--limit=1",
                  "--queriesPerRole=1"
                });
    assertEquals(sink.toString(), 0, exit);
    Path out = root.resolve("out/ditto/dt=2026-11-25");
    assertThat(
        Files.readString(out.resolve("_manifest.json")),
        containsString("\"runDate\" : \"2026-11-25\""));

    var options =
        org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(
                "--cacheDir=" + root.resolve("cache/{pipeline}/{runDate}"))
            .as(dev.rolesynth.options.RolesynthOptions.class);
    assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), RunSettings.runDate(options));
    assertEquals(
        root.resolve("cache/orca/2026-01-02").toString(),
        RunSettings.cacheDir(
            options, dev.rolesynth.pipeline.Folder.of(out.toString()), "orca", "2026-01-02"));
  }

  @Test
  public void helpListsEveryOptionWithItsDescription() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        new Launcher(new PrintStream(out, true), new PrintStream(new ByteArrayOutputStream()))
            .run(new String[] {"--pipeline=ditto", "--help"});
    assertEquals(0, exit);
    String help = out.toString();
    for (String option :
        new String[] {
          "--input",
          "--output",
          "--limit",
          "--seed",
          "--llmEndpoint",
          "--llmModel",
          "--llmApiKeyEnv",
          "--maxRequestsPerMinute",
          "--maxTokensPerMinute",
          "--maxConcurrentRequests",
          "--queriesPerRole",
          "--judge"
        }) {
      assertThat(help, containsString(option));
    }
    assertThat(help, containsString("Requests per minute allowed by the provider"));
    // a pipeline's own options with their type, default and range, from its pipeline.yaml
    assertThat(help, containsString("--contrastiveRatio=<double>"));
    assertThat(help, containsString("(default: 0.34, between 0 and 1)"));
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    new Launcher(new PrintStream(all, true), new PrintStream(new ByteArrayOutputStream()))
        .run(new String[] {"--pipeline=ditto", "--help=all"});
    assertThat(all.toString(), containsString("--queriesPerRole"));
    assertThat(all.toString(), containsString("--maxRequestsPerMinute"));
    // Pipelines register themselves (META-INF/services): help and the unknown-pipeline error list
    // them.
    assertThat(
        help,
        containsString(
            "rolesynth pipelines: beyond-dialogue, characterchat, ditto, lima-role, orca, rolemrc, simschat; and review"));
    assertThat(
        fails("--pipeline=nope"),
        containsString(
            "available: beyond-dialogue, characterchat, ditto, lima-role, orca, rolemrc, simschat, and review"));
  }

  @Test
  public void anUnreachableEndpointIsAConfigurationError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThat(
        fails("--llmEndpoint=http://127.0.0.1:" + port + "/v1"),
        containsString("cannot be reached"));
  }

  @Test
  public void credentialsInTheEndpointNeverReachMessages() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String message =
        fails("--llmEndpoint=http://user:hunter2@127.0.0.1:" + port + "/v1?key=hunter2");
    assertFalse(message.contains("hunter2"));
  }

  @Test
  public void aStandaloneRateLimitServiceNeedsItsSecretBeforeAnyCall() throws Exception {
    String secret = "standalone-secret-0123456789";
    Path good = tmp.newFile("token").toPath();
    Files.writeString(good, secret + "\n");
    Path wrong = tmp.newFile("wrong-token").toPath();
    Files.writeString(wrong, "another-secret-0123456789");
    try (SimServer server = new SimServer(0, 0, 0);
        dev.rolesynth.llm.RateLimitService service =
            new dev.rolesynth.llm.RateLimitService(
                "127.0.0.1", 0, dev.rolesynth.llm.Clock.SYSTEM, secret)) {
      String url = "--llmEndpoint=" + server.baseUrl();
      String at = "--rateLimitService=" + service.url("127.0.0.1");
      assertThat(
          fails(url, at, "--rateLimitTokenFile=" + wrong),
          containsString("refused the secret given"));
      assertThat(
          fails(url, at, "--rateLimitTokenFile=" + tmp.getRoot().toPath().resolve("missing")),
          containsString("cannot read the rate-limit service's secret"));
      assertEquals("nothing was sent to the endpoint", 0, server.received());
      assertEquals(secret, RateLimitTokens.given(good.toString()));
      assertThat(
          assertThrows(ConfigException.class, () -> RateLimitTokens.given("", null)).getMessage(),
          containsString("set ROLESYNTH_RATE_LIMIT_TOKEN or --rateLimitTokenFile"));
      assertThat(
          assertThrows(ConfigException.class, () -> RateLimitTokens.given("", "short"))
              .getMessage(),
          containsString("too short"));
    }
  }
}
