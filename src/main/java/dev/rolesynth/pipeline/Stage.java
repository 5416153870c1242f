package dev.rolesynth.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.llm.AnswerCheck;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatMessage;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.pool.Counted;
import dev.rolesynth.pool.Origin;
import dev.rolesynth.pool.Traced;
import dev.rolesynth.prompt.PipelineSettings;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Any declared stage: its templates, schema and sampling come from the pipeline's {@code
 * pipeline.yaml}; the code gives only what is particular to it, as functions: the template
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

  /**
   * Null when the answer is fine, else one sentence the model can act on (it is re-asked with it).
   */
  public interface Check<I> extends Serializable {
    String problem(I input, JsonNode answer);
  }

  /**
   * Changes the rendered request for one record (a schema narrowed to the record's own candidates,
   * say).
   */
  public interface Adjust<I> extends Serializable {
    ChatRequest apply(I input, ChatRequest request);
  }

  private final String name;
  private final PipelineSettings settings;
  private Fn<I, Map<String, ?>> context;
  private Fn<I, List<ChatMessage>> turns;
  private final Parser<I, O> parser;
  private Check<I> check;
  private Fn<I, String> key;
  private Fn<I, String> callId;
  private Adjust<I> adjust;
  private Fn<O, I> followUp;
  private Fn<I, List<O>> onFailure;
  private Fn<I, List<O>> without;

  private Stage(String name, PipelineSettings settings, Parser<I, O> parser) {
    this.name = name;
    this.settings = settings;
    this.parser = parser;
  }

  /**
   * A stage whose declared templates are rendered with the variables {@code context} reads from a
   * record; {@link Asking} completes it with what an answer makes.
   */
  public static <I extends Traced> Asking<I> asking(
      String name, PipelineSettings settings, Fn<I, Map<String, ?>> context) {
    settings.stage(name); // declared, or fail now
    return new Asking<>(name, settings, context, null);
  }

  /**
   * A stage whose turns the code builds (a dialogue so far, say); its declared schema and sampling
   * still apply.
   */
  public static <I extends Traced> Asking<I> chatting(
      String name, PipelineSettings settings, Fn<I, List<ChatMessage>> turns) {
    settings.stage(name);
    return new Asking<>(name, settings, null, turns);
  }

  static <I extends Traced, O> Stage<I, O> of(
      String name,
      PipelineSettings settings,
      Fn<I, Map<String, ?>> context,
      Fn<I, List<ChatMessage>> turns,
      Parser<I, O> parser) {
    Stage<I, O> s = new Stage<>(name, settings, parser);
    s.context = context;
    s.turns = turns;
    return s;
  }

  private Stage<I, O> copy(Consumer<Stage<I, O>> change) {
    Stage<I, O> s = new Stage<>(name, settings, parser);
    s.context = context;
    s.turns = turns;
    s.check = check;
    s.key = key;
    s.callId = callId;
    s.adjust = adjust;
    s.followUp = followUp;
    s.onFailure = onFailure;
    s.without = without;
    change.accept(s);
    return s;
  }

  /** The same stage with a check of its answers. */
  public Stage<I, O> checkedBy(Check<I> check) {
    return copy(s -> s.check = check);
  }

  /**
   * The same stage for records that make several calls of it each: {@code key} tells those calls
   * apart.
   */
  public Stage<I, O> keyedBy(Fn<I, String> key) {
    return copy(s -> s.key = key);
  }

  /**
   * The same stage with call ids of its own (they seed the calls; a record's id and the stage's
   * name by default).
   */
  public Stage<I, O> calledAs(Fn<I, String> callId) {
    return copy(s -> s.callId = callId);
  }

  /**
   * The same stage with each record's request changed after rendering (after any earlier change).
   */
  public Stage<I, O> adjusting(Adjust<I> adjust) {
    Adjust<I> before = this.adjust;
    return copy(
        s -> s.adjust = before == null ? adjust : (i, r) -> adjust.apply(i, before.apply(i, r)));
  }

  /**
   * The same stage where the answer's list {@code property} holds exactly {@code count} items for
   * each record (its schema narrowed per record, so a server that honours schemas cannot miss), and
   * each item adds {@code tokensPerItem} to the declared {@code max_tokens}.
   */
  public Stage<I, O> sized(String property, Fn<I, Integer> count, int tokensPerItem) {
    return adjusting(
        (i, r) -> {
          int n = count.apply(i);
          ObjectNode schema = r.schema().deepCopy();
          ((ObjectNode) schema.at("/properties/" + property)).put("minItems", n).put("maxItems", n);
          return r.withSchema(schema).withMaxTokens(r.maxTokens() + tokensPerItem * n);
        });
  }

  /**
   * The same stage where an output may lead to the next call at once (null when it is final): a
   * dialogue's next turn.
   */
  public Stage<I, O> followedBy(Fn<O, I> followUp) {
    return copy(s -> s.followUp = followUp);
  }

  /**
   * The same stage where a failed call still yields output beside its dead letter (the dialogue
   * goes on without the turn).
   */
  public Stage<I, O> orOnFailure(Fn<I, List<O>> onFailure) {
    return copy(s -> s.onFailure = onFailure);
  }

  /**
   * The same stage where some records need no call: {@code without} gives their output, or null to
   * call for the record.
   */
  public Stage<I, O> skipping(Fn<I, List<O>> without) {
    return copy(s -> s.without = without);
  }

  @Override
  public List<O> withoutCall(I input) {
    return without == null ? null : without.apply(input);
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
    return callId != null
        ? callId.apply(input)
        : input.id() + "/" + name + (key == null ? "" : "/" + key.apply(input));
  }

  @Override
  public Origin origin(I input) {
    return input.origin();
  }

  @Override
  public ChatRequest request(I input) {
    ChatRequest r =
        context != null
            ? settings.request(name, context.apply(input), callId(input))
            : settings.request(name, turns.apply(input), callId(input));
    return adjust == null ? r : adjust.apply(input, r);
  }

  @Override
  public I followUp(O output) {
    return followUp == null ? null : followUp.apply(output);
  }

  @Override
  public List<O> onFailure(I input) {
    return onFailure == null ? List.of() : onFailure.apply(input);
  }

  @Override
  public AnswerCheck check(I input) {
    return check == null ? AnswerCheck.NONE : answer -> check.problem(input, answer);
  }

  /** The outputs of a call; a {@link Counted} one made by one call more than its input. */
  @Override
  @SuppressWarnings("unchecked")
  public List<O> parse(I input, CallOutcome outcome) {
    int calls = Counted.of(input) + 1;
    return parser.parse(input, outcome.json()).stream()
        .map(o -> o instanceof Counted<?> c ? (O) c.withLlmCalls(calls) : o)
        .toList();
  }
}
