package dev.rolesynth.llm;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/**
 * One client per configuration per JVM: kept from one stage to the next, closed (and its threads
 * ended) once nobody has used it for a while, so that a finished job on a session cluster's
 * TaskManager does not keep its class loader, and everything that loader holds, alive.
 */
public class LlmClientsTest {
  private static void waitUntilClosed(LlmConfig config) throws InterruptedException {
    for (int i = 0; i < 600 && LlmClients.open(config); i++) {
      Thread.sleep(50);
    }
  }

  @Test
  public void anIdleClientClosesAndEndsItsThreadsWhileOneReusedInTimeIsKept() throws Exception {
    long before = LlmClients.idleCloseMillis(300);
    try {
      LlmConfig config =
          LlmConfig.builder("http://127.0.0.1:9/v1", "idle-test").maxConcurrentRequests(2).build();
      LlmClient first = LlmClients.shared(config);
      first.submit(
          new ChatRequest("s", List.of(ChatMessage.user("hi")), 0, 5, 1, null), AnswerCheck.NONE);
      LlmClients.release(config);
      // The next stage takes it at once: the same client, with what it learnt.
      LlmClient second = LlmClients.shared(config);
      assertSame(first, second);
      Thread.sleep(600); // in use, so never closed however long it takes
      assertTrue(LlmClients.open(config));
      LlmClients.release(config);

      waitUntilClosed(config);
      assertFalse("closed once idle", LlmClients.open(config));
      for (int i = 0; i < 200 && !first.closed(); i++) {
        Thread.sleep(50);
      }
      assertTrue("its call threads ended", first.closed());

      LlmClient third = LlmClients.shared(config);
      assertNotSame("a new client after the close", first, third);
      LlmClients.release(config);
      waitUntilClosed(config);
      assertFalse(LlmClients.open(config));
    } finally {
      LlmClients.idleCloseMillis(before);
    }
  }
}
