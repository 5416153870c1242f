package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.llm.Answers;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.pool.Traced;
import dev.rolesynth.prompt.PipelineSettings;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A stage half declared: its name and how a record becomes its request ({@link Stage#asking},
 * {@link Stage#chatting}); what an answer makes of the record completes it. One output a call
 * ({@link #giving}, {@link #reading}) or any number ({@link #givingEach}, {@link #readingEach}).
 */
public final class Asking<I extends Traced> {
  /** Makes one output of a record and its answer. */
  public interface Making<I, A, O> extends Serializable {
    O make(I input, A answer);
  }

  private final String name;
  private final PipelineSettings settings;
  private final Stage.Fn<I, Map<String, ?>> context;
  private final Stage.Fn<I, List<ChatMessage>> turns;

  Asking(
      String name,
      PipelineSettings settings,
      Stage.Fn<I, Map<String, ?>> context,
      Stage.Fn<I, List<ChatMessage>> turns) {
    this.name = name;
    this.settings = settings;
    this.context = context;
    this.turns = turns;
  }

  private <O> Stage<I, O> with(Stage.Parser<I, O> parser) {
    return Stage.of(name, settings, context, turns, parser);
  }

  /** The stage that makes one output of each answer, read as JSON. */
  public <O> Stage<I, O> giving(Making<I, JsonNode, O> one) {
    return with((i, a) -> List.of(one.make(i, a)));
  }

  /** The stage that makes any number of outputs of each answer, read as JSON. */
  public <O> Stage<I, O> givingEach(Stage.Parser<I, O> many) {
    return with(many);
  }

  /**
   * The stage that reads each answer as the record {@code type} mirroring its schema ({@link
   * Answers#as}) and makes one output of it: no field-by-field JSON reading in a method.
   */
  public <A extends Record, O> Stage<I, O> reading(Class<A> type, Making<I, A, O> one) {
    return with((i, a) -> List.of(one.make(i, Answers.as(a, type))));
  }

  /** As {@link #reading}, making any number of outputs of each answer. */
  public <A extends Record, O> Stage<I, O> readingEach(Class<A> type, Making<I, A, List<O>> many) {
    return with((i, a) -> many.make(i, Answers.as(a, type)));
  }
}
