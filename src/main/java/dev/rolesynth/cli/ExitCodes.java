package dev.rolesynth.cli;

/** Exit codes for schedulers (docs/operations.md, "Exit codes"). */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int RUNTIME_FAILURE = 1;
  public static final int CONFIG_ERROR = 2;
  public static final int TOO_MANY_FAILURES = 3;

  private ExitCodes() {}
}
