package dev.rolesynth.pool;

/**
 * A record that carries how many LLM calls made it, for its provenance: each call of a stage adds
 * one to what the stage's input carried (the contract counts; a method never adds), and a record
 * made without a call from several others (a dialogue of two people) starts from the sum of theirs.
 *
 * @param <T> the record itself
 */
public interface Counted<T> {
  int llmCalls();

  /** This record as made by {@code llmCalls} calls. */
  T withLlmCalls(int llmCalls);

  /** The calls {@code record} carries: none when it counts none. */
  static int of(Object record) {
    return record instanceof Counted<?> c ? c.llmCalls() : 0;
  }
}
