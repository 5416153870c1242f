package dev.rolesynth.cli;

import static org.junit.Assert.assertEquals;

import dev.rolesynth.options.RolesynthOptions;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class LocalModelsTest {
  private static RolesynthOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(RolesynthOptions.class);
  }

  @Test
  public void aLocalEngineOnTheDirectRunnerGetsOneWorkerThreadAndOneGroupPerStage() {
    RolesynthOptions o = options("--runner=DirectRunner");
    List<String> changed = LocalModels.tuneDirectRunner(o, Set.of());
    assertEquals(List.of("--targetParallelism=1", "--llmGroups=1"), changed);
    assertEquals(1, o.as(DirectOptions.class).getTargetParallelism());
    assertEquals(1, o.getLlmGroups());
  }

  @Test
  public void settingsTheUserGaveAreKept() {
    RolesynthOptions o = options("--runner=DirectRunner", "--targetParallelism=4", "--llmGroups=8");
    List<String> changed =
        LocalModels.tuneDirectRunner(o, Set.of("targetParallelism", "llmGroups"));
    assertEquals(List.of(), changed);
    assertEquals(4, o.as(DirectOptions.class).getTargetParallelism());
    assertEquals(8, o.getLlmGroups());

    RolesynthOptions groupsOnly = options("--runner=DirectRunner", "--llmGroups=8");
    assertEquals(
        List.of("--targetParallelism=1"),
        LocalModels.tuneDirectRunner(groupsOnly, Set.of("llmGroups")));
    assertEquals(8, groupsOnly.getLlmGroups());
  }
}
