package dev.rolesynth.cli;

import dev.rolesynth.llm.LlmConfig;
import dev.rolesynth.options.RolesynthOptions;
import dev.rolesynth.pipeline.Folder;
import dev.rolesynth.pipeline.RolePipeline;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Everything a run is made of, worked out from its options and checked before anything is written
 * or sent: the run id and date, the output folder, the input, the seed a nightly mode gives it, the
 * LLM configuration and the pipeline's version. Making the plan reads the local input's listing and
 * the pipeline's declaration, nothing else; a problem is a ConfigException naming the option. The
 * plan is written back into the options, which carry it to the workers and into the manifest.
 *
 * @param givenSeed the seed as the user gave it (a nightly mode may derive the run's own from it)
 */
record RunPlan(
    String runId,
    String runDate,
    Folder output,
    String input,
    long seed,
    long givenSeed,
    Nightly nightly,
    LlmConfig llm,
    String version) {

  static RunPlan of(RolePipeline<?> pipeline, RolesynthOptions options, Instant startedAt)
      throws IOException {
    if (options.getRunId().isBlank()) {
      options.setRunId(
          DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                  .withZone(ZoneOffset.UTC)
                  .format(startedAt)
              + "-"
              + UUID.randomUUID().toString().substring(0, 8));
    }
    String runDate = RunSettings.runDate(options);
    Folder output =
        Folder.of(RunSettings.placeholders(options.getOutput(), pipeline.name(), runDate));
    OptionChecks.checkRanges(options);
    Nightly nightly =
        Nightly.of(options.getNightly(), runDate, options.getLedgerDir(), output, pipeline.name());
    long givenSeed = options.getSeed();
    options.setSeed(nightly.seed(givenSeed));
    options.setInput(RunSettings.placeholders(options.getInput(), pipeline.name(), runDate));
    String input = RunSettings.resolveInput(pipeline, options);
    LlmConfig llm = RunSettings.llmConfig(options, output, pipeline.name(), runDate, nightly);
    return new RunPlan(
        options.getRunId(),
        runDate,
        output,
        input,
        options.getSeed(),
        givenSeed,
        nightly,
        llm,
        RunSettings.pipelineVersion(pipeline.name()));
  }
}
