package dev.rolesynth.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.Test;

public class DrawsTest {
  @Test
  public void theSameSeedAndSubjectDrawTheSameWhateverTheOrder() {
    List<Integer> first =
        IntStream.range(0, 50).map(i -> Draws.index(7, 42, "role-" + i, "rule")).boxed().toList();
    List<Integer> reversed = new ArrayList<>();
    for (int i = 49; i >= 0; i--) {
      reversed.add(0, Draws.index(7, 42, "role-" + i, "rule"));
    }
    assertEquals(first, reversed);
    assertTrue(first.stream().allMatch(i -> i >= 0 && i < 7));
    assertEquals("all seven are drawn over fifty subjects", 7, new HashSet<>(first).size());
    assertNotEquals(
        "another run seed draws otherwise",
        first,
        IntStream.range(0, 50).map(i -> Draws.index(7, 43, "role-" + i, "rule")).boxed().toList());
  }

  @Test
  public void pickCoinAndShuffleAreTheIndexDrawsOfTheirSubject() {
    List<String> options = List.of("a", "b", "c");
    assertEquals(options.get(Draws.index(3, 5, "x")), Draws.pick(options, 5, "x"));
    assertEquals(Draws.index(2, 5, "x") == 0, Draws.coin(5, "x"));
    List<Integer> one = new ArrayList<>(IntStream.range(0, 20).boxed().toList());
    List<Integer> two = new ArrayList<>(one);
    Draws.shuffle(one, 9, "turn-order", "card-1");
    Draws.shuffle(two, 9, "turn-order", "card-1");
    assertEquals(one, two);
    assertEquals(Set.copyOf(IntStream.range(0, 20).boxed().toList()), Set.copyOf(one));
    assertNotEquals(IntStream.range(0, 20).boxed().toList(), one);
  }

  @Test
  public void drawingFromNothingIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Draws.pick(List.of(), 1, "x"));
  }

  @Test
  public void aWeightedDrawFollowsTheWeightsAndNeverTheZeroOnes() {
    Map<String, Integer> w = new LinkedHashMap<>();
    w.put("often", 9);
    w.put("never", 0);
    w.put("rarely", 1);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      seen.merge(Draws.weighted(w, 42, "x", Integer.toString(i)), 1, Integer::sum);
    }
    assertEquals(null, seen.get("never"));
    assertTrue(seen.toString(), seen.get("often") > 1650 && seen.get("often") < 1950);
    assertEquals(
        "the index draw of the same subject, walked through the weights",
        Draws.index(10, 42, "y") < 9 ? "often" : "rarely",
        Draws.weighted(w, 42, "y"));
  }
}
