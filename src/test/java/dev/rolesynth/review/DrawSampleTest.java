package dev.rolesynth.review;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/**
 * The sample as a second reviewer would draw it: same seed, any order and partitioning, same
 * records.
 */
public class DrawSampleTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /**
   * 300 Orca-like records in three strata of 200, 90 and 10, plus 7 dead letters of two reasons.
   */
  static List<String> records() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      boolean reply = i < 200;
      boolean knowledge = i >= 290;
      out.add(
          "{\"dataset\":\"pcip\",\"schema\":\"PcipRecord\",\"record\":{\"id\":\"p"
              + i
              + "\",\"isReply\":"
              + reply
              + ",\"knowledgeRelated\":"
              + knowledge
              + "}}");
    }
    for (int i = 0; i < 7; i++) {
      out.add(
          ReadRunRecords.fromDeadLetter(
              "{\"id\":\"d"
                  + i
                  + "\",\"stage\":\"answer\",\"callId\":\"c"
                  + i
                  + "\",\"reason\":\""
                  + (i < 5 ? "invalid_answer" : "http_500")
                  + "\"}"));
    }
    return out;
  }

  /** Draws in plain Java what the transform must give: the k smallest hashes per stratum. */
  static Set<String> expected(SampleSpec spec, List<String> lines) {
    Map<String, List<String[]>> byStratum = new TreeMap<>();
    for (String l : lines) {
      var n = DrawSample.parse(l);
      String ds = n.path("dataset").asText();
      String id = DrawSample.id(ds, n.path("record"));
      String key =
          spec.perStratum()
              ? ds + "\t" + spec.stratum(ds, n.path("schema").asText(), n.path("record"))
              : "all";
      byStratum
          .computeIfAbsent(key, k -> new ArrayList<>())
          .add(new String[] {Long.toUnsignedString(spec.hash(ds, id)), ds + "/" + id});
    }
    Set<String> out = new TreeSet<>();
    byStratum
        .values()
        .forEach(
            v -> {
              v.sort(
                  (a, b) ->
                      Long.compareUnsigned(
                          Long.parseUnsignedLong(a[0]), Long.parseUnsignedLong(b[0])));
              v.stream().limit(spec.size()).forEach(x -> out.add(x[1]));
            });
    return out;
  }

  private PCollection<String> drawn(SampleSpec spec, List<String> lines, String name) {
    return p.apply("Create " + name, Create.of(lines))
        .apply("Reshuffle " + name, Reshuffle.viaRandomKey())
        .apply("Draw " + name, new DrawSample(spec))
        .apply(
            "Key " + name,
            MapElements.into(TypeDescriptors.strings())
                .via(
                    l -> {
                      var n = DrawSample.parse(l);
                      return n.path("dataset").asText() + "/" + n.path("id").asText();
                    }));
  }

  @Test
  public void theSampleIsTheSmallestHashesPerStratumWhateverTheOrder() {
    List<String> lines = records();
    SampleSpec spec = new SampleSpec(42, 20, true, List.of());
    Set<String> want = expected(spec, lines);
    // 20 from each of the two big strata, all 10 of the small one, all 5 + 2 dead letters.
    assertEquals(20 + 20 + 10 + 5 + 2, want.size());
    List<String> shuffled = new ArrayList<>(lines);
    Collections.shuffle(shuffled, new Random(3));
    PAssert.that(drawn(spec, lines, "in order")).containsInAnyOrder(want);
    PAssert.that(drawn(spec, shuffled, "shuffled")).containsInAnyOrder(want);
    SampleSpec otherSeed = new SampleSpec(43, 20, true, List.of());
    assertNotEquals("another seed, another sample", want, expected(otherSeed, lines));
    PAssert.that(drawn(otherSeed, lines, "other seed"))
        .containsInAnyOrder(expected(otherSeed, lines));
    SampleSpec total = new SampleSpec(42, 30, false, List.of());
    Set<String> wantTotal = expected(total, lines);
    assertEquals(30, wantTotal.size());
    PAssert.that(drawn(total, lines, "total")).containsInAnyOrder(wantTotal);
    p.run().waitUntilFinish();
  }

  @Test
  public void expectedSamplesFollowTheStrataSizes() {
    SampleSpec spec = new SampleSpec(1, 50, true, List.of());
    Set<String> s = expected(spec, records());
    Map<Boolean, Long> deadOrNot =
        s.stream()
            .collect(Collectors.partitioningBy(x -> x.startsWith("dead"), Collectors.counting()));
    assertEquals(Long.valueOf(7), deadOrNot.get(true));
    assertEquals(Long.valueOf(50 + 50 + 10), deadOrNot.get(false));
    assertTrue(s.contains("pcip/p299"));
  }
}
