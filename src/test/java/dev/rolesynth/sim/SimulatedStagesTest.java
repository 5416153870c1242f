package dev.rolesynth.sim;

import static org.junit.Assert.assertTrue;

import dev.rolesynth.prompt.PromptBook;
import java.util.HashSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.Test;

/** A simulated answer names a stage some pipeline declares: a renamed stage cannot leave its simulation behind. */
public class SimulatedStagesTest {
  @Test
  public void everySimulatedStageIsDeclared() {
    Set<String> declared = new HashSet<>();
    Canonical.BUILT_IN.forEach(p -> declared.addAll(PromptBook.load(p, "").stageNames()));
    for (String stage : SimulatedLlm.builtInStages()) {
      assertTrue(stage + " is simulated but declared by no pipeline.yaml", declared.contains(stage));
    }
    int providers = 0;
    for (StageSimulations s : ServiceLoader.load(StageSimulations.class)) {
      providers++;
      Set<String> own = PromptBook.load(s.pipeline(), "").stageNames();
      s.answers().keySet().forEach(stage -> assertTrue(stage + " is not declared by " + s.pipeline(), own.contains(stage)));
    }
    assertTrue(providers >= 2);
  }
}
