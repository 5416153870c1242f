package dev.rolesynth.rolemrc;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import dev.rolesynth.pool.Origin;
import dev.rolesynth.rolemrc.RoleMrc.Match;
import dev.rolesynth.rolemrc.RoleMrc.MrcItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class PassageIndexTest {
  private static MrcItem item(String id, String query, String passage) {
    return new MrcItem(id, query, List.of(passage), "an answer", new Origin("p.jsonl", 1), List.of());
  }

  private static final List<MrcItem> POOL = List.of(
      item("bread", "why does sourdough need a starter", "Bakers keep a sourdough starter of wild yeast to raise bread."),
      item("reef", "what causes coral bleaching", "Warm water makes corals expel their algae; reefs turn white."),
      item("snow", "how do avalanches start", "A weak snowpack layer collapses under new snow on steep slopes."),
      item("tax", "how is income tax calculated", "The tax rate applies to revenue minus deductions."),
      item("light", "what is the speed of light", "Light travels about 300,000 kilometres per second."));

  @Test
  public void theMostRelevantItemSharesTheRolesKnowledgeAndTheLeastSharesNothing() {
    Match[] m = new PassageIndex(POOL).match("r1", "A baker who bakes rye bread and keeps sourdough starters alive");
    assertEquals("bread", m[0].item().id());
    assertTrue(m[0].score() > 0);
    assertEquals(0.0, m[1].score(), 0);
    assertNotEquals("bread", m[1].item().id());
    // Stemmed: "avalanche" finds "avalanches", "slope" finds "slopes".
    assertEquals("snow", new PassageIndex(POOL).match("r2", "avalanche instructor reading slope and snowpack")[0].item().id());
  }

  @Test
  public void theSameWhateverOrderThePoolArrivesIn() {
    List<MrcItem> shuffled = new ArrayList<>(POOL);
    Collections.shuffle(shuffled, new Random(7));
    for (String role : List.of("r1", "r2", "r3", "r4")) {
      Match[] a = new PassageIndex(POOL).match(role, "a marine biologist who dives to study coral reefs");
      Match[] b = new PassageIndex(shuffled).match(role, "a marine biologist who dives to study coral reefs");
      assertEquals("reef", a[0].item().id());
      assertEquals(a[1].item().id(), b[1].item().id());
      assertEquals(a[0].score(), b[0].score(), 1e-9);
    }
  }

  @Test
  public void queryOperatorsInTheRolesTextAreJustWords() {
    Match[] m = new PassageIndex(POOL).match("r1", "AND OR NOT ( ) \" * ? : ~ ^ bread -sourdough +starter {{x}} \\");
    assertEquals("bread", m[0].item().id());
  }

  @Test
  public void aRoleThatMatchesNothingStillGetsTwoDifferentItems() {
    Match[] m = new PassageIndex(POOL).match("r1", "zzz qqq");
    assertNotEquals(m[0].item().id(), m[1].item().id());
  }
}
