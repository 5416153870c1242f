package dev.rolesynth.pool;

import java.io.Serializable;

/** A record that knows the input it came from: what a dead letter of any stage needs to name. */
public interface Traced extends Serializable {
  /** The id of the input record it came from. */
  String id();

  Origin origin();
}
