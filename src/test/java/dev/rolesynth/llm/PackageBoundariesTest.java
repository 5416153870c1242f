package dev.rolesynth.llm;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Test;

/** The LLM plumbing knows neither Beam nor the simulator; the prompt layer knows no Beam either. */
public class PackageBoundariesTest {
  private static List<String> offenders(String pkg, String... forbidden) throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/rolesynth", pkg))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          for (String bad : forbidden) {
            if (line.contains(bad)) {
              out.add(f.getFileName() + ": " + line.strip());
            }
          }
        }
      }
    }
    return out;
  }

  @Test
  public void llmImportsNoBeamAndNoSimulator() throws Exception {
    assertEquals(List.of(), offenders("llm", "org.apache.beam", "dev.rolesynth.sim"));
  }

  @Test
  public void promptsImportNoBeam() throws Exception {
    assertEquals(List.of(), offenders("prompt", "org.apache.beam"));
  }
}
