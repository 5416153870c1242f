package dev.rolesynth.pipeline;

import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pool.Origin;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/** Stages of one record as one chain: each record's next call as soon as its last is done. */
public class ChainTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /**
   * Appends its stage's letter; fails (unusable answer) on records whose name starts with its
   * letter.
   */
  static final class Mark extends LlmTask<String, String> {
    private final String letter;

    Mark(String letter) {
      this.letter = letter;
    }

    @Override
    public String stage() {
      return "mark_" + letter;
    }

    @Override
    public String recordId(String input) {
      return input.split("\\+")[0];
    }

    @Override
    public Origin origin(String input) {
      return new Origin("in", 1);
    }

    @Override
    public ChatRequest request(String input) {
      return new ChatRequest("mark_" + letter, List.of(ChatMessage.user(input)), 0, 20, 1, null);
    }

    @Override
    public List<String> parse(String input, CallOutcome outcome) {
      if (input.startsWith(letter)) {
        throw new IllegalArgumentException(input + " has no " + letter);
      }
      return List.of(input + "+" + letter);
    }
  }

  @Test
  public void recordsGoThroughEveryLinkAndDeadLettersNameTheStageTheyFailedAt() {
    // a, then b where the record has no "x" in it, then a fan-out into two, then c.
    Chain<String, String> chain =
        Chain.of(new Mark("a"))
            .thenIf(s -> !s.contains("x"), new Mark("b"))
            .thenMap(s -> List.of(s + "+1", s + "+2"))
            .then(new Mark("c"));
    var result =
        p.apply(
                Create.of(List.of("p", "qx", "a-first", "b-second", "c-third"))
                    .withCoder(StringUtf8Coder.of()))
            .apply(new Chain.Call<>(chain, LlmConfig.sim(), StringUtf8Coder.of(), 2));
    PAssert.that(result.output())
        .containsInAnyOrder("p+a+b+1+c", "p+a+b+2+c", "qx+a+1+c", "qx+a+2+c");
    PAssert.that(
            result
                .failures()
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(f -> f.recordId() + " at " + f.stage() + ": " + f.reason())))
        .containsInAnyOrder(
            "a-first at mark_a: unusable_answer",
            "b-second at mark_b: unusable_answer",
            "c-third at mark_c: unusable_answer",
            "c-third at mark_c: unusable_answer");
    p.run().waitUntilFinish();
  }
}
