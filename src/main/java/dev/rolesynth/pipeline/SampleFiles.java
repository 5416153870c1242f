package dev.rolesynth.pipeline;

import dev.rolesynth.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The shipped samples (pools, source texts) as files: from the checkout when run there, else copied
 * out of the jar (java -jar) into a temporary folder that goes when the JVM does.
 */
public final class SampleFiles {
  private SampleFiles() {}

  /** One sample resource as a file. */
  public static Path file(String resource) {
    Path local = Path.of(resource);
    if (Files.isRegularFile(local)) {
      return local.toAbsolutePath();
    }
    try {
      Path dir = Files.createTempDirectory("rolesynth-sample");
      dir.toFile().deleteOnExit();
      return copy(resource, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the sample " + resource + " out of the jar", e);
    }
  }

  /** Several resources of one folder as files in one folder; returns that folder. */
  public static Path folder(String folder, List<String> names) {
    Path local = Path.of(folder);
    if (names.stream().allMatch(n -> Files.isRegularFile(local.resolve(n)))) {
      return local.toAbsolutePath();
    }
    try {
      Path dir = Files.createTempDirectory("rolesynth-sample");
      dir.toFile().deleteOnExit();
      for (String n : names) {
        copy(folder + "/" + n, dir);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the samples of " + folder + " out of the jar", e);
    }
  }

  private static Path copy(String resource, Path dir) throws IOException {
    Path target = dir.resolve(Path.of(resource).getFileName().toString());
    try (InputStream in = SampleFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigException("the sample " + resource + " is missing from the classpath");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
    target.toFile().deleteOnExit();
    return target;
  }
}
