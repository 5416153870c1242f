package dev.rolesynth.pipeline;

import dev.rolesynth.llm.AnswerCheck;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.pool.Origin;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Consecutive stages of one record run as one call stage: a record goes on to its next stage's call
 * the moment its last call is done, in the same worker, with nothing between the stages to wait on
 * (on Flink a stage boundary is an exchange, and a stage downstream of a slow one only hears of its
 * finished calls when the one before sends it something). Use it wherever a method takes each
 * record through its stages by itself; a stage that needs other records' answers starts a new one.
 *
 * <p>Links are stages ({@link #then}), stages called only where a record needs them ({@link
 * #thenIf}; the others pass on as they are), and plain functions between them ({@link #thenMap}).
 * As a task it works on {@link Step}s, each a value and the link it is at; {@link CallLlm} runs it
 * like any task, and the {@link RunInfo#chain} transform unwraps what comes out of the last link.
 *
 * @param <I> what goes into the first link
 * @param <O> what comes out of the last
 */
public final class Chain<I, O> extends LlmTask<Chain.Step, Chain.Step> {
  /** A value at link {@code at}, or ({@code at} = the number of links) a final output. */
  public record Step(int at, Object value) implements Serializable {}

  /** One link: a stage (with where it is called), or a function between stages. */
  private record Link(
      LlmTask<Object, Object> task,
      SerializableFunction<Object, Boolean> when,
      SerializableFunction<Object, List<Object>> map)
      implements Serializable {}

  private final List<Link> links;

  private Chain(List<Link> links) {
    this.links = List.copyOf(links);
  }

  /** A chain that starts with {@code first}, which every record goes through. */
  @SuppressWarnings("unchecked")
  public static <I, O> Chain<I, O> of(LlmTask<I, O> first) {
    return new Chain<>(List.of(new Link((LlmTask<Object, Object>) first, null, null)));
  }

  /** Then every output goes through {@code next}. */
  public <P> Chain<I, P> then(LlmTask<O, P> next) {
    return link(next, null);
  }

  /**
   * Then outputs for which {@code when} holds go through {@code next}; the others pass on
   * unchanged.
   */
  public Chain<I, O> thenIf(SerializableFunction<O, Boolean> when, LlmTask<O, O> next) {
    return link(next, when);
  }

  @SuppressWarnings("unchecked")
  private <P> Chain<I, P> link(LlmTask<O, P> next, SerializableFunction<O, Boolean> when) {
    List<Link> all = new ArrayList<>(links);
    all.add(
        new Link(
            (LlmTask<Object, Object>) next,
            (SerializableFunction<Object, Boolean>) (Object) when,
            null));
    return new Chain<>(all);
  }

  /** Then each output becomes what {@code map} makes of it (none, one or several), with no call. */
  @SuppressWarnings("unchecked")
  public <P> Chain<I, P> thenMap(SerializableFunction<O, List<P>> map) {
    List<Link> all = new ArrayList<>(links);
    all.add(new Link(null, null, (SerializableFunction<Object, List<Object>>) (Object) map));
    return new Chain<>(all);
  }

  /** The stage a step is at, for dead letters and messages. */
  @Override
  public String stage(Step input) {
    return task(input).stage(input.value());
  }

  @Override
  public String stage() {
    return links.get(0).task().stage();
  }

  @Override
  public String recordId(Step input) {
    return task(input).recordId(input.value());
  }

  @Override
  public String callId(Step input) {
    return task(input).callId(input.value());
  }

  @Override
  public Origin origin(Step input) {
    return task(input).origin(input.value());
  }

  @Override
  public ChatRequest request(Step input) {
    return task(input).request(input.value());
  }

  @Override
  public AnswerCheck check(Step input) {
    return task(input).check(input.value());
  }

  @Override
  public List<Step> parse(Step input, CallOutcome outcome) {
    return after(input.at(), task(input).parse(input.value(), outcome));
  }

  @Override
  public List<Step> onFailure(Step input) {
    return after(input.at(), task(input).onFailure(input.value()));
  }

  /** A step not yet at the end is the record's next call. */
  @Override
  public Step followUp(Step output) {
    return output.at() < links.size() ? output : null;
  }

  /** Wraps a record going in. */
  Step start(I input) {
    return new Step(0, input);
  }

  /** Whether a step is a final output. */
  boolean done(Step s) {
    return s.at() == links.size();
  }

  private LlmTask<Object, Object> task(Step s) {
    return links.get(s.at()).task();
  }

  /** Where the outputs of link {@code at} go: the same link's next call, or on along the chain. */
  private List<Step> after(int at, List<Object> outputs) {
    List<Step> next = new ArrayList<>();
    LlmTask<Object, Object> task = links.get(at).task();
    for (Object out : outputs) {
      Object again = task.followUp(out);
      if (again != null) {
        next.add(new Step(at, again)); // the same stage's next call (a dialogue's next turn)
      } else {
        advance(at + 1, out, next);
      }
    }
    return next;
  }

  /**
   * A value arriving at link {@code at}: called there, mapped on, passed by, or out of the chain.
   */
  private void advance(int at, Object value, List<Step> into) {
    if (at == links.size()) {
      into.add(new Step(at, value));
      return;
    }
    Link link = links.get(at);
    if (link.map() != null) {
      for (Object v : link.map().apply(value)) {
        advance(at + 1, v, into);
      }
    } else if (link.when() != null && !link.when().apply(value)) {
      advance(at + 1, value, into);
    } else {
      into.add(new Step(at, value));
    }
  }

  /**
   * Runs a chain over a collection: records in, the last link's outputs and every link's dead
   * letters out.
   */
  public static final class Call<I, O>
      extends org.apache.beam.sdk.transforms.PTransform<
          org.apache.beam.sdk.values.PCollection<I>,
          org.apache.beam.sdk.transforms.WithFailures.Result<
              org.apache.beam.sdk.values.PCollection<O>, Failure>> {
    private final Chain<I, O> chain;
    private final dev.rolesynth.llm.LlmConfig llm;
    private final org.apache.beam.sdk.coders.Coder<O> coder;
    private final int groups;

    Call(
        Chain<I, O> chain,
        dev.rolesynth.llm.LlmConfig llm,
        org.apache.beam.sdk.coders.Coder<O> coder,
        int groups) {
      this.chain = chain;
      this.llm = llm;
      this.coder = coder;
      this.groups = groups;
    }

    @Override
    @SuppressWarnings("unchecked")
    public org.apache.beam.sdk.transforms.WithFailures.Result<
            org.apache.beam.sdk.values.PCollection<O>, Failure>
        expand(org.apache.beam.sdk.values.PCollection<I> input) {
      org.apache.beam.sdk.coders.Coder<Step> steps = KryoCoder.of(Step.class);
      var called =
          input
              .apply(
                  "Start",
                  org.apache.beam.sdk.transforms.MapElements.into(
                          org.apache.beam.sdk.values.TypeDescriptor.of(Step.class))
                      .via(chain::start))
              .setCoder(steps)
              .apply("Stages", CallLlm.of(chain, llm, steps, groups));
      var out =
          called
              .output()
              .apply(
                  "Outputs",
                  org.apache.beam.sdk.transforms.MapElements.into(coder.getEncodedTypeDescriptor())
                      .via(s -> (O) s.value()))
              .setCoder(coder);
      return org.apache.beam.sdk.transforms.WithFailures.Result.of(out, called.failures());
    }
  }
}
