package dev.rolesynth.pool;

/** Lets tests in other packages compute the id a nameless-id record gets. */
public final class RoleMapperAccess {
  private RoleMapperAccess() {}

  public static String hash(String name) {
    return RoleMapper.shortHash(name);
  }
}
