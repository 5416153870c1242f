package dev.rolesynth.retrieval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.retrieval.Bm25Index.Scored;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

public class Bm25IndexTest {
  private static final Map<String, String> POOL =
      new LinkedHashMap<>(
          Map.of(
              "bread",
                  "why does sourdough need a starter\nBakers keep a sourdough starter of wild yeast to raise bread.",
              "reef",
                  "what causes coral bleaching\nWarm water makes corals expel their algae; reefs turn white.",
              "snow",
                  "how do avalanches start\nA weak snowpack layer collapses under new snow on steep slopes.",
              "tax",
                  "how is income tax calculated\nThe tax rate applies to revenue minus deductions.",
              "light",
                  "what is the speed of light\nLight travels about 300,000 kilometres per second."));

  @Test
  public void theMostRelevantItemSharesTheRolesKnowledgeAndTheLeastSharesNothing() {
    Scored[] m =
        new Bm25Index(POOL)
            .bestAndWorst("r1", "A baker who bakes rye bread and keeps sourdough starters alive");
    assertEquals("bread", m[0].id());
    assertTrue(m[0].score() > 0);
    assertEquals(0.0, m[1].score(), 0);
    assertNotEquals("bread", m[1].id());
    // Stemmed: "avalanche" finds "avalanches", "slope" finds "slopes".
    assertEquals(
        "snow",
        new Bm25Index(POOL)
            .bestAndWorst("r2", "avalanche instructor reading slope and snowpack")[0].id());
  }

  @Test
  public void theSameWhateverOrderThePoolArrivesIn() {
    List<String> keys = new ArrayList<>(POOL.keySet());
    Collections.shuffle(keys, new Random(7));
    Map<String, String> shuffled = new LinkedHashMap<>();
    keys.forEach(k -> shuffled.put(k, POOL.get(k)));
    for (String role : List.of("r1", "r2", "r3", "r4")) {
      Scored[] a =
          new Bm25Index(POOL)
              .bestAndWorst(role, "a marine biologist who dives to study coral reefs");
      Scored[] b =
          new Bm25Index(shuffled)
              .bestAndWorst(role, "a marine biologist who dives to study coral reefs");
      assertEquals("reef", a[0].id());
      assertEquals(a[1].id(), b[1].id());
      assertEquals(a[0].score(), b[0].score(), 1e-9);
    }
  }

  @Test
  public void queryOperatorsInTheRolesTextAreJustWords() {
    Scored[] m =
        new Bm25Index(POOL)
            .bestAndWorst("r1", "AND OR NOT ( ) \" * ? : ~ ^ bread -sourdough +starter {{x}} \\");
    assertEquals("bread", m[0].id());
  }

  @Test
  public void aRoleThatMatchesNothingStillGetsTwoDifferentItems() {
    Scored[] m = new Bm25Index(POOL).bestAndWorst("r1", "zzz qqq");
    assertNotEquals(m[0].id(), m[1].id());
  }
}
