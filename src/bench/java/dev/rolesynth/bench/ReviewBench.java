package dev.rolesynth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rolesynth.cli.FlinkRelaunch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How fast the review samples a large run, and in how much memory: a finished run is copied {@code
 * --copies} times over (each copy's ids made distinct) into one run of many records, then reviewed
 * by each runner in a fresh JVM with the given heap. Reports records per second of the sampling job
 * and the JVM's peak heap and RSS.
 */
@CommandLine.Command(name = "review-bench", mixinStandardHelpOptions = true)
public final class ReviewBench implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(
      names = "--input",
      required = true,
      description = "A finished run's output folder to scale up")
  Path input;

  @Option(
      names = "--copies",
      description = "How many times over its records are written (default ${DEFAULT-VALUE})")
  int copies = 10;

  @Option(names = "--runners", split = ",", description = "Runners (default ${DEFAULT-VALUE})")
  List<String> runners = List.of("FlinkRunner", "DirectRunner");

  @Option(names = "--repetitions", description = "Runs per runner (default ${DEFAULT-VALUE})")
  int repetitions = 1;

  @Option(names = "--heap", description = "Heap of each review JVM (default ${DEFAULT-VALUE})")
  String heap = "1g";

  public static void main(String[] args) {
    System.exit(new CommandLine(new ReviewBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("rolesynth-review-bench");
    Path run = scale(input, work.resolve("run"), copies);
    ObjectNode report = MAPPER.createObjectNode();
    for (int rep = 0; rep < repetitions; rep++) {
      for (String runner : runners) {
        Path out = work.resolve("review-" + runner + "-" + rep);
        List<String> command =
            FlinkRelaunch.command(
                List.of("-Xmx" + heap),
                "dev.rolesynth.cli.Main",
                List.of(
                    "--pipeline=review",
                    "--runner=" + runner,
                    "--input=" + run,
                    "--output=" + out,
                    "--sample=50"));
        Process p =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(runner + "-" + rep + ".log").toFile())
                .start();
        if (p.waitFor() != 0) {
          throw new IllegalStateException(runner + " review failed; see " + work);
        }
        JsonNode job = MAPPER.readTree(out.resolve("stats.json").toFile()).path("job");
        System.out.printf(
            "%s run %d: %d records in %.1f s = %.0f records/s; peak heap %d MB of %d MB, peak RSS %d MB%n",
            runner,
            rep + 1,
            job.path("records").asLong(),
            job.path("seconds").asDouble(),
            job.path("recordsPerSecond").asDouble(),
            job.at("/resources/peakHeapBytes").asLong() >> 20,
            job.at("/resources/maxHeapBytes").asLong() >> 20,
            job.at("/resources/peakRssBytes").asLong() >> 20);
        ((ArrayNode) report.withArray(runner)).add(job);
      }
    }
    System.out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return 0;
  }

  /**
   * The run's Avro records written {@code copies} times with distinct ids, its dead letters once,
   * and a manifest.
   */
  static Path scale(Path from, Path to, int copies) throws Exception {
    Files.createDirectories(to.resolve("failures"));
    ObjectNode m = (ObjectNode) MAPPER.readTree(from.resolve("_manifest.json").toFile());
    ArrayNode files = m.putArray("files");
    List<Path> avro;
    try (Stream<Path> s = Files.list(from)) {
      avro = s.filter(f -> f.toString().endsWith(".avro")).sorted().toList();
    }
    int shard = 0;
    for (Path f : avro) {
      String dataset = f.getFileName().toString().replaceFirst("-\\d+-of-\\d+\\.avro$", "");
      for (int c = 0; c < copies; c++) {
        String name = String.format("%s-%05d-of-%05d.avro", dataset, shard++, avro.size() * copies);
        try (DataFileReader<GenericRecord> r =
                new DataFileReader<>(f.toFile(), new GenericDatumReader<>());
            DataFileWriter<GenericRecord> w =
                new DataFileWriter<>(new GenericDatumWriter<>(r.getSchema()))) {
          w.create(r.getSchema(), to.resolve(name).toFile());
          for (GenericRecord rec : r) {
            rec.put("id", rec.get("id") + "#" + c);
            w.append(rec);
          }
        }
        files.addObject().put("path", name);
      }
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(from.resolve("failures"))) {
      for (Path f : s.toList()) {
        Files.copy(f, to.resolve("failures").resolve(f.getFileName()));
        names.add("failures/" + f.getFileName());
      }
    }
    names.forEach(n -> files.addObject().put("path", n));
    m.path("datasets").forEach(d -> ((ObjectNode) d).put("avro", d.path("avro").asLong() * copies));
    Files.writeString(to.resolve("_manifest.json"), m.toPrettyString());
    return to;
  }
}
