package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rolesynth.llm.AnswerCheck;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.Traced;
import dev.rolesynth.prompt.PipelineSettings;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Any declared stage: its templates, schema and sampling come from the pipeline's
 * {@code pipeline.yaml}; the code gives only what is particular to it, as functions: the template
 * variables it reads from a record (or the turns it builds), the checks an answer must pass beyond
 * its schema, and how the answer becomes output. Naming an undeclared stage fails when the pipeline
 * is planned, before any call.
 */
public final class Stage<I extends Traced, O> extends LlmTask<I, O> {
  /** A function a stage is made of; serializable, as the runner ships it to its workers. */
  public interface Fn<A, B> extends Serializable {
    B apply(A a);
  }

  /** Turns a validated answer into output; throw IllegalArgumentException for an unusable one. */
  public interface Parser<I, O> extends Serializable {
    List<O> parse(I input, JsonNode answer);
  }

  /** Null when the answer is fine, else one sentence the model can act on (it is re-asked with it). */
  public interface Check<I> extends Serializable {
    String problem(I input, JsonNode answer);
  }

  private final String name;
  private final PipelineSettings settings;
  private final Fn<I, Map<String, ?>> context;
  private final Fn<I, List<ChatMessage>> turns;
  private final Parser<I, O> parser;
  private final Check<I> check;
  private final Fn<I, String> key;

  private Stage(String name, PipelineSettings settings, Fn<I, Map<String, ?>> context, Fn<I, List<ChatMessage>> turns,
      Parser<I, O> parser, Check<I> check, Fn<I, String> key) {
    settings.stage(name); // declared, or fail now
    this.name = name;
    this.settings = settings;
    this.context = context;
    this.turns = turns;
    this.parser = parser;
    this.check = check;
    this.key = key;
  }

  /** A stage whose declared templates are rendered with the variables {@code context} reads from a record. */
  public static <I extends Traced, O> Stage<I, O> rendering(String name, PipelineSettings settings,
      Fn<I, Map<String, ?>> context, Parser<I, O> parser) {
    return new Stage<>(name, settings, context, null, parser, null, null);
  }

  /** A stage whose turns the code builds (a dialogue so far, say); its declared schema and sampling still apply. */
  public static <I extends Traced, O> Stage<I, O> chatting(String name, PipelineSettings settings,
      Fn<I, List<ChatMessage>> turns, Parser<I, O> parser) {
    return new Stage<>(name, settings, null, turns, parser, null, null);
  }

  /** The same stage with a check of its answers. */
  public Stage<I, O> checkedBy(Check<I> check) {
    return new Stage<>(name, settings, context, turns, parser, check, key);
  }

  /** The same stage for records that make several calls of it each: {@code key} tells those calls apart. */
  public Stage<I, O> keyedBy(Fn<I, String> key) {
    return new Stage<>(name, settings, context, turns, parser, check, key);
  }

  @Override
  public String stage() {
    return name;
  }

  @Override
  public String recordId(I input) {
    return input.id();
  }

  @Override
  public String callId(I input) {
    return input.id() + "/" + name + (key == null ? "" : "/" + key.apply(input));
  }

  @Override
  public Origin origin(I input) {
    return input.origin();
  }

  @Override
  public ChatRequest request(I input) {
    return context != null ? settings.request(name, context.apply(input), callId(input))
        : settings.request(name, turns.apply(input), callId(input));
  }

  @Override
  public AnswerCheck check(I input) {
    return check == null ? AnswerCheck.NONE : answer -> check.problem(input, answer);
  }

  @Override
  public List<O> parse(I input, CallOutcome outcome) {
    return parser.parse(input, outcome.json());
  }
}
