package dev.rolesynth.sim;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class SimWordsTest {
  @Test
  public void listsComeInTheFilesOrderAndAMissingOneIsNamed() {
    SimWords words = SimWords.of("simschat");
    assertEquals(List.of("Chat", "Speech", "Debate", "Discussion"), words.get("types"));
    var e = assertThrows(IllegalStateException.class, () -> words.get("nope"));
    assertTrue(e.getMessage(), e.getMessage().contains("pipelines/simschat/simulated.yaml"));
  }
}
