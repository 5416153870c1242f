package dev.rolesynth.cli;

import dev.rolesynth.ConfigException;
import dev.rolesynth.llm.Clock;
import dev.rolesynth.llm.RateLimitService;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serves rate budgets for jobs that outlive their launcher (detached or scheduled submissions) or
 * that share one provider: point each job at it with {@code --rateLimitService=http://host:port}.
 * The service and its jobs share a secret, from {@value RateLimitTokens#ENV} or a file; requests
 * without it are refused.
 */
@Command(
    name = "rate-limit-service",
    mixinStandardHelpOptions = true,
    description = "Serve shared rate budgets to rolesynth workers (see docs/rate-limits.md).")
public final class RateLimitServiceMain implements Callable<Integer> {
  @Option(
      names = "--bind",
      description =
          "Address to listen on: the one the TaskManagers reach this machine by "
              + "(default ${DEFAULT-VALUE}, this machine only)")
  String bind = "127.0.0.1";

  @Option(names = "--port", description = "Port (default ${DEFAULT-VALUE})")
  int port = 9555;

  @Option(
      names = "--token-file",
      description =
          "File holding the secret the jobs present (default: the environment "
              + "variable "
              + RateLimitTokens.ENV
              + ")")
  String tokenFile = "";

  @Override
  public Integer call() throws Exception {
    String token;
    try {
      token = RateLimitTokens.given(tokenFile);
    } catch (ConfigException e) {
      System.err.println("rate-limit-service: " + e.getMessage());
      return ExitCodes.CONFIG_ERROR;
    }
    RateLimitService service = new RateLimitService(bind, port, Clock.SYSTEM, token);
    System.out.println(
        "rate-limit-service: serving on "
            + bind
            + ":"
            + service.port()
            + " for jobs that present its "
            + "secret; budgets are created by the jobs that use them");
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.close();
                  forever.countDown();
                }));
    forever.await();
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RateLimitServiceMain()).execute(args));
  }
}
