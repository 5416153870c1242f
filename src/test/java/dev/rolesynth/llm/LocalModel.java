package dev.rolesynth.llm;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Assume;

/**
 * The small GGUF test model named by ROLESYNTH_TEST_GGUF (the project ships none; CI sets it).
 * Tests that need it are skipped, with the reason, when it is absent.
 */
public final class LocalModel {
  private LocalModel() {}

  public static Path path() {
    String env = System.getenv("ROLESYNTH_TEST_GGUF");
    return env != null && !env.isBlank() ? Path.of(env) : null;
  }

  /** The model, or the test is skipped with a message saying where it was looked for. */
  public static Path require() {
    Path p = path();
    Assume.assumeTrue(
        p == null
            ? "skipped: no GGUF test model (set ROLESYNTH_TEST_GGUF to a small GGUF file, e.g. stories260K.gguf)"
            : "skipped: no GGUF test model at " + p + " (ROLESYNTH_TEST_GGUF)",
        p != null && Files.isRegularFile(p));
    return p;
  }

  public static LlmConfig config(Path model, int parallel) {
    return LlmConfig.builder(LlmConfig.GGUF_PREFIX + model, "stories260K")
        .maxConcurrentRequests(parallel)
        .maxAttempts(3)
        .maxRepairs(3)
        .build()
        .withLocalEngine(new LlmConfig.LocalEngine(model.toString(), 1024, 1, parallel));
  }
}
