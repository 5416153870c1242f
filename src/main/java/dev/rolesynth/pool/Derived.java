package dev.rolesynth.pool;

import java.util.List;

/**
 * A record made from another traced record: it answers for the input that one came from. By default
 * that is its nearest traced component, looked for breadth first through the records it holds
 * ({@link Lineage}); a record made from something else overrides {@link #from}.
 */
public interface Derived extends Traced {
  default Traced from() {
    return Lineage.of(this);
  }

  @Override
  default String id() {
    return from().id();
  }

  @Override
  default Origin origin() {
    return from().origin();
  }

  @Override
  default List<String> warnings() {
    return from().warnings();
  }
}
