package dev.rolesynth.prompt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** A method's data.yaml: lists and weights in the file's order, a missing name named. */
public class MethodDataTest {
  @Test
  public void listsAndWeightsComeInTheFilesOrder() {
    MethodData d = MethodData.of("simschat");
    List<String> emotions = d.list("emotions");
    assertEquals(16, emotions.size());
    assertEquals(List.of("Angry", "Asleep"), emotions.subList(0, 2));
    assertEquals("Uncomfortable", emotions.get(15));
    var topics = d.weights("topics");
    assertEquals(
        List.of("discussing hobbies", "arguments"), List.copyOf(topics.keySet()).subList(0, 2));
    assertEquals(Integer.valueOf(6), topics.get("gossip"));
    var facets = MethodData.of("orca").lists("facets");
    assertEquals(
        List.of("Openness", "Conscientiousness", "Extraversion", "Agreeableness", "Neuroticism"),
        List.copyOf(facets.keySet()));
    assertEquals("Vulnerable", facets.get("Neuroticism").get(5));
  }

  @Test
  public void aNameTheFileLacksIsAnErrorNamingTheFile() {
    MethodData d = MethodData.of("simschat");
    var e = assertThrows(IllegalStateException.class, () -> d.list("colours"));
    assertTrue(
        e.getMessage(),
        e.getMessage().startsWith("pipelines/simschat/data.yaml has no list 'colours'"));
    var w = assertThrows(IllegalStateException.class, () -> d.weights("emotions"));
    assertTrue(w.getMessage(), w.getMessage().contains("has no map 'emotions'"));
  }
}
