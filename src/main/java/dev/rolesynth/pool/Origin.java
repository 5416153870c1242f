package dev.rolesynth.pool;

import java.io.Serializable;

/** Where an input record came from, carried to its output or dead letter. */
public record Origin(String file, long line) implements Serializable {
  @Override
  public String toString() {
    return file + ":" + line;
  }
}
