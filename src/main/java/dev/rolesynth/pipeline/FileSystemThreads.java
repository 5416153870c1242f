package dev.rolesynth.pipeline;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystems;

/**
 * Stops what Beam's filesystems leave running once a job has left a TaskManager: the S3 filesystem
 * keeps a pool of up to 50 threads and an HTTP client whose idle-connection reaper is a thread too,
 * and nothing in Beam ever closes them. Those threads would keep the finished job's class loader,
 * and with it every class the job loaded, alive: after a few jobs a session cluster's TaskManager
 * runs out of metaspace. Beam has no API for this, so the fields are found by their types.
 */
public final class FileSystemThreads {
  /** The one hook, so that registering it from every DoFn adds it once. */
  public static final Runnable STOP = FileSystemThreads::stop;

  private FileSystemThreads() {}

  @SuppressWarnings("unchecked")
  static void stop() {
    try {
      Field registry = FileSystems.class.getDeclaredField("SCHEME_TO_FILESYSTEM");
      registry.setAccessible(true);
      Map<String, FileSystem<?>> schemes =
          ((AtomicReference<Map<String, FileSystem<?>>>) registry.get(null)).get();
      List<Object> held = new ArrayList<>();
      for (FileSystem<?> fs : schemes.values()) {
        for (Field f : fs.getClass().getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers())) {
            f.setAccessible(true);
            held.add(f.get(fs));
          }
        }
      }
      // Thread pools first: shutting one down needs no class that may not have been loaded yet.
      // Plain
      // loops, not lambdas: a lambda's class would be made now, in a loader that is closed.
      for (Object v : held) {
        if (v instanceof ExecutorService) {
          release(v);
        }
      }
      for (Object v : held) {
        if (!(v instanceof ExecutorService)) {
          release(v);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Beam changed its internals: nothing to free this way, and nothing the job needs any more
    }
  }

  /** Shuts down an executor, closes a client, or one a supplier memoizes (Beam's S3 client). */
  static void release(Object value) {
    try {
      if (value instanceof ExecutorService e) {
        e.shutdownNow();
      } else if (value instanceof AutoCloseable c) {
        c.close();
      } else if (value instanceof Supplier<?> s && s.get() instanceof AutoCloseable c) {
        c.close(); // a client not built yet is built here only to be closed: no request is made
      }
    } catch (Exception | LinkageError e) {
      // one field that cannot be freed does not keep the others (nor a class the closed loader
      // cannot load)
    }
  }
}
