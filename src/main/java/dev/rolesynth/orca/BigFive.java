package dev.rolesynth.orca;

import dev.rolesynth.prompt.MethodData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 30 binary sub-dimensions Orca scores (six facets per Big Five trait) and the per-user
 * 35-value vector: for each trait in order, the 0-6 sum, then its six sub-scores.
 */
public final class BigFive {
  /** Six facets per trait, in the authors' order (data.yaml). */
  public static final Map<String, List<String>> FACETS =
      MethodData.of(OrcaSettings.PIPELINE).lists("facets");

  public static final List<String> TRAITS = List.copyOf(FACETS.keySet());
  public static final int VECTOR_SIZE = 35;

  private BigFive() {}

  /**
   * Averages chunks of 30 bits into the 35-value vector. As in the authors' post-processing, a
   * chunk that lacks a trait (null bits) counts as zeros for it but still counts in the average.
   */
  public static List<Double> aggregate(List<List<Integer>> chunks) {
    double[] v = new double[VECTOR_SIZE];
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("no scored chunk to aggregate");
    }
    for (List<Integer> bits : chunks) {
      for (int t = 0; t < 5; t++) {
        int sum = 0;
        for (int f = 0; f < 6; f++) {
          Integer b = bits.get(t * 6 + f);
          int x = b == null ? 0 : b;
          sum += x;
          v[t * 7 + 1 + f] += x;
        }
        v[t * 7] += sum;
      }
    }
    List<Double> out = new ArrayList<>();
    for (double x : v) {
      out.add(Math.round(x / chunks.size() * 1000) / 1000.0);
    }
    return out;
  }

  /** The 0-6 trait sums of a vector, by trait name. */
  public static Map<String, Double> traitSums(List<Double> vector) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int t = 0; t < 5; t++) {
      out.put(TRAITS.get(t), vector.get(t * 7));
    }
    return out;
  }
}
