package dev.rolesynth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.avro.PcipRecord;
import dev.rolesynth.avro.Provenance;
import dev.rolesynth.pipeline.JqForm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What a jq form costs against the same shape built in Java: Orca's Alpaca form (a nested object of
 * ten fields) rendered for the same records both ways, alternating, in one JVM. Reports records per
 * second of each, their median over the repetitions and the ratio.
 */
@CommandLine.Command(name = "form-bench", mixinStandardHelpOptions = true)
public final class FormBench implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--records", description = "Records rendered a repetition (${DEFAULT-VALUE})")
  int records = 200_000;

  @Option(names = "--repetitions", description = "Repetitions of each (${DEFAULT-VALUE})")
  int repetitions = 7;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FormBench()).execute(args));
  }

  @Override
  public Integer call() {
    List<PcipRecord> rs = new ArrayList<>();
    Provenance p =
        new Provenance("orca", "1", "m", "sim", true, Map.of(), 1L, "r", "f", 1L, 1, List.of());
    for (int i = 0; i < records; i++) {
      rs.add(
          new PcipRecord(
              "u" + i + "/p1",
              "u" + i,
              "p1",
              "pcip",
              "train",
              i % 5 == 0,
              true,
              i % 2 == 0,
              false,
              false,
              List.of(3.5, 2.0, 4.25),
              "Write a post as the persona would, about the morning commute. " + i,
              "Thinking about the morning commute again today. #" + i,
              "I felt tired.",
              p));
    }
    JqForm jq = JqForm.of("orca", "alpaca.jq");
    if (!jq.apply(rs.get(0)).equals(java(rs.get(0)))) {
      throw new IllegalStateException("the two forms differ:\n" + jq.apply(rs.get(0)));
    }
    double[] jqRates = new double[repetitions];
    double[] javaRates = new double[repetitions];
    for (int r = 0; r < repetitions; r++) {
      jqRates[r] = rate(rs, jq::apply);
      javaRates[r] = rate(rs, FormBench::java);
      System.out.printf(
          "repetition %d: jq %.0f records/s, Java %.0f records/s%n",
          r + 1, jqRates[r], javaRates[r]);
    }
    double jqMedian = median(jqRates);
    double javaMedian = median(javaRates);
    System.out.printf(
        "median: jq %.0f records/s, Java %.0f records/s, jq/Java %.2f%n",
        jqMedian, javaMedian, jqMedian / javaMedian);
    return 0;
  }

  private static double rate(List<PcipRecord> rs, Function<PcipRecord, String> f) {
    long start = System.nanoTime();
    long chars = 0;
    for (PcipRecord r : rs) {
      chars += f.apply(r).length();
    }
    double s = (System.nanoTime() - start) / 1e9;
    return chars > 0 ? rs.size() / s : 0;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** The form as Orca built it in Java before it was a jq filter. */
  static String java(PcipRecord r) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode meta = o.putObject("meta_data");
    meta.put("id", r.getId())
        .put("user", r.getUserId())
        .put("is_reply", r.getIsReply())
        .put("profile_related", r.getProfileRelated())
        .put("personality_related", r.getPersonalityRelated())
        .put("knowledge_related", r.getKnowledgeRelated())
        .put("split", r.getSplit())
        .put("variant", r.getVariant());
    var score = meta.putArray("score");
    r.getScore().forEach(score::add);
    o.put("instruction", r.getInstruction()).put("input", "").put("output", r.getOutput());
    return o.toString();
  }
}
