package dev.rolesynth.pool;

import java.io.Serializable;

/**
 * Where an input record came from, carried to its output or dead letter.
 *
 * @param fingerprint a hash of the record's content as read ("" where there is none, e.g. a bad
 *     line): with the id, it says whether a later night's pool still holds the same record
 */
public record Origin(String file, long line, String fingerprint) implements Serializable {
  public Origin {
    fingerprint = fingerprint == null ? "" : fingerprint;
  }

  public Origin(String file, long line) {
    this(file, line, "");
  }

  @Override
  public String toString() {
    return file + ":" + line;
  }
}
