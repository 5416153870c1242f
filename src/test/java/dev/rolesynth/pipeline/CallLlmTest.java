package dev.rolesynth.pipeline;

import static org.junit.Assert.assertEquals;

import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pool.Origin;
import java.net.InetAddress;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

public class CallLlmTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** Echoes its input in upper case; refuses answers for inputs starting with "bad". */
  static final class Shout extends LlmTask<String, String> {
    @Override
    public String stage() {
      return "shout";
    }

    @Override
    public String recordId(String input) {
      return input;
    }

    @Override
    public Origin origin(String input) {
      return new Origin("in", input.length());
    }

    @Override
    public ChatRequest request(String input) {
      if (input.startsWith("unrenderable")) {
        throw new IllegalArgumentException("template shout: no key 'x'");
      }
      return new ChatRequest("shout", List.of(ChatMessage.user(input)), 0, 50, 1, null);
    }

    @Override
    public List<String> parse(String input, CallOutcome outcome) {
      if (input.startsWith("bad")) {
        throw new IllegalArgumentException("answer for " + input + " is unusable");
      }
      return List.of(
          input.toUpperCase() + ":" + (outcome.content().isEmpty() ? "empty" : "answered"));
    }
  }

  /**
   * Counts down "name:n" one call at a time, each step a follow-up of the last; a step that cannot
   * be rendered ("x" in the name at n = 2) is a dead letter and the count goes on past it.
   */
  static final class CountDown extends LlmTask<String, String> {
    @Override
    public String stage() {
      return "count";
    }

    @Override
    public String recordId(String input) {
      return input.split(":")[0];
    }

    @Override
    public String callId(String input) {
      return input;
    }

    @Override
    public Origin origin(String input) {
      return new Origin("in", 1);
    }

    static int n(String s) {
      return Integer.parseInt(s.split(":")[1]);
    }

    static String next(String s) {
      return recordName(s) + ":" + (n(s) - 1);
    }

    static String recordName(String s) {
      return s.split(":")[0];
    }

    @Override
    public ChatRequest request(String input) {
      if (input.startsWith("x") && n(input) == 2) {
        throw new IllegalArgumentException("cannot render step 2 of " + input);
      }
      return new ChatRequest("count", List.of(ChatMessage.user(input)), 0, 50, 1, null);
    }

    @Override
    public List<String> parse(String input, CallOutcome outcome) {
      return List.of(next(input));
    }

    @Override
    public List<String> onFailure(String input) {
      return List.of(next(input));
    }

    @Override
    public String followUp(String output) {
      return n(output) > 0 ? output : null;
    }
  }

  /** Shout, but a record starting with "skip" needs no call: it is never rendered or sent. */
  static final class ShoutUnlessSkipped extends LlmTask<String, String> {
    private final Shout shout = new Shout();

    @Override
    public String stage() {
      return "shout";
    }

    @Override
    public String recordId(String input) {
      return input;
    }

    @Override
    public Origin origin(String input) {
      return shout.origin(input);
    }

    @Override
    public List<String> withoutCall(String input) {
      return input.startsWith("skip") ? List.of("kept " + input) : null;
    }

    @Override
    public ChatRequest request(String input) {
      if (input.startsWith("skip")) {
        throw new IllegalStateException("a skipped record was rendered");
      }
      return shout.request(input);
    }

    @Override
    public List<String> parse(String input, CallOutcome outcome) {
      return shout.parse(input, outcome);
    }
  }

  @Test
  public void aRecordThatNeedsNoCallPassesWithItsOwnOutput() {
    var result =
        p.apply(Create.of(List.of("hi", "skip me", "yo")).withCoder(StringUtf8Coder.of()))
            .apply(CallLlm.of(new ShoutUnlessSkipped(), LlmConfig.sim(), StringUtf8Coder.of(), 2));
    PAssert.that(result.output()).containsInAnyOrder("HI:answered", "kept skip me", "YO:answered");
    PAssert.that(result.failures()).empty();
    p.run().waitUntilFinish();
  }

  @Test
  public void followUpCallsRunInTheSameGroupUntilTheOutputIsFinal() {
    var result =
        p.apply(Create.of(List.of("a:3", "b:1", "x:4", "c:5")).withCoder(StringUtf8Coder.of()))
            .apply(CallLlm.of(new CountDown(), LlmConfig.sim(), StringUtf8Coder.of(), 2));
    PAssert.that(result.output()).containsInAnyOrder("a:0", "b:0", "x:0", "c:0");
    PAssert.that(
            result
                .failures()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(f -> f.callId() + "/" + f.reason())))
        .containsInAnyOrder("x:2/prompt_error");
    p.run().waitUntilFinish();
  }

  @Test
  public void everyElementEndsAsOutputOrFailure() {
    List<String> inputs = List.of("a", "b", "bad1", "c", "unrenderable", "d", "e", "f", "g", "h");
    var result =
        p.apply(Create.of(inputs).withCoder(StringUtf8Coder.of()))
            .apply(CallLlm.of(new Shout(), LlmConfig.sim(), StringUtf8Coder.of(), 3));
    PAssert.that(result.output())
        .containsInAnyOrder(
            "A:answered",
            "B:answered",
            "C:answered",
            "D:answered",
            "E:answered",
            "F:answered",
            "G:answered",
            "H:answered");
    PAssert.that(
            result
                .failures()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(f -> f.recordId() + "/" + f.reason())))
        .containsInAnyOrder("bad1/unusable_answer", "unrenderable/prompt_error");
    p.run().waitUntilFinish();
  }

  @Test
  public void permanentHttpErrorsBecomeFailuresWithTheServersReason() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse.Builder()
                  .code(400)
                  .body("{\"error\":{\"message\":\"model not found\"}}")
                  .build();
            }
          });
      server.start(InetAddress.getLoopbackAddress(), 0);
      LlmConfig config =
          LlmConfig.builder(server.url("/v1").toString(), "m")
              .maxConcurrentRequests(4)
              .timeoutSeconds(5)
              .maxAttempts(3)
              .maxRepairs(1)
              .build();
      var result =
          p.apply(Create.of(List.of("x", "y")).withCoder(StringUtf8Coder.of()))
              .apply(CallLlm.of(new Shout(), config, StringUtf8Coder.of(), 2));
      PAssert.that(result.output()).empty();
      PAssert.that(result.failures())
          .satisfies(
              all -> {
                int n = 0;
                for (Failure f : all) {
                  n++;
                  assertEquals("http_400", f.reason());
                  assertEquals(true, f.detail().contains("model not found"));
                  assertEquals("shout", f.stage());
                }
                assertEquals(2, n);
                return null;
              });
      p.run().waitUntilFinish();
      assertEquals(2, server.getRequestCount()); // permanent: never retried
    }
  }

  @Test
  public void aProviderThatNeverStopsRefusingEndsAsADeadLetterOnceYourPatienceRunsOut()
      throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse.Builder()
                  .code(429)
                  .addHeader("retry-after-ms", "300")
                  .body("{}")
                  .build();
            }
          });
      server.start(InetAddress.getLoopbackAddress(), 0);
      // Patience of 1.2 s: a few refusals are waited out, then the call gives up, and says why.
      LlmConfig config =
          LlmConfig.builder(server.url("/v1").toString(), "m")
              .maxRequestsPerMinute(6_000)
              .rateLimitPatienceMinutes(0.02)
              .timeoutSeconds(5)
              .build();
      var result =
          p.apply(Create.of(List.of("x")).withCoder(StringUtf8Coder.of()))
              .apply(CallLlm.of(new Shout(), config, StringUtf8Coder.of(), 1));
      PAssert.that(result.output()).empty();
      PAssert.that(result.failures())
          .satisfies(
              all -> {
                Failure f = all.iterator().next();
                assertEquals("rate_limit_patience_exhausted", f.reason());
                assertEquals(true, f.detail().contains("--llmRateLimitPatienceMinutes"));
                return null;
              });
      p.run().waitUntilFinish();
      assertEquals(true, server.getRequestCount() >= 3);
    }
  }

  /**
   * Asks for JSON; its check breaks the calling thread (as running out of memory would) for "boom".
   */
  static final class Brittle extends LlmTask<String, String> {
    @Override
    public String stage() {
      return "brittle";
    }

    @Override
    public String recordId(String input) {
      return input;
    }

    @Override
    public Origin origin(String input) {
      return new Origin("in", 1);
    }

    @Override
    public ChatRequest request(String input) {
      return new ChatRequest(
          "brittle",
          List.of(ChatMessage.user(input)),
          0,
          50,
          1,
          new com.fasterxml.jackson.databind.ObjectMapper()
              .createObjectNode()
              .put("type", "object"));
    }

    @Override
    public dev.rolesynth.llm.AnswerCheck check(String input) {
      return answer -> {
        if (input.equals("boom")) {
          throw new StackOverflowError("simulated: the call's thread broke");
        }
        return null;
      };
    }

    @Override
    public List<String> parse(String input, CallOutcome outcome) {
      return List.of(input);
    }
  }

  /**
   * A call whose thread breaks fails the job with the cause: it must not leave the DoFn waiting for
   * ever.
   */
  @Test(timeout = 120_000)
  public void aCallWhoseThreadBreaksFailsTheJobInsteadOfHangingIt() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse.Builder()
                  .code(200)
                  .body(
                      "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"{}\"},\"finish_reason\":\"stop\"}]}")
                  .build();
            }
          });
      server.start(InetAddress.getLoopbackAddress(), 0);
      LlmConfig config =
          LlmConfig.builder(server.url("/v1").toString(), "m").timeoutSeconds(5).build();
      p.apply(Create.of(List.of("a", "boom", "b")).withCoder(StringUtf8Coder.of()))
          .apply(CallLlm.of(new Brittle(), config, StringUtf8Coder.of(), 1));
      Throwable failed =
          org.junit.Assert.assertThrows(Throwable.class, () -> p.run().waitUntilFinish());
      StringBuilder chain = new StringBuilder();
      for (Throwable t = failed; t != null; t = t.getCause() == t ? null : t.getCause()) {
        chain.append(t).append('\n');
      }
      assertEquals(
          chain.toString(), true, chain.toString().contains("brittle: an LLM call broke off"));
      assertEquals(
          chain.toString(), true, chain.toString().contains("simulated: the call's thread broke"));
    }
  }
}
