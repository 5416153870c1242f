package dev.rolesynth.cli;

import dev.rolesynth.llm.Clock;
import dev.rolesynth.llm.RateLimitService;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Serves rate budgets for jobs that outlive their launcher (detached or scheduled submissions) or that
 * share one provider: point each job at it with {@code --rateLimitService=http://host:port}.
 */
@Command(name = "rate-limit-service", mixinStandardHelpOptions = true,
    description = "Serve shared rate budgets to rolesynth workers (see README, Rate limits).")
public final class RateLimitServiceMain implements Callable<Integer> {
  @Option(names = "--bind", description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 for a cluster on other hosts)")
  String bind = "127.0.0.1";

  @Option(names = "--port", description = "Port (default ${DEFAULT-VALUE})")
  int port = 9555;

  @Override
  public Integer call() throws Exception {
    RateLimitService service = new RateLimitService(bind, port, Clock.SYSTEM);
    System.out.println("rate-limit-service: serving on " + bind + ":" + service.port() + "; budgets are created by the "
        + "jobs that use them (--maxRequestsPerMinute, --maxTokensPerMinute)");
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
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
