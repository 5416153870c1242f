package dev.rolesynth.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review page in a real browser: Debian's headless Chromium opens index.html from disk, the
 * charts are drawn, records are accepted and rejected by keyboard, verdicts are exported and read
 * back by the review command. Without a browser the test skips, saying so, except under CI ({@code
 * CI=true}), where a skipped browser test would hide a broken page: there it fails.
 */
public class ReviewPageBrowserTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static ChromeDriver browser;
  private static Path downloads;

  static String firstExisting(String env, String... paths) {
    String given = System.getenv(env);
    if (given != null && !given.isBlank()) {
      return given;
    }
    for (String p : paths) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }

  @BeforeClass
  public static void startBrowser() throws Exception {
    String chromium =
        firstExisting(
            "CHROME_BIN",
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome");
    String driver =
        firstExisting("CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    if (chromium == null || driver == null) {
      String why =
          "no headless browser here (Debian: apt-get install chromium chromium-driver; or set CHROME_BIN and "
              + "CHROMEDRIVER): the review page's browser test is skipped";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why + ", and under CI that is a failure");
      }
      System.err.println(why);
      Assume.assumeTrue(why, false);
    }
    downloads = TMP.newFolder("downloads").toPath();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
        "--user-data-dir=" + TMP.newFolder("profile"));
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            downloads.toString(),
            "download.prompt_for_download",
            false));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(driver))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterClass
  public static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  public void chartsAreDrawnAndKeyboardVerdictsExportAndReadBack() throws Exception {
    Path run = ReviewEndToEndTest.finishedRun(TMP.newFolder("run").toPath());
    Path reviewDir = TMP.getRoot().toPath().resolve("review");
    assertEquals(
        0,
        ReviewEndToEndTest.review(
                "--runner=DirectRunner", "--input=" + run, "--output=" + reviewDir, "--sample=10")
            .exit());
    List<JsonNode> sample = ReviewEndToEndTest.sample(reviewDir);
    browser.get(reviewDir.resolve("index.html").toUri().toString());
    JavascriptExecutor js = browser;
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(d -> js.executeScript("return window.reviewState") != null);

    Files.createDirectories(Path.of("target"));
    Files.write(
        Path.of("target", "review-page-top.png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    // Every chart is an ECharts instance drawn as SVG of real size.
    long charts =
        (Long) js.executeScript("return document.querySelectorAll('#charts .chart').length");
    assertTrue("charts: " + charts, charts >= 6);
    assertEquals(
        charts, js.executeScript("return document.querySelectorAll('#charts .chart svg').length"));
    assertEquals(charts, js.executeScript("return window.reviewState.charts"));
    Long bars =
        (Long)
            js.executeScript(
                "var c = echarts.getInstanceByDom(document.querySelector("
                    + "'[data-chart=\"declined by query type\"]')); return c.getOption().series.reduce(function (n, s) {"
                    + " return n + s.data.reduce(function (a, b) { return a + b; }, 0); }, 0);");
    assertTrue("declined-by-type bars hold the run's turns: " + bars, bars > 0);
    assertTrue(
        (Boolean)
            js.executeScript(
                "var c = document.querySelector('#charts svg').getBoundingClientRect();"
                    + " return c.width > 100 && c.height > 100;"));
    assertChartLabelsAreDrawnInFull(js);

    // Run text is shown as text: the forger's name with its markup, and nothing of it ran.
    assertEquals(null, js.executeScript("return window.pwned"));
    assertTrue(
        browser
            .findElement(By.id("records"))
            .getText()
            .contains("Mallory </script><img src=x onerror=window.pwned=1>"));
    assertEquals(sample.size(), browser.findElements(By.cssSelector("#records .record")).size());

    // Keyboard: accept, reject, skip one, accept, then a note on the fourth, then export.
    browser.findElement(By.id("reviewer")).sendKeys("ada");
    browser.findElement(By.tagName("h1")).click();
    new Actions(browser)
        .sendKeys("a")
        .sendKeys("r")
        .sendKeys("j")
        .sendKeys("a")
        .sendKeys("n")
        .perform();
    new Actions(browser)
        .sendKeys("too formal")
        .sendKeys(org.openqa.selenium.Keys.ESCAPE)
        .sendKeys("r")
        .perform();
    assertEquals(4L, js.executeScript("return window.reviewState.judged"));
    assertEquals(2L, js.executeScript("return window.reviewState.accepted"));
    Path shot = Path.of("target", "review-page.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    new Actions(browser).sendKeys("e").perform();
    Path exported = downloads.resolve("verdicts.jsonl");
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(d -> Files.isRegularFile(exported) && size(exported) > 0);

    List<JsonNode> verdicts = new ArrayList<>();
    for (String l : Files.readAllLines(exported)) {
      verdicts.add(ReviewEndToEndTest.MAPPER.readTree(l));
    }
    assertEquals(4, verdicts.size());
    Map<String, String> expected =
        Map.of(
            sample.get(0).path("id").asText(),
            "accept",
            sample.get(1).path("id").asText(),
            "reject",
            sample.get(3).path("id").asText(),
            "accept",
            sample.get(4).path("id").asText(),
            "reject");
    for (JsonNode v : verdicts) {
      assertEquals(v.toString(), expected.get(v.path("id").asText()), v.path("verdict").asText());
      assertEquals("ada", v.path("reviewer").asText());
      assertTrue(v.path("time").asText().startsWith("20"));
      assertTrue(v.has("stratum") && v.has("dataset"));
    }
    assertEquals(
        "too formal",
        verdicts.stream()
            .filter(v -> v.path("id").asText().equals(sample.get(4).path("id").asText()))
            .findFirst()
            .orElseThrow()
            .path("note")
            .asText());

    // The command reads the browser's export back.
    var back =
        ReviewEndToEndTest.review(
            "--runner=DirectRunner",
            "--input=" + run,
            "--output=" + reviewDir,
            "--sample=10",
            "--verdicts=" + exported);
    assertEquals(back.err(), 0, back.exit());
    JsonNode summary =
        ReviewEndToEndTest.MAPPER.readTree(reviewDir.resolve("verdicts-summary.json").toFile());
    assertEquals(2, summary.at("/overall/accepted").asInt());
    assertEquals(4, summary.at("/overall/judged").asInt());
    browser.get(reviewDir.resolve("index.html").toUri().toString());
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(d -> js.executeScript("return window.reviewState") != null);
    assertTrue(browser.findElement(By.id("verdicts-summary")).getText().contains("2 / 4"));
  }

  /**
   * What the charts draw, read back from their SVG: every category label whole (wrapping may split
   * it into lines, never cut it), no label shortened with an ellipsis, and a value axis that
   * reaches the largest bar in numbers a reader can tell apart (150k, not a clipped "50,000").
   */
  @SuppressWarnings("unchecked")
  private static void assertChartLabelsAreDrawnInFull(JavascriptExecutor js) {
    List<Map<String, Object>> drawn =
        (List<Map<String, Object>>)
            js.executeScript(
                "return Array.from(document.querySelectorAll('#charts .chart')).map(function (div) {"
                    + " var o = echarts.getInstanceByDom(div).getOption();"
                    + " var texts = Array.from(div.querySelectorAll('svg text')).map(function (t) { return t.textContent; });"
                    + " var max = 0; o.series.forEach(function (s) { s.data.forEach(function (v, i) { max = Math.max(max, v); }); });"
                    + " return { title: div.getAttribute('data-chart'), labels: o.yAxis[0].data, texts: texts, max: max }; });");
    assertTrue(drawn.size() >= 6);
    for (Map<String, Object> chart : drawn) {
      List<String> texts = (List<String>) chart.get("texts");
      String all = String.join("", texts).replaceAll("\\s", "");
      for (String label : (List<String>) chart.get("labels")) {
        assertTrue(
            chart.get("title") + ": label '" + label + "' not drawn whole in " + texts,
            all.contains(label.replaceAll("\\s", "")));
      }
      assertTrue(
          chart.get("title") + " shortens a label: " + texts,
          texts.stream().noneMatch(t -> t.contains("…")));
      double top =
          texts.stream()
              .filter(t -> t.matches("\\d+(\\.\\d+)?[kM]?"))
              .mapToDouble(
                  t ->
                      Double.parseDouble(t.replaceAll("[kM]", ""))
                          * (t.endsWith("M") ? 1e6 : t.endsWith("k") ? 1e3 : 1))
              .max()
              .orElse(0);
      double max = ((Number) chart.get("max")).doubleValue();
      assertTrue(
          chart.get("title")
              + ": axis tops at "
              + top
              + " below the largest bar "
              + max
              + " "
              + texts,
          top >= max);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
