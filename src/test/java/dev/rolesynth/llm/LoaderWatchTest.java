package dev.rolesynth.llm;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    assertFalse(
        LoaderWatch.closed(getClass().getClassLoader(), "dev/rolesynth/llm/LoaderWatch.class"));
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

  /**
   * A job's own class loader, as a TaskManager gives each job: once it is closed, the job's LLM
   * clients are closed, though no DoFn ever released them (a failed or cancelled job).
   */
  @Test(timeout = 120_000)
  public void closingAJobsLoaderClosesTheClientsItsFailedJobNeverReleased() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    URLClassLoader job =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    Class<?> clients = job.loadClass(LlmClients.class.getName());
    Class<?> configType = job.loadClass(LlmConfig.class.getName());
    Object builder =
        configType
            .getMethod("builder", String.class, String.class)
            .invoke(null, "http://127.0.0.1:9/v1", "job-loader-test");
    Object config = builder.getClass().getMethod("build").invoke(builder);
    java.lang.reflect.Method open = clients.getDeclaredMethod("open", configType);
    open.setAccessible(true);
    Object client = clients.getMethod("shared", configType).invoke(null, config);
    java.lang.reflect.Method closed = client.getClass().getDeclaredMethod("closed");
    closed.setAccessible(true);
    assertTrue((Boolean) open.invoke(null, config));
    job.close(); // the job left the TaskManager; its DoFns were never torn down
    for (int i = 0; i < 400 && (Boolean) open.invoke(null, config); i++) {
      Thread.sleep(50);
    }
    assertFalse("closed by the loader watch", (Boolean) open.invoke(null, config));
    assertTrue("its call threads ended", (Boolean) closed.invoke(client));
  }
}
