package dev.rolesynth.pool;

/** A record made from another traced record: it answers for the input that one came from. */
public interface Derived extends Traced {
  Traced from();

  @Override
  default String id() {
    return from().id();
  }

  @Override
  default Origin origin() {
    return from().origin();
  }
}
