package dev.rolesynth.cli;

import dev.rolesynth.ConfigException;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.pipeline.KeyRefusedException;

/**
 * Turns a failed job into what went wrong for the user. Runners wrap a worker's exception (Flink
 * even serializes it to text), so the causes are searched by message: a key the provider stopped
 * taking, or a worker missing its key, is a configuration error (exit 2) naming where the key comes
 * from.
 */
final class JobFailures {
  private static final String WORKER_KEY = "--llmApiKey";

  private JobFailures() {}

  static RuntimeException explain(RuntimeException e, LlmConfig llm) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()) + " " + t;
      if (m.contains(KeyRefusedException.MARK)) {
        return new ConfigException(
            KeyRefusedException.MARK
                + "; the run stopped instead of dead-lettering the rest of "
                + "the pool: "
                + EndpointProbe.keySource(llm));
      }
      int at = m.indexOf(WORKER_KEY);
      if (at >= 0 && m.contains("not set")) {
        String line = m.substring(at).split("\n")[0];
        return new ConfigException("a worker has no API key: " + line.replaceAll("\\s*\\(.*$", ""));
      }
    }
    return e;
  }
}
