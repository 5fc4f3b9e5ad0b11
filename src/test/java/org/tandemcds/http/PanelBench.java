package org.tandemcds.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * click's mark to the mark after the canvas is drawn), against {@code tandem serve} as the product
 * starts it ({@link ServedPanel}: shipped model, real pipeline, H2 on loopback). The studies of a
 * {@code generate-samples} folder go in over FHIR + STOW-RS and are analysed first; each case is
 * then opened once (the server reads and decodes its DICOM file on that request). Also splits out
 * the image request's Resource Timing (request start to response end).
 *
 * <p>Run (see docs/benchmarks.md): {@code nice -n 10 java -cp
 * "target/test-classes:target/classes:$(cat target/test-classpath.txt)"
 * org.tandemcds.http.PanelBench STUDIES_DIR}.
 */
public final class PanelBench {
  private PanelBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: PanelBench STUDIES_DIR (of generate-samples)");
    }
    List<Path> folders = new ArrayList<>();
    try (var list = Files.list(Path.of(args[0]))) {
      list.filter(f -> Files.exists(f.resolve("image.dcm"))).sorted().forEach(folders::add);
    }
    Path dir = Files.createTempDirectory("tandem-panel-bench");
    try (ServedPanel server = new ServedPanel(dir.resolve("data"))) {
      server.addClinician("bench", "Bench Clinician", Set.of("clinician"));
      Map<String, String> sizes = new LinkedHashMap<>();
      for (Path folder : folders) {
        JsonNode truth = Json.parse(Files.readString(folder.resolve("truth.json")));
        sizes.put(
            truth.path("studyInstanceUid").asText(),
            truth.path("image").path("columns").asText()
                + " x "
                + truth.path("image").path("rows").asText());
        server.ingest(folder);
      }
      Map<String, String> reports = server.awaitReports(sizes.keySet());
      if (reports.size() != sizes.size()) {
        throw new IllegalStateException("only " + reports.size() + " studies were analysed");
      }
      ChromeDriver browser = PanelBrowser.start(dir.resolve("profile"), 1400, 1000);
      try {
        Map<String, String> cases = new LinkedHashMap<>();
        reports.forEach((study, report) -> cases.put(report, sizes.get(study)));
        run(browser, server, cases);
      } finally {
        browser.quit();
      }
    }
  }

  /** Opens each case (report id → its image size) once and prints the timings. */
  private static void run(ChromeDriver browser, ServedPanel server, Map<String, String> cases) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(120));
    browser.get(server.baseUrl + "/review");
    wait.until(d -> d.findElement(By.id("username")).isDisplayed());
    browser.findElement(By.id("username")).sendKeys("bench");
    browser.findElement(By.id("password")).sendKeys(ServedPanel.PASSWORD);
    browser.findElement(By.id("login-submit")).click();
    List<Double> total = new ArrayList<>();
    List<Double> image = new ArrayList<>();
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String id = c.getKey();
      wait.until(d -> d.findElements(By.cssSelector("#worklist tbody tr[data-id]")).size() > 0);
      browser.executeScript("performance.clearResourceTimings()");
      browser.findElement(By.cssSelector("#worklist tbody tr[data-id='" + id + "']")).click();
      wait.until(
          d ->
              id.equals(
                  ((JavascriptExecutor) d)
                      .executeScript("return document.body.dataset.drawnCase")));
      @SuppressWarnings("unchecked")
      Map<String, Object> t =
          (Map<String, Object>)
              browser.executeScript(
                  "const m = performance.getEntriesByName('case-open-to-drawn').pop();"
                      + "const r = performance.getEntriesByType('resource')"
                      + ".filter(e => e.name.endsWith('/image')).pop();"
                      + "const all = performance.getEntriesByType('resource')"
                      + ".filter(e => e.name.includes('/api/review/suggestions/'));"
                      + "const last = Math.max(...all.map(e => e.responseEnd));"
                      + "const kind = (n) => n.endsWith('/case') ? 'case' : n.endsWith('/image')"
                      + " ? 'image' : 'detail';"
                      + "return {total: m.duration, image: r ? r.responseEnd - r.requestStart : -1,"
                      + " overlay: window.tandemPanel.viewer.overlay !== null,"
                      + " requests: all.map(e => kind(e.name) + ' ' + Math.round(e.responseEnd -"
                      + " e.startTime) + ' ms ' + Math.round(e.decodedBodySize / 1024) + ' KiB')"
                      + ".join(', '),"
                      + " afterResponses: m.startTime + m.duration - last};");
      double all = ((Number) t.get("total")).doubleValue();
      double request = ((Number) t.get("image")).doubleValue();
      total.add(all);
      image.add(request);
      System.out.printf(
          Locale.ROOT,
          "case %s (%s, overlay %s): open-to-drawn %.0f ms (image request %.0f ms)%n",
          id,
          c.getValue(),
          Boolean.TRUE.equals(t.get("overlay")) ? "drawn" : "none (no positive finding)",
          all,
          request);
      System.out.printf(
          Locale.ROOT,
          "  requests (start to response end, body): %s; last response to drawn %.0f ms%n",
          t.get("requests"),
          ((Number) t.get("afterResponses")).doubleValue());
      browser.findElement(By.tagName("body")).sendKeys(Keys.ESCAPE);
      wait.until(d -> d.findElement(By.id("worklist-view")).isDisplayed());
    }
    System.out.printf(
        Locale.ROOT,
        "panel bench: %d cases, median open-to-drawn %.0f ms (min %.0f, max %.0f),"
            + " median image request %.0f ms%n",
        cases.size(),
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
