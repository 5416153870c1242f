package dev.rolesynth.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.Assert.assertEquals;

import dev.rolesynth.avro.ChatTurn;
import dev.rolesynth.pipeline.RolePipeline.Dataset;
import dev.rolesynth.pipeline.RolePipeline.Renderings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every dataset and rendering goes through one file write: the same files a write per kind gave, an
 * empty one (an Avro header with the schema) where a dataset has no records.
 */
public class WriteOutputsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static final Renderings<ChatTurn> TURNS =
      Renderings.of(ChatTurn.class)
          .with("plain", t -> t.getRole() + ": " + t.getContent())
          .with("upper", t -> t.getContent().toString().toUpperCase());

  @Test
  public void writesEachDatasetAndRenderingAndAnEmptyFileForAnEmptyOne() throws IOException {
    var said =
        p.apply(
                "Said",
                Create.of(new ChatTurn("user", "hello"), new ChatTurn("assistant", "hi there")))
            .setCoder(AvroRecordCoder.of(ChatTurn.class));
    var none = p.apply("None", Create.empty(AvroRecordCoder.of(ChatTurn.class)));
    Path out = tmp.newFolder("out").toPath();
    WriteOutputs.writeDatasets(
        List.of(new Dataset<>("said", said, TURNS), new Dataset<>("none", none, TURNS)),
        out.toString(),
        true);
    p.run().waitUntilFinish();

    assertThat(avro(out, "said"), containsInAnyOrder("user:hello", "assistant:hi there"));
    assertThat(
        lines(out, "said.plain.simulated"),
        containsInAnyOrder("user: hello", "assistant: hi there"));
    assertThat(lines(out, "said.upper.simulated"), containsInAnyOrder("HELLO", "HI THERE"));
    assertEquals(List.of(), avro(out, "none"));
    assertEquals(List.of(), lines(out, "none.plain.simulated"));
    assertEquals(List.of(), lines(out, "none.upper.simulated"));
    try (DataFileReader<GenericRecord> r =
        new DataFileReader<>(
            out.resolve("none-00000-of-00001.avro").toFile(), new GenericDatumReader<>())) {
      assertEquals(ChatTurn.getClassSchema(), r.getSchema());
    }
  }

  /** The records of {@code <stem>-*.avro}, as role:content; fails when there is no such file. */
  private static List<String> avro(Path dir, String stem) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : files(dir, stem, ".avro")) {
      try (DataFileReader<GenericRecord> r =
          new DataFileReader<>(f.toFile(), new GenericDatumReader<>())) {
        r.forEach(g -> out.add(g.get("role") + ":" + g.get("content")));
      }
    }
    return out;
  }

  private static List<String> lines(Path dir, String stem) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : files(dir, stem, ".jsonl")) {
      out.addAll(Files.readAllLines(f));
    }
    return out;
  }

  private static List<Path> files(Path dir, String stem, String ext) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> found =
          s.filter(
                  f ->
                      f.getFileName()
                          .toString()
                          .matches(stem.replace(".", "\\.") + "-\\d{5}-of-\\d{5}\\" + ext))
              .toList();
      assertThat(
          stem + ext + " files in " + dir, found.size(), org.hamcrest.Matchers.greaterThan(0));
      return found;
    }
  }
}
