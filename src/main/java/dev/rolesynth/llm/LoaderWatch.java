package dev.rolesynth.llm;

import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Notices when the class loader rolesynth was loaded by has been closed: on a Flink TaskManager
 * each job gets its own loader, closed when the job leaves the TaskManager, however it ended. A job
 * that failed or was cancelled may never tear its DoFns down, so its clients would never be
 * released; their threads would then keep the loader, and everything it loaded, alive for good.
 */
public final class LoaderWatch {
  private static final String SELF = LoaderWatch.class.getName().replace('.', '/') + ".class";
  private static final List<Runnable> HOOKS = new CopyOnWriteArrayList<>();
  private static Thread watcher;

  private LoaderWatch() {}

  /**
   * True once {@code loader} is a closed URL class loader (it no longer finds its own classes'
   * files).
   */
  static boolean closed(ClassLoader loader, String resource) {
    return loader instanceof URLClassLoader && loader.getResource(resource) == null;
  }

  /**
   * Runs {@code hook} once this class's loader is closed (each hook once, however often it is
   * given); only where that can happen, a job's own loader.
   */
  public static synchronized void whenClosed(Runnable hook) {
    if (!HOOKS.contains(hook)) {
      HOOKS.add(hook);
    }
    ClassLoader loader = LoaderWatch.class.getClassLoader();
    if (watcher != null || !(loader instanceof URLClassLoader) || closed(loader, SELF)) {
      return;
    }
    watcher =
        new Thread(
            () -> {
              try {
                while (!closed(loader, SELF)) {
                  Thread.sleep(5_000);
                }
                for (Runnable h : HOOKS) {
                  try {
                    h.run();
                  } catch (RuntimeException | LinkageError e) {
                    // The next hook still runs: each frees what it can. A class a hook needs that
                    // was never
                    // loaded cannot be loaded now that the loader is closed (NoClassDefFoundError).
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "rolesynth-loader-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
