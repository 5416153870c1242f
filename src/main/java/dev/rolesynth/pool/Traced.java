package dev.rolesynth.pool;

import java.io.Serializable;
import java.util.List;

/** A record that knows the input it came from: what a dead letter of any stage needs to name. */
public interface Traced extends Serializable {
  /** The id of the input record it came from. */
  String id();

  Origin origin();

  /** What reading its input record noted (a field defaulted, a text cut), for its provenance. */
  default List<String> warnings() {
    return List.of();
  }
}
