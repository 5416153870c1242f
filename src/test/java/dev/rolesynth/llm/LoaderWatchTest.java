package dev.rolesynth.llm;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LoaderWatchTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aJobsLoaderCountsAsClosedOnceClosedAndTheApplicationLoaderNever() throws Exception {
    Path root = tmp.getRoot().toPath();
    Files.createDirectories(root.resolve("dev/x"));
    Files.write(root.resolve("dev/x/Probe.class"), new byte[] {1});
    URLClassLoader job = new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    assertFalse(LoaderWatch.closed(job, "dev/x/Probe.class"));
    job.close(); // what a TaskManager does when the job leaves it
    assertTrue(LoaderWatch.closed(job, "dev/x/Probe.class"));
    assertFalse(LoaderWatch.closed(getClass().getClassLoader(), "dev/rolesynth/llm/LoaderWatch.class"));
  }

  @Test
  public void closingAllEndsEveryClientWhateverItsUsers() {
    LlmConfig config = LlmConfig.builder("http://127.0.0.1:9/v1", "close-all-test").build();
    LlmClient client = LlmClients.shared(config);
    LlmClients.shared(config); // two users, neither released: a failed job's DoFns
    LlmClients.closeAll();
    assertFalse(LlmClients.open(config));
    assertTrue(client != LlmClients.shared(config));
    LlmClients.release(config);
  }
}
