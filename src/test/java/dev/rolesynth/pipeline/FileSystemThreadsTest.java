package dev.rolesynth.pipeline;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class FileSystemThreadsTest {
  @SuppressWarnings("unchecked")
  private static ExecutorService s3Executor() throws Exception {
    Field registry = FileSystems.class.getDeclaredField("SCHEME_TO_FILESYSTEM");
    registry.setAccessible(true);
    FileSystem<?> s3 =
        ((AtomicReference<Map<String, FileSystem<?>>>) registry.get(null)).get().get("s3");
    Field executor = s3.getClass().getDeclaredField("executorService");
    executor.setAccessible(true);
    return (ExecutorService) executor.get(s3);
  }

  @Test
  public void theS3FilesystemsThreadPoolIsShutDownWhenTheJobIsGone() throws Exception {
    try {
      FileSystems.setDefaultPipelineOptions(
          PipelineOptionsFactory.fromArgs("--awsRegion=us-east-1").create());
      ExecutorService pool = s3Executor();
      pool.submit(() -> {}).get(); // a thread exists, as after the first S3 call
      assertFalse(pool.isShutdown());
      FileSystemThreads.STOP.run();
      assertTrue("Beam's S3 pool shut down", pool.isShutdown());
    } finally {
      // Fresh filesystems for whatever runs next in this JVM.
      FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    }
  }
}
