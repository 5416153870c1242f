package dev.rolesynth.orca;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.Test;

public class BigFiveTest {
  static List<Integer> bits(int... ones) {
    List<Integer> b = new ArrayList<>(Collections.nCopies(30, 0));
    for (int i : ones) {
      b.set(i, 1);
    }
    return b;
  }

  @Test
  public void thirtyBitsBecomeThirtyFiveValuesPerTraitSumThenSubScores() {
    // Chunk 1: all six Openness facets and the first Neuroticism facet; chunk 2: two Openness
    // facets.
    List<Double> v = BigFive.aggregate(List.of(bits(0, 1, 2, 3, 4, 5, 24), bits(0, 1)));
    assertEquals(35, v.size());
    assertEquals(List.of(4.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5), v.subList(0, 7));
    assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), v.subList(7, 14));
    assertEquals(List.of(0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0), v.subList(28, 35));
    assertEquals(4.0, BigFive.traitSums(v).get("Openness"), 0);
    assertEquals(0.5, BigFive.traitSums(v).get("Neuroticism"), 0);
  }

  @Test
  public void aChunkMissingATraitCountsAsZerosButStillCountsInTheAverage() {
    List<Integer> missing = bits(6, 7, 8, 9, 10, 11); // all of Conscientiousness
    for (int i = 0; i < 6; i++) {
      missing.set(i, null); // no Openness answer at all
    }
    List<Double> v = BigFive.aggregate(List.of(bits(0, 1, 2), missing));
    assertEquals(1.5, v.get(0), 0); // (3 + 0) / 2, not 3 / 1
    assertEquals(3.0, v.get(7), 0); // (0 + 6) / 2
    assertEquals(Arrays.asList(0.5, 0.5, 0.5, 0.0, 0.0, 0.0), v.subList(1, 7));
  }

  @Test(expected = IllegalArgumentException.class)
  public void noChunksNoVector() {
    BigFive.aggregate(List.of());
  }
}
