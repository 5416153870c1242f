package dev.rolesynth.pool;

import java.util.List;

/** A record read from an input pool: a role, a user with posts, an instruction item. */
public interface PoolRecord extends Traced {
  /** Unique within the pool; duplicates are dead-lettered. */
  @Override
  String id();

  /** What reading changed about the record (a field cut to the cap), carried into provenance. */
  List<String> warnings();
}
