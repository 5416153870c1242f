package dev.rolesynth.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.prompt.PromptBook;
import java.util.HashSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.Test;

/**
 * Each pipeline declares its simulated answers; a simulated answer names a stage some pipeline
 * declares: a renamed stage cannot leave its simulation behind.
 */
public class SimulatedStagesTest {
  @Test
  public void everySimulatedStageIsDeclared() {
    Set<String> pipelines = new HashSet<>();
    for (StageSimulations s : ServiceLoader.load(StageSimulations.class)) {
      pipelines.add(s.pipeline());
      Set<String> own = PromptBook.load(s.pipeline(), "").stageNames();
      s.answers()
          .keySet()
          .forEach(
              stage ->
                  assertTrue(stage + " is not declared by " + s.pipeline(), own.contains(stage)));
    }
    // Every shipped pipeline declares its simulated answers beside its stages; none lives in the
    // simulator.
    assertEquals(
        Set.of(
            "ditto",
            "beyond-dialogue",
            "lima-role",
            "orca",
            "rolemrc",
            "characterchat",
            "simschat"),
        pipelines);
  }
}
