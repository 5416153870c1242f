package dev.rolesynth.lima;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rolesynth.ConfigException;
import dev.rolesynth.lima.Lima.Annotated;
import dev.rolesynth.lima.Lima.Annotation;
import dev.rolesynth.lima.Lima.Item;
import dev.rolesynth.lima.Lima.Judged;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.Clock;
import dev.rolesynth.llm.LlmClient;
import dev.rolesynth.llm.LlmClientTest;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.llm.LlmException;
import dev.rolesynth.llm.OpenAiHttpBackend;
import dev.rolesynth.options.Knobs;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pool.BadRecordException;
import dev.rolesynth.pool.Origin;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.Test;

/**
 * LIMA-Role's rules without a pipeline: formats, annotation checks, re-asks, the judge's order swap
 * and tie rule.
 */
public class LimaRulesTest {
  static final ObjectMapper MAPPER = new ObjectMapper();

  static LimaRoleSettings settings(String... args) {
    RolesynthOptions o = Knobs.parseArgs("lima-role", LimaRoleKnobs.class, args);
    return new LimaRoleSettings(o, Knobs.of(o, "lima-role", LimaRoleKnobs.class));
  }

  static Item map(String json) throws Exception {
    return new InstructionMapper(20_000).map(MAPPER.readTree(json), new Origin("in.jsonl", 1));
  }

  @Test
  public void everyFormatGivesTheFirstUserTurnItsAnswerAndTheRest() throws Exception {
    Item lima = map("{\"conversations\": [\"q1\", \"a1\", \"q2\", \"a2\"]}");
    assertEquals("lima", lima.format());
    assertEquals("q1", lima.question());
    assertEquals("a1", lima.answer());
    assertEquals(
        List.of(new Lima.Turn("user", "q2"), new Lima.Turn("assistant", "a2")), lima.rest());
    assertTrue(lima.id().startsWith("i-"));

    Item share =
        map(
            "{\"id\": \"s\", \"conversations\": [{\"from\": \"system\", \"value\": \"Be brief.\"}, "
                + "{\"from\": \"gpt\", \"value\": \"Hi!\"}, {\"from\": \"human\", \"value\": \"q\"}, {\"from\": \"gpt\", \"value\": \"a\"}]}");
    assertEquals("sharegpt", share.format());
    assertEquals("Be brief.", share.system());
    assertEquals("q", share.question());
    assertThat(share.warnings().get(0), containsString("leading assistant turn was dropped"));

    Item alpaca =
        map("{\"instruction\": \"Translate.\", \"input\": \"Bonjour\", \"output\": \"Hello\"}");
    assertEquals("alpaca", alpaca.format());
    assertEquals("Translate.\n\nBonjour", alpaca.question());
    assertEquals("Hello", alpaca.answer());

    Item self =
        map(
            "{\"id\": \"seed_task_0\", \"instruction\": \"Name a colour.\", \"instances\": [{\"input\": \"\", "
                + "\"output\": \"Blue\"}, {\"input\": \"\", \"output\": \"Red\"}]}");
    assertEquals("self-instruct", self.format());
    assertEquals("Blue", self.answer());
    assertThat(self.warnings().get(0), containsString("only the first of 2 instances"));

    Item chat = map("{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}]}");
    assertEquals("chat", chat.format());
    assertEquals("", chat.answer());
  }

  @Test
  public void unknownShapesAreBadRecordsThatSayWhy() {
    for (String bad :
        List.of(
            "{\"text\": \"no format\"}",
            "{\"conversations\": []}",
            "{\"conversations\": [{\"from\": \"alien\", \"value\": \"x\"}]}",
            "{\"conversations\": [{\"from\": \"gpt\", \"value\": \"x\"}]}")) {
      try {
        map(bad);
        throw new AssertionError("accepted " + bad);
      } catch (BadRecordException e) {
        assertFalse(e.getMessage().isBlank());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  public void annotationsMustNameARoleStayInBoundsNotAnswerAndMatchTheLanguage() throws Exception {
    LimaRoleSettings s = settings();
    Item item =
        map(
            "{\"instruction\": \"How do I keep basil alive through the winter indoors?\", \"output\": "
                + "\"Give it the sunniest window you have and water only when the top inch of soil is dry.\"}");
    String good =
        "From now on, you are an experienced horticulturist who helps home gardeners with indoor herbs.";
    assertNull(
        LimaTasks.problem(
            s,
            item,
            "an experienced horticulturist",
            good,
            "Happy to help, what is your question?"));
    assertThat(LimaTasks.problem(s, item, " ", good, "ok"), containsString("must name the expert"));
    assertThat(
        LimaTasks.problem(s, item, "a pastry chef", good, "ok"),
        containsString("cast the assistant as the role"));
    assertThat(
        LimaTasks.problem(s, item, "a horticulturist", "You are a horticulturist.", "ok"),
        containsString("40 to 1200"));
    assertThat(
        LimaTasks.problem(
            s,
            item,
            "an experienced horticulturist",
            good + " Give it the sunniest window you have and water only when the top inch is dry.",
            "ok"),
        containsString("must not answer"));
    assertThat(
        LimaTasks.problem(
            s, item, "一位经验丰富的园艺师", "从现在开始，你是一位经验丰富的园艺师，专门帮助家庭园丁照料室内香草。", "好的，请问你的问题是什么？"),
        containsString("in English"));
    Item label =
        map(
            "{\"instruction\": \"Classify the review.\", \"input\": \"Great value.\", \"output\": \"Very positive\"}");
    assertThat(
        LimaTasks.problem(
            s,
            label,
            "a market researcher",
            "From now on, you are a market researcher; the answer here is very positive, as you will see.",
            "ok"),
        containsString("must not answer"));
  }

  @Test
  public void theJudgesOrdersAreMappedBackAndDisagreementIsATie() {
    LimaRoleSettings s = settings("--withJudge=true");
    assertEquals("role", LimaTasks.verdict(true, "A"));
    assertEquals("neutral", LimaTasks.verdict(true, "B"));
    assertEquals("neutral", LimaTasks.verdict(false, "A"));
    assertEquals("role", LimaTasks.verdict(false, "B"));
    // A judge who always says "A" picks role one way and neutral the other: a tie, not a winner.
    assertEquals(
        "tie",
        new Judged("r", "n", LimaTasks.verdict(true, "A"), LimaTasks.verdict(false, "A")).winner());
    assertEquals(
        "role",
        new Judged("r", "n", LimaTasks.verdict(true, "A"), LimaTasks.verdict(false, "B")).winner());
    assertEquals(
        "neutral",
        new Judged("r", "n", LimaTasks.verdict(true, "B"), LimaTasks.verdict(false, "A")).winner());
    assertEquals("tie", new Judged("r", "n", "tie", "tie").winner());
  }

  @Test
  public void theSecondJudgeCallShowsTheAnswersSwapped() throws Exception {
    LimaRoleSettings s = settings("--withJudge=true");
    Item item = map("{\"instruction\": \"q?\", \"output\": \"a\"}");
    Annotated a =
        new Annotated(
            item,
            new Annotation("r", "p", "f"),
            new Judged("ROLE ANSWER", "NEUTRAL ANSWER", null, null),
            3);
    String first = LimaTasks.compare(s, true).request(a).messages().get(1).content();
    String second = LimaTasks.compare(s, false).request(a).messages().get(1).content();
    assertTrue(first.indexOf("ROLE ANSWER") < first.indexOf("NEUTRAL ANSWER"));
    assertTrue(second.indexOf("NEUTRAL ANSWER") < second.indexOf("ROLE ANSWER"));
  }

  @Test
  public void invalidAnnotationsAreReAskedThenGiveUpAndEachCallIsCountedOnce() throws Exception {
    LimaRoleSettings s = settings();
    Item item =
        map(
            "{\"instruction\": \"What is the capital of Australia?\", \"output\": \"The capital is Canberra\"}");
    var task = LimaTasks.annotate(s);
    String leaks =
        "{\"role\": \"a geography teacher\", \"rolePrompt\": \"From now on, you are a geography teacher. The capital is Canberra.\", \"feedback\": \"Sure.\"}";
    String good =
        "{\"role\": \"a geography teacher\", \"rolePrompt\": \"From now on, you are a geography teacher who loves world capitals.\", \"feedback\": \"Sure, ask away.\"}";
    try (MockWebServer server = new MockWebServer()) {
      server.start(InetAddress.getLoopbackAddress(), 0);
      LlmConfig config =
          LlmConfig.builder(server.url("/v1").toString(), "m")
              .maxConcurrentRequests(2)
              .timeoutSeconds(5)
              .maxAttempts(2)
              .maxRepairs(2)
              .build();
      LlmClient client =
          new LlmClient(
              new OpenAiHttpBackend(config.endpoint(), "m", "", Duration.ofSeconds(5)),
              config,
              Clock.SYSTEM);
      server.enqueue(LlmClientTest.ok(leaks, 10, 10));
      server.enqueue(LlmClientTest.ok(good, 10, 10));
      CallOutcome ok = client.complete(task.request(item), task.check(item));
      assertTrue(ok.ok());
      assertEquals(1, ok.stats().repairs);
      server.takeRequest();
      RecordedRequest reask = server.takeRequest();
      assertThat(reask.getBody().utf8(), containsString("must not answer the question"));

      for (int i = 0; i < 3; i++) {
        server.enqueue(LlmClientTest.ok(leaks, 10, 10));
      }
      CallOutcome bad = client.complete(task.request(item), task.check(item));
      assertFalse(bad.ok());
      assertEquals(LlmException.Kind.INVALID_OUTPUT, bad.error().kind());
      Annotated parsed = task.parse(item, ok).get(0);
      assertEquals("a geography teacher", parsed.annotation().role());
      assertEquals("Sure, ask away.", parsed.annotation().feedback());
      // the contract counts the calls (Counted): a re-asked call is one call, and each stage's
      // call adds one to what its input carried
      assertEquals(1, parsed.llmCalls());
      var neutral = LimaTasks.answerNeutrally(s);
      Annotated answered = parsed.withJudged(new Judged("ROLE", null, null, null)).withLlmCalls(3);
      server.enqueue(LlmClientTest.ok("{\"answer\": \"Canberra.\"}", 10, 10));
      CallOutcome more = client.complete(neutral.request(answered), neutral.check(answered));
      Annotated after = neutral.parse(answered, more).get(0);
      assertEquals("Canberra.", after.judged().neutralAnswer());
      assertEquals(4, after.llmCalls());
    }
  }

  @Test
  public void badOptionsAreConfigErrors() {
    for (String[] args :
        List.of(
            new String[] {"--keepRoleNotLosing=true"},
            new String[] {"--languages=en,xx"},
            new String[] {"--minPromptChars=500", "--maxPromptChars=100"})) {
      try {
        settings(args);
        throw new AssertionError("accepted " + String.join(" ", args));
      } catch (ConfigException e) {
        assertFalse(e.getMessage().isBlank());
      }
    }
  }
}
