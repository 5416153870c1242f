package dev.rolesynth.llm;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The budget service lets in only the job's workers and acts only on sane requests: the requests a
 * user tried against it, each with its fixed answer, then the secret, then garbage.
 */
public class RateLimitServiceSecurityTest {
  private static final String TOKEN = RateLimitServiceTest.TOKEN;
  private final OkHttpClient http = new OkHttpClient();
  private RateLimitService service;
  private String base;

  record Answer(int code, String body) {}

  @Before
  public void start() throws Exception {
    service = new RateLimitService("127.0.0.1", 0, new FakeClock(), TOKEN);
    base = service.url("127.0.0.1");
  }

  @After
  public void stop() {
    service.close();
  }

  private Answer call(String method, String path, String token) throws IOException {
    Request.Builder b = new Request.Builder().url(base + path);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(
        method,
        method.equals("POST")
            ? RequestBody.create(new byte[0], MediaType.get("text/plain"))
            : null);
    try (Response r = http.newCall(b.build()).execute()) {
      return new Answer(r.code(), r.body().string());
    }
  }

  private Answer post(String path) throws IOException {
    return call("POST", path, TOKEN);
  }

  private String stats() throws IOException {
    return call("GET", "/stats", TOKEN).body();
  }

  private static void refused(Answer a, String reason) {
    assertEquals(a.body(), 400, a.code());
    assertThat(a.body(), containsString(reason));
    assertEquals("one line", 1, a.body().strip().lines().count());
  }

  @Test
  public void aNanRateIsRefusedAndNoBudgetIsCreated() throws Exception {
    refused(post("/reserve?budget=x&perMinute=NaN&permits=1"), "perMinute must be finite");
    assertFalse(stats().contains("x granted"));
  }

  @Test
  public void aReservationOfMoreThanAMinuteIsRefusedAndTheNextWorkerIsNotStalled()
      throws Exception {
    assertEquals(200, post("/reserve?budget=y&perMinute=60&permits=1").code());
    refused(
        post("/reserve?budget=y&perMinute=60&permits=999999999"), "permits must be from 0 to 60");
    assertThat(stats(), containsString("y granted=1"));
    // The next real worker waits one interval (1 s at 60/min), not years.
    assertEquals(
        String.valueOf(1_000_000_000L),
        post("/reserve?budget=y&perMinute=60&permits=1").body().strip());
  }

  @Test
  public void anAbsurdRateIsRefused() throws Exception {
    refused(
        post("/reserve?budget=z&perMinute=1e308&permits=1"),
        "perMinute must be more than 0 and at most 1000000000");
    refused(post("/reserve?budget=z&perMinute=-5&permits=1"), "perMinute must be more than 0");
    assertFalse(stats().contains("z granted"));
  }

  @Test
  public void aMalformedNumberIsAnsweredNotDropped() throws Exception {
    refused(post("/reserve?budget=q&perMinute=abc&permits=1"), "perMinute must be a number");
    refused(post("/reserve?budget=q&perMinute=60&permits=1.5"), "permits must be a whole number");
    refused(
        post("/reserve?budget=fresh&perMinute=60&permits=999999999"),
        "permits must be from 0 to 60");
    assertThat(
        "a refused request creates no budget",
        stats(),
        org.hamcrest.Matchers.not(containsString("fresh")));
    assertThat(stats(), org.hamcrest.Matchers.not(containsString("q granted")));
    assertEquals(
        "a request line the JDK server cannot parse is still answered",
        400,
        post("/reserve?budget=q&perMinute=60&permits=1&budget=%zz").code());
    refused(
        post("/reserve?budget=" + "n".repeat(65) + "&perMinute=60&permits=1"),
        "budget must be 1 to 64");
  }

  @Test
  public void anAbsurdRefundIsAnsweredAndChangesNothing() throws Exception {
    assertEquals(200, post("/reserve?budget=y&perMinute=60&permits=1").code());
    refused(post("/adjust?budget=y&delta=-1e18"), "delta must be a whole number");
    refused(post("/adjust?budget=y&delta=-1000000000000000000"), "delta must be from -60 to 60");
    assertThat(stats(), containsString("y granted=1"));
    assertEquals(404, post("/adjust?budget=nobody&delta=1").code());
    // A worker that learned a limit from the provider's headers corrects a budget nobody reserved
    // from yet.
    assertEquals(204, post("/cap?budget=fresh&permits=-2&perMinute=600").code());
    assertThat(stats(), containsString("fresh granted=0"));
    refused(post("/pause?budget=y&millis=99999999999"), "millis must be from 1 to 3600000");
    refused(post("/cap?budget=y&permits=Infinity"), "permits must be finite");
    refused(post("/rate?budget=y&perMinute=0"), "perMinute must be more than 0");
  }

  @Test
  public void onlyTheJobsSecretGetsIn() throws Exception {
    Answer none = call("POST", "/reserve?budget=s&perMinute=60&permits=1", null);
    assertEquals(401, none.code());
    assertThat(none.body(), containsString("missing or wrong bearer token"));
    assertEquals(
        401,
        call("POST", "/reserve?budget=s&perMinute=60&permits=1", "not-the-secret-at-all").code());
    assertEquals(401, call("POST", "/reserve?budget=s&perMinute=60&permits=1", TOKEN + "x").code());
    assertEquals(401, call("GET", "/stats", "wrong").code());
    assertFalse("a refused request changes nothing", stats().contains("s granted"));
    assertEquals(200, call("POST", "/reserve?budget=s&perMinute=60&permits=1", TOKEN).code());
    assertThat(stats(), containsString("s granted=1"));
    assertEquals(405, call("GET", "/reserve?budget=s&perMinute=60&permits=1", TOKEN).code());
  }

  @Test
  public void itKeepsServingAfterABurstOfGarbage() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), service.port())) {
        OutputStream out = s.getOutputStream();
        byte[] junk = new byte[1 + random.nextInt(2_000)];
        random.nextBytes(junk);
        out.write(
            i % 3 == 0
                ? ("POST /reserve?budget=g&perMinute="
                        + i
                        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)
                : junk);
        out.flush();
      } catch (IOException e) {
        // the service may close a garbage connection at once; that is fine
      }
    }
    assertEquals(200, post("/reserve?budget=g&perMinute=60&permits=1").code());
    assertThat(stats(), containsString("g granted=1"));
  }

  @Test
  public void statsShowOnlyBudgetNames() throws Exception {
    post("/reserve?budget=requests:0123456789abcdef&perMinute=600&permits=3");
    String s = stats();
    assertEquals("requests:0123456789abcdef granted=3", s.strip());
    assertThat(s, not(containsString("http")));
  }

  @Test
  public void theSecretIsNeverPrintedWithTheConfigThatCarriesIt() {
    LlmConfig c =
        LlmConfig.builder("http://127.0.0.1:1/v1", "m")
            .build()
            .withRateLimitService("http://h:1", TOKEN);
    assertEquals(TOKEN, c.rateLimitToken());
    assertThat(c.toString(), not(containsString(TOKEN)));
    assertTrue(c.toString().contains("[REDACTED]"));
  }
}
