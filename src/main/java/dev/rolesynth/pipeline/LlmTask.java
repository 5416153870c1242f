package dev.rolesynth.pipeline;

import dev.rolesynth.llm.AnswerCheck;
import dev.rolesynth.llm.CallOutcome;
import dev.rolesynth.llm.ChatRequest;
import dev.rolesynth.pool.Origin;
import java.io.Serializable;
import java.util.List;

/**
 * One LLM stage of a pipeline, in distilabel's shape: what it reads, the request it renders from
 * its template, the checks its answer must pass, and how the answer becomes output. It knows
 * nothing of Beam; {@link CallLlm} runs it.
 */
public abstract class LlmTask<I, O> implements Serializable {
  /** Stage name, also the JSON Schema name sent to the server. */
  public abstract String stage();

  /**
   * The stage a call for this input belongs to (in a {@link Chain} it depends on the link); {@link
   * #stage()} here.
   */
  public String stage(I input) {
    return stage();
  }

  /** Input record id, for dead letters. */
  public abstract String recordId(I input);

  /** Unique id of this call within the run; defaults to the record id. */
  public String callId(I input) {
    return recordId(input);
  }

  public abstract Origin origin(I input);

  public abstract ChatRequest request(I input);

  /**
   * The output of a record that needs no call (a dialogue saying goodbye has no aspect to choose),
   * or null to call for it.
   */
  public List<O> withoutCall(I input) {
    return null;
  }

  /** Stage-specific checks beyond the JSON Schema; a problem triggers a re-ask. */
  public AnswerCheck check(I input) {
    return AnswerCheck.NONE;
  }

  /**
   * What a failed call still yields beside its dead letter: nothing by default; a dialogue, say,
   * goes on without the turn that failed.
   */
  public List<O> onFailure(I input) {
    return List.of();
  }

  /**
   * The next call an output leads to, made at once by the same worker (the next turn of a dialogue,
   * so that no stage boundary holds it back), or null when the output is final.
   */
  public I followUp(O output) {
    return null;
  }

  /** Turns a validated answer into output; throw IllegalArgumentException for an unusable one. */
  public abstract List<O> parse(I input, CallOutcome outcome);
}
