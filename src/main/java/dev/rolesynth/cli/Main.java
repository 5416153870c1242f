package dev.rolesynth.cli;

import dev.rolesynth.ConfigException;

/**
 * {@code mvn exec:java -Dpipeline=ditto [-Drunner=FlinkRunner] [-Dconfig=configs/x.yaml]
 * [-Dargs="..."]} or {@code java -jar rolesynth-*-bundled.jar --pipeline=ditto ...}. Exits with
 * {@link ExitCodes}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code;
    try {
      code = new Launcher(System.out, System.err).run(args);
    } catch (ConfigException e) {
      System.err.println("rolesynth: configuration error: " + e.getMessage());
      code = ExitCodes.CONFIG_ERROR;
    } catch (JobRetries.Exhausted e) {
      System.err.println("rolesynth: run failed: " + e.getMessage());
      code = ExitCodes.RUNTIME_FAILURE;
    } catch (Throwable e) {
      System.err.println("rolesynth: run failed: " + describe(e));
      if (System.getenv("ROLESYNTH_DEBUG") != null) {
        e.printStackTrace();
      }
      code = ExitCodes.RUNTIME_FAILURE;
    }
    System.out.flush();
    System.err.flush();
    // Flink and OkHttp leave non-daemon threads behind; without this, exec:java would hang.
    System.exit(code);
  }

  /** One line for an unexpected error, following causes to the first message. */
  static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t.getMessage() == null
            || t instanceof java.lang.reflect.InvocationTargetException
            || t.getClass().getName().contains("PipelineExecutionException"))) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + OptionChecks.firstLine(t.getMessage());
  }
}
