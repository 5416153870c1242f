package dev.rolesynth.cli;

import dev.rolesynth.ConfigException;
import dev.rolesynth.llm.GgufMetadata;
import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.options.RolesynthOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;

/**
 * Settles a {@code gguf:} endpoint before any call: the file must be a readable GGUF model, the
 * engine settings sensible; the model name defaults to the file name; the engine bounds
 * concurrency, and provider rate limits do not apply to it.
 */
public final class LocalModels {
  private LocalModels() {}

  /**
   * On the DirectRunner a local engine is the job's parallelism. The runner's scheduler busy-polls
   * on every worker thread that no bundle holds (about 80 % of a core in a profile, CPU the engine
   * could use; docs/BENCHMARKS.md). One worker thread and one group per LLM stage make each stage a
   * single bundle that keeps the engine fed to its end, with nothing spinning beside it. Flags the
   * user gave are left alone.
   *
   * @param given the flags on the command line, without their dashes
   * @return the settings changed, as flags
   */
  public static List<String> tuneDirectRunner(RolesynthOptions o, Set<String> given) {
    List<String> changed = new ArrayList<>();
    if (!given.contains("targetParallelism")) {
      o.as(DirectOptions.class).setTargetParallelism(1);
      changed.add("--targetParallelism=1");
    }
    if (!given.contains("llmGroups")) {
      o.setLlmGroups(1);
      changed.add("--llmGroups=1");
    }
    return changed;
  }

  public static LlmConfig configure(LlmConfig c, RolesynthOptions o) {
    Path model =
        Path.of(c.endpoint().substring(LlmConfig.GGUF_PREFIX.length()))
            .toAbsolutePath()
            .normalize();
    if (!Files.isRegularFile(model) || !Files.isReadable(model)) {
      throw new ConfigException("--llmEndpoint=gguf:" + model + ": no readable model file there");
    }
    try {
      GgufMetadata.read(model);
    } catch (IOException e) {
      throw new ConfigException("--llmEndpoint=gguf:" + model + ": " + e.getMessage());
    }
    if (o.getLlamaContextSize() < 64 || o.getLlamaParallel() < 1 || o.getLlamaThreads() < 0) {
      throw new ConfigException(
          "--llamaContextSize must be at least 64, --llamaParallel at least 1 and --llamaThreads"
              + " 0 (all) or more");
    }
    int threads =
        o.getLlamaThreads() == 0 ? Runtime.getRuntime().availableProcessors() : o.getLlamaThreads();
    String name = o.getLlmModel().equals("sim") ? model.getFileName().toString() : o.getLlmModel();
    int parallel = o.getLlamaParallel();
    if (c.maxRequestsPerMinute() > 0 || c.maxTokensPerMinute() > 0) {
      System.err.println(
          "rolesynth: NOTICE: --maxRequestsPerMinute/--maxTokensPerMinute do not apply to a local engine; "
              + "--llamaParallel ("
              + parallel
              + ") bounds the calls in flight");
    }
    // No provider limit applies to a local engine; its parallel sequences bound what runs at once.
    // Twice
    // as many calls are handed to it, so that a freed sequence starts the next one without waiting
    // for the client to count the last one's tokens.
    LlmConfig local =
        LlmConfig.builder(LlmConfig.GGUF_PREFIX + model, name)
            .maxConcurrentRequests(2 * parallel)
            .timeoutSeconds(c.timeoutSeconds())
            .maxAttempts(c.maxAttempts())
            .maxRepairs(c.maxRepairs())
            .cacheDir(c.cacheDir())
            .stageMaxTokens(c.stageMaxTokens())
            .build();
    return local.withLocalEngine(
        new LlmConfig.LocalEngine(model.toString(), o.getLlamaContextSize(), threads, parallel));
  }
}
