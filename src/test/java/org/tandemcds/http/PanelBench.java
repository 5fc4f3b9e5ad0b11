package org.tandemcds.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * BENCHMARK (not a test): time from opening a case in the review panel to its image and overlay
 * drawn, measured in the browser with the Performance API ({@code case-open-to-drawn}: the worklist
 * click's mark to the mark after the canvas is drawn), over several 2500 × 2000 CR cases on
 * loopback, each opened for the first time (the server decodes the DICOM file on that request).
 * Also splits out the image request's Resource Timing (request start to response end).
 *
 * <p>Run (see docs/benchmarks.md): {@code nice -n 10 java -cp
 * "target/test-classes:target/classes:$(cat target/test-classpath.txt)"
 * org.tandemcds.http.PanelBench [cases] [rows] [columns]}.
 */
public final class PanelBench {
  private PanelBench() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 2500;
    int columns = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    Path dir = Files.createTempDirectory("tandem-panel-bench");
    try (PanelTestServer server = new PanelTestServer(dir.resolve("data"))) {
      server.addClinician("bench", "Bench Clinician", Set.of("clinician"));
      List<PanelTestServer.Stored> cases = server.addAll(count, rows, columns);
      ChromeDriver browser = PanelBrowser.start(dir.resolve("profile"), 1400, 1000);
      try {
        run(browser, server, cases, rows, columns);
      } finally {
        browser.quit();
      }
    }
  }

  private static void run(
      ChromeDriver browser,
      PanelTestServer server,
      List<PanelTestServer.Stored> cases,
      int rows,
      int columns) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
    browser.get(server.baseUrl + "/review");
    wait.until(d -> d.findElement(By.id("username")).isDisplayed());
    browser.findElement(By.id("username")).sendKeys("bench");
    browser.findElement(By.id("password")).sendKeys(PanelTestServer.PASSWORD);
    browser.findElement(By.id("login-submit")).click();
    List<Double> total = new ArrayList<>();
    List<Double> image = new ArrayList<>();
    for (PanelTestServer.Stored c : cases) {
      wait.until(d -> d.findElements(By.cssSelector("#worklist tbody tr[data-id]")).size() > 0);
      browser.executeScript("performance.clearResourceTimings()");
      browser
          .findElement(By.cssSelector("#worklist tbody tr[data-id='" + c.reportId() + "']"))
          .click();
      wait.until(
          d ->
              c.reportId()
                  .equals(
                      ((JavascriptExecutor) d)
                          .executeScript("return document.body.dataset.drawnCase")));
      @SuppressWarnings("unchecked")
      Map<String, Number> t =
          (Map<String, Number>)
              browser.executeScript(
                  "const m = performance.getEntriesByName('case-open-to-drawn').pop();"
                      + "const r = performance.getEntriesByType('resource')"
                      + ".filter(e => e.name.endsWith('/image')).pop();"
                      + "return {total: m.duration, image: r ? r.responseEnd - r.requestStart : -1};");
      total.add(t.get("total").doubleValue());
      image.add(t.get("image").doubleValue());
      System.out.printf(
          Locale.ROOT,
          "case %s: open-to-drawn %.0f ms (image request %.0f ms)%n",
          c.reportId(),
          t.get("total").doubleValue(),
          t.get("image").doubleValue());
      browser.findElement(By.tagName("body")).sendKeys(Keys.ESCAPE);
      wait.until(d -> d.findElement(By.id("worklist-view")).isDisplayed());
    }
    System.out.printf(
        Locale.ROOT,
        "panel bench: %d cases of %d x %d CR, median open-to-drawn %.0f ms (min %.0f, max %.0f),"
            + " median image request %.0f ms%n",
        cases.size(),
        rows,
        columns,
        median(total),
        total.stream().mapToDouble(d -> d).min().orElse(0),
        total.stream().mapToDouble(d -> d).max().orElse(0),
        median(image));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
