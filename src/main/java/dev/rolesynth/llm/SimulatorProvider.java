package dev.rolesynth.llm;

import java.util.ServiceLoader;

/**
 * Where {@code --llmEndpoint=sim} gets its backend: the built-in simulator registers itself (a
 * service, registered with {@code @AutoService}), so that the client knows no simulator and a test
 * or a user can bring another one.
 */
public interface SimulatorProvider {
  LlmBackend create();

  /** The registered simulator; exactly one must be on the class path. */
  static LlmBackend load() {
    var found =
        ServiceLoader.load(SimulatorProvider.class, SimulatorProvider.class.getClassLoader())
            .stream()
            .toList();
    if (found.size() != 1) {
      throw new IllegalStateException(
          "--llmEndpoint=sim needs exactly one simulator on the class path, found " + found.size());
    }
    return found.get(0).get().create();
  }
}
