package dev.rolesynth.sim;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves the simulator on 127.0.0.1 until interrupted: a stand-in endpoint for trying rolesynth out. */
@Command(name = "sim-server", mixinStandardHelpOptions = true,
    description = "Serve rolesynth's simulated LLM as an OpenAI-compatible endpoint on 127.0.0.1.")
public final class SimServerMain implements Callable<Integer> {
  @Option(names = "--port", description = "Port on 127.0.0.1 (0 = any free port; default ${DEFAULT-VALUE})")
  int port = 8000;

  @Option(names = "--latency-ms", description = "Added latency per answer (default ${DEFAULT-VALUE})")
  long latencyMs = 0;

  @Option(names = "--rpm", description = "Requests per minute before answering 429 (0 = no limit; default ${DEFAULT-VALUE})")
  double rpm = 0;

  @Override
  public Integer call() throws Exception {
    SimServer server = new SimServer(port, latencyMs, rpm);
    System.out.println("sim-server: serving " + server.baseUrl() + " (latency " + latencyMs + " ms, limit "
        + (rpm > 0 ? rpm + " requests/min" : "none") + "); Ctrl-C stops it");
    new CountDownLatch(1).await();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimServerMain()).execute(args));
  }
}
