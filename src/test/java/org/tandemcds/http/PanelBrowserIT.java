package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tandemcds.store.Feedback;

/**
 * The review panel in a real headless Chromium against {@code tandem serve} as the product starts
 * it ({@link ServedPanel}: the shipped model, the real pipeline, H2, port 0). Four committed sample
 * studies go in over the HTTP API (FHIR transaction, then STOW-RS) and are analysed by the
 * pipeline; one server and one browser session then walk the clinician's path in order: worklist,
 * case view (image, overlay, evidence), accept, amend, reject, a CDS Hooks card link, and a user
 * without the clinician role. What the panel shows is checked against what the API returns for the
 * same case, and every review action against the FHIR API. Screenshots go to {@code
 * target/panel-screenshots/} (or {@code -Dpanel.screenshots=docs/images}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PanelBrowserIT {
  /** Pneumothorax + cardiomegaly; effusion + cardiomegaly; effusion + nodule + consolidation; … */
  private static final List<String> STUDIES =
      List.of("study-000009", "study-000004", "study-000005", "study-000001");

  private static final String SNOMED = "http://snomed.info/sct";
  private static final String CARDIOMEGALY = "8186001";

  @TempDir static Path dir;
  private ServedPanel server;
  private ChromeDriver browser;
  private WebDriverWait wait;
  private Path screenshots;

  /** StudyInstanceUID → the sample study's truth (manifest entry). */
  private final Map<String, JsonNode> truth = new LinkedHashMap<>();

  /** StudyInstanceUID → DiagnosticReport id. */
  private Map<String, String> reports;

  /** Report ids in the worklist's order, set by the first test. */
  private List<String> worklist;

  @BeforeAll
  void start() throws Exception {
    server = new ServedPanel(dir.resolve("data"));
    server.addClinician("drsmith", "Dr Ann Smith", Set.of("clinician"));
    server.addClinician("auditor", "Audit Admin", Set.of("admin"));
    for (String study : STUDIES) {
      Path folder = Path.of("sample-studies", study);
      JsonNode t = Json.parse(Files.readString(folder.resolve("truth.json")));
      truth.put(t.path("studyInstanceUid").asText(), t);
      server.ingest(folder);
    }
    reports = server.awaitReports(truth.keySet());
    assertThat(reports).as("a preliminary DiagnosticReport per study").hasSize(STUDIES.size());
    browser = PanelBrowser.start(dir.resolve("profile"), 1440, 1100);
    wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.ignoring(StaleElementReferenceException.class); // a page (re)load between find and use
    screenshots = Path.of(System.getProperty("panel.screenshots", "target/panel-screenshots"));
    Files.createDirectories(screenshots);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void a_clinician_logs_in_and_the_worklist_lists_the_pending_suggestions_critical_first()
      throws IOException {
    browser.get(server.baseUrl + "/review");
    login("drsmith");
    wait.until(d -> rows().size() == STUDIES.size());
    worklist = rows().stream().map(r -> r.getAttribute("data-id")).toList();
    assertThat(worklist).containsExactlyInAnyOrderElementsOf(reports.values());

    JsonNode items = browserJson("/api/review/panel/worklist").path("items");
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    items.forEach(i -> byId.put(i.path("id").asText(), i));
    List<Integer> ranks = new ArrayList<>();
    for (WebElement row : rows()) {
      JsonNode item = byId.get(row.getAttribute("data-id"));
      String text = row.getText();
      assertThat(text).contains(patientId(row.getAttribute("data-id")), "preliminary");
      for (JsonNode p : item.path("positive")) {
        assertThat(text)
            .contains(
                String.format(java.util.Locale.ROOT, "%.2f", p.path("probability").asDouble()));
      }
      ranks.add(List.of("critical", "warning", "info").indexOf(item.path("indicator").asText()));
    }
    assertThat(ranks).as("critical first, then positives").isSorted();
    assertThat(browser.findElement(By.id("ai-banner")).getText())
        .containsIgnoringCase("AI suggestion");

    String someone = patientId(worklist.get(1));
    browser.findElement(By.id("filter")).sendKeys(someone);
    wait.until(d -> rows().size() == 1);
    assertThat(rows().get(0).getAttribute("data-id")).isEqualTo(worklist.get(1));
    browser.findElement(By.id("filter")).clear();
    browser.findElement(By.id("filter")).sendKeys(" ", Keys.BACK_SPACE);
    wait.until(d -> rows().size() == STUDIES.size());
    browser.executeScript("document.activeElement.blur()");
    screenshot("panel-worklist.png");
  }

  @Test
  @Order(2)
  void a_keystroke_opens_the_first_case_and_its_image_and_overlay_are_drawn() {
    browser.findElement(By.tagName("body")).sendKeys(Keys.ENTER);
    String id = worklist.get(0);
    waitDrawn(id);
    assertThat(browser.getCurrentUrl()).endsWith("/review/suggestions/" + id);
    assertThat(distinctGreys()).as("the canvas shows an image, not a blank").isGreaterThan(50);
    JsonNode doc = caseDocument(id);
    JsonNode model = doc.path("model");
    assertThat(browser.findElement(By.id("banner-model")).getText())
        .contains(
            model.path("name").asText(),
            model.path("version").asText(),
            model.path("sha256").asText().substring(0, 12));
    assertThat(browser.findElement(By.id("mode")).getText())
        .isEqualTo("mode: " + doc.path("mode").asText());
    assertThat(doc.path("mode").asText()).isEqualTo("image+note");
    assertThat(browser.findElements(By.cssSelector("#findings li"))).hasSize(5);
    assertThat(browser.executeScript("return window.tandemPanel.viewer.overlay !== null"))
        .as("the first case (a positive finding) has a saliency overlay")
        .isEqualTo(true);
  }

  @Test
  @Order(3)
  void toggling_the_overlay_changes_the_rendered_pixels_at_the_saliency_peak() {
    int[] on = peakPixel();
    assertThat(on[0] == on[1] && on[1] == on[2]).as("coloured overlay at the peak").isFalse();
    String before = canvasHash();
    browser.findElement(By.tagName("body")).sendKeys("o");
    String after = waitCanvasChange(before);
    int[] off = peakPixel();
    assertThat(off[0]).as("grey image without the overlay").isEqualTo(off[1]).isEqualTo(off[2]);
    browser.findElement(By.id("overlay-toggle")).click();
    waitCanvasChange(after);
    assertThat(peakPixel()).isEqualTo(on);
  }

  @Test
  @Order(4)
  void clicking_a_finding_highlights_the_apis_evidence_at_its_characters_of_the_note()
      throws IOException {
    // the first case (worklist order) whose explanation has note evidence: which cases have
    // some depends on the model's output
    String id = null;
    for (String candidate : worklist) {
      for (JsonNode f : caseDocument(candidate).path("findings")) {
        if (id == null && f.path("evidence").size() > 0) {
          id = candidate;
        }
      }
    }
    assertThat(id).as("a case with note evidence").isNotNull();
    showCase(id);
    JsonNode doc = caseDocument(id);
    JsonNode note = doc.path("notes").path(0);
    String text = note.path("text").asText();
    assertThat(text)
        .as("the note read is the one posted, as Tandem extracts plain text (docs/fhir-output.md)")
        .isEqualTo(postedNote(id).replaceAll("[ \\t]+\n", "\n").strip());
    JsonNode finding = null;
    for (JsonNode f : doc.path("findings")) {
      if (finding == null || f.path("evidence").size() > finding.path("evidence").size()) {
        finding = f;
      }
    }
    assertThat(finding.path("evidence").size()).as("evidence spans in the note").isPositive();
    browser
        .findElement(
            By.cssSelector("#findings li[data-finding='" + finding.path("finding").asText() + "']"))
        .click();
    for (JsonNode e : finding.path("evidence")) {
      int start = e.path("start").asInt();
      int end = e.path("end").asInt();
      assertThat(text.substring(start, end)).isEqualTo(e.path("text").asText());
      WebElement mark =
          browser.findElement(
              By.cssSelector("#note mark[data-start='" + start + "'][data-end='" + end + "']"));
      assertThat(mark.getDomProperty("textContent")).isEqualTo(e.path("text").asText());
      double score = e.path("score").asDouble();
      assertThat(mark.getAttribute("class")).isEqualTo(score >= 0 ? "ev-for" : "ev-against");
      assertThat(mark.getAttribute("title"))
          .contains(String.format(java.util.Locale.ROOT, "%+.3f", score));
      assertThat(
              browser.executeScript(
                  "const m = arguments[0], t = m.closest('.note-text'), r = document.createRange();"
                      + "r.setStart(t, 0); r.setEndBefore(m); return r.toString().length;",
                  mark))
          .as("the mark starts at the span's character offset in the shown note")
          .isEqualTo((long) start);
    }
    assertThat(browser.findElements(By.cssSelector("#note mark")))
        .hasSize(finding.path("evidence").size());
    assertThat(
            browser.executeScript("return document.querySelector('#note .note-text').textContent"))
        .isEqualTo(text);
    screenshot("panel-case.png");
  }

  @Test
  @Order(5)
  void accept_makes_the_diagnostic_report_final_with_the_clinician_as_results_interpreter() {
    // the keystroke acts on the case shown: the previous test may have opened another one
    String id = worklist.get(0);
    showCase(id);
    browser.findElement(By.tagName("body")).sendKeys("a");
    wait.until(d -> d.findElement(By.id("accept-confirm")).isDisplayed());
    browser.findElement(By.id("accept-confirm")).click();
    wait.until(d -> "final".equals(statusShown()));
    assertThat(browser.findElement(By.id("review-result")).getText()).contains("Dr Ann Smith");
    JsonNode report = server.fhir("/fhir/DiagnosticReport/" + id);
    assertThat(report.path("status").asText()).isEqualTo("final");
    assertThat(report.path("resultsInterpreter")).hasSize(1);
    assertThat(report.path("resultsInterpreter").path(0).path("display").asText())
        .isEqualTo("Dr Ann Smith");
    assertThat(report.path("resultsInterpreter").path(0).path("identifier").path("value").asText())
        .isEqualTo("drsmith");
    assertThat(browser.findElement(By.id("accept-button")).isEnabled()).isFalse();
  }

  @Test
  @Order(6)
  void amend_through_the_panel_edits_a_finding_and_the_conclusion_and_keeps_both_versions() {
    String id = worklist.get(1);
    openFromWorklist(id);
    browser.findElement(By.id("amend-button")).click();
    wait.until(d -> d.findElement(By.id("amend-dialog")).isDisplayed());
    WebElement box =
        browser.findElement(By.cssSelector("#amend-findings input[name='cardiomegaly']"));
    boolean was = box.isSelected();
    box.click();
    WebElement conclusion = browser.findElement(By.id("amend-conclusion"));
    conclusion.clear();
    conclusion.sendKeys("Reviewed: heart size as amended; no other change.");
    browser.findElement(By.id("amend-reason")).sendKeys("heart size reassessed");
    browser.findElement(By.id("amend-confirm")).click();
    wait.until(d -> "amended".equals(statusShown()));

    JsonNode report = server.fhir("/fhir/DiagnosticReport/" + id);
    assertThat(report.path("status").asText()).isEqualTo("amended");
    assertThat(report.path("conclusion").asText())
        .isEqualTo("Reviewed: heart size as amended; no other change.");
    assertThat(report.path("resultsInterpreter").path(0).path("display").asText())
        .isEqualTo("Dr Ann Smith");
    assertThat(server.fhir("/fhir/DiagnosticReport/" + id + "/_history").path("entry")).hasSize(2);
    JsonNode first = server.fhir("/fhir/DiagnosticReport/" + id + "/_history/1");
    assertThat(first.path("status").asText()).isEqualTo("preliminary");
    assertThat(first.path("conclusion").asText())
        .startsWith("AI-generated suggestion; requires clinician review.");

    int amended = 0;
    for (JsonNode result : report.path("result")) {
      String ref = result.path("reference").asText();
      JsonNode observation = server.fhir("/fhir/" + ref);
      boolean heart = code(observation).equals(CARDIOMEGALY);
      assertThat(observation.path("status").asText())
          .as(ref)
          .isEqualTo(heart ? "amended" : "preliminary");
      if (heart) {
        amended++;
        assertThat(interpretation(observation)).isEqualTo(was ? "NEG" : "POS");
        JsonNode before = server.fhir("/fhir/" + ref + "/_history/1");
        assertThat(before.path("status").asText()).isEqualTo("preliminary");
        assertThat(interpretation(before)).isEqualTo(was ? "POS" : "NEG");
      }
    }
    assertThat(amended).as("the cardiomegaly Observation").isEqualTo(1);
    List<Feedback> feedback = server.serving.review().reports().feedback(id);
    assertThat(feedback).hasSize(1);
    assertThat(feedback.get(0).action()).isEqualTo("amend");
    assertThat(feedback.get(0).actor()).contains("drsmith");
    assertThat(feedback.get(0).reason()).contains("heart size reassessed");
  }

  @Test
  @Order(7)
  void reject_with_a_coded_reason_cancels_it_and_records_the_feedback() {
    String id = worklist.get(2);
    openFromWorklist(id);
    browser.findElement(By.id("reject-button")).click();
    new Select(browser.findElement(By.id("reject-code"))).selectByValue("false-positive");
    browser.findElement(By.id("reject-comment")).sendKeys("not seen on the lateral view");
    browser.findElement(By.id("reject-confirm")).click();
    wait.until(d -> "cancelled".equals(statusShown()));
    assertThat(server.fhir("/fhir/DiagnosticReport/" + id).path("status").asText())
        .isEqualTo("cancelled");
    List<Feedback> feedback = server.serving.review().reports().feedback(id);
    assertThat(feedback).hasSize(1);
    assertThat(feedback.get(0).action()).isEqualTo("reject");
    assertThat(feedback.get(0).actor()).contains("drsmith");
    assertThat(feedback.get(0).reason()).contains("false-positive: not seen on the lateral view");

    browser.findElement(By.tagName("body")).sendKeys("h");
    wait.until(d -> d.findElement(By.id("history-dialog")).isDisplayed());
    assertThat(browser.findElement(By.id("history-body")).getText())
        .contains("cancelled", "false-positive", "review");
    browser.findElement(By.cssSelector("#history-dialog button.cancel")).click();
  }

  @Test
  @Order(8)
  void a_cds_hooks_card_link_opens_its_case_directly() {
    String id = worklist.get(3);
    var suggestion = server.serving.review().reports().get(id);
    String link =
        server.serving.review().cards().card(suggestion, server.baseUrl).links().get(0).url();
    browser.get(link);
    waitDrawn(id);
    assertThat(statusShown()).isEqualTo("preliminary");
  }

  @Test
  @Order(9)
  void a_user_without_the_clinician_role_cannot_act() {
    String id = worklist.get(3);
    browser.findElement(By.id("logout")).click();
    wait.until(d -> d.findElement(By.id("login-view")).isDisplayed());
    login("auditor");
    wait.until(d -> d.findElement(By.id("error")).isDisplayed());
    assertThat(browser.findElement(By.id("error")).getText()).contains("clinician role");

    // the same session's own CSRF token (from logging in), so only the missing role can refuse it
    Object refused =
        browser.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/api/review/login', {method: 'POST', headers: {'Content-Type':"
                + " 'application/json'}, body: JSON.stringify({username: 'auditor', password:"
                + " arguments[0]})}).then(r => r.json()).then(s => fetch('/api/review/suggestions/'"
                + " + arguments[1] + '/accept', {method: 'POST', headers: {'Content-Type':"
                + " 'application/json', 'X-CSRF-Token': s.csrfToken}, body: JSON.stringify({version:"
                + " 1})})).then(r => r.text().then(t => done(r.status + ' ' + t)), e =>"
                + " done(String(e)));",
            ServedPanel.PASSWORD,
            id);
    assertThat((String) refused).startsWith("403 ").contains("TDM-841");

    browser.get(server.baseUrl + "/review/suggestions/" + id);
    wait.until(d -> d.findElement(By.id("error")).isDisplayed());
    assertThat(browser.findElement(By.id("accept-button")).isEnabled()).isFalse();
    assertThat(server.fhir("/fhir/DiagnosticReport/" + id).path("status").asText())
        .isEqualTo("preliminary");
    assertThat(server.serving.review().reports().feedback(id)).isEmpty();
  }

  // ---- helpers ----

  private List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#worklist tbody tr"));
  }

  private String studyOf(String reportId) {
    return reports.entrySet().stream()
        .filter(e -> e.getValue().equals(reportId))
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  private String patientId(String reportId) {
    return truth.get(studyOf(reportId)).path("patientId").asText();
  }

  /** The text of the DocumentReference posted with the report's study. */
  private String postedNote(String reportId) throws IOException {
    Path bundle =
        Path.of("sample-studies", truth.get(studyOf(reportId)).path("id").asText(), "bundle.json");
    for (JsonNode entry : Json.parse(Files.readString(bundle)).path("entry")) {
      JsonNode r = entry.path("resource");
      if (r.path("resourceType").asText().equals("DocumentReference")) {
        String data = r.path("content").path(0).path("attachment").path("data").asText();
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no DocumentReference in " + bundle);
  }

  private void login(String username) {
    wait.until(d -> d.findElement(By.id("username")).isDisplayed());
    browser.findElement(By.id("username")).sendKeys(username);
    browser.findElement(By.id("password")).sendKeys(ServedPanel.PASSWORD);
    browser.findElement(By.id("login-submit")).click();
  }

  private void openFromWorklist(String id) {
    browser.findElement(By.tagName("body")).sendKeys(Keys.ESCAPE);
    wait.until(d -> d.findElement(By.id("worklist-view")).isDisplayed());
    wait.until(
        d -> !d.findElements(By.cssSelector("#worklist tbody tr[data-id='" + id + "']")).isEmpty());
    browser.findElement(By.cssSelector("#worklist tbody tr[data-id='" + id + "']")).click();
    waitDrawn(id);
  }

  /** Opens the case from the worklist unless it is the one drawn. */
  private void showCase(String id) {
    if (!id.equals(browser.executeScript("return document.body.dataset.drawnCase"))) {
      openFromWorklist(id);
    }
  }

  private void waitDrawn(String id) {
    try {
      wait.until(
          d ->
              id.equals(
                  ((JavascriptExecutor) d)
                      .executeScript("return document.body.dataset.drawnCase")));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(
          "case "
              + id
              + " not drawn at "
              + browser.getCurrentUrl()
              + "; error shown: '"
              + browser.findElement(By.id("error")).getText()
              + "'",
          e);
    }
  }

  private String statusShown() {
    return (String)
        browser.executeScript(
            "const l = document.getElementById('review-status'); return l ? l.dataset.status : null;");
  }

  private long distinctGreys() {
    return (Long)
        browser.executeScript(
            "const c = document.getElementById('image-canvas');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "const greys = new Set();"
                + "for (let i = 0; i < d.length; i += 4) greys.add(d[i]);"
                + "return greys.size;");
  }

  private String canvasHash() {
    return (String)
        browser.executeScript(
            "const c = document.getElementById('image-canvas');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let h = 0; for (let i = 0; i < d.length; i++) h = (h * 31 + d[i]) | 0;"
                + "return String(h);");
  }

  private String waitCanvasChange(String before) {
    String[] now = new String[1];
    wait.until(
        d -> {
          now[0] = canvasHash();
          return !now[0].equals(before);
        });
    return now[0];
  }

  /** The canvas pixel at the centre of the shown saliency map's highest cell, as RGB. */
  private int[] peakPixel() {
    @SuppressWarnings("unchecked")
    List<Number> rgb =
        (List<Number>)
            browser.executeScript(
                "const v = window.tandemPanel.viewer, s = v.overlay.saliency;"
                    + "let k = 0; for (let i = 1; i < s.values.length; i++)"
                    + " if (s.values[i] > s.values[k]) k = i;"
                    + "const col = k % s.gridColumns, row = Math.floor(k / s.gridColumns);"
                    + "const ix = (col + 0.5) * s.imageColumns / s.gridColumns;"
                    + "const iy = (row + 0.5) * s.imageRows / s.gridRows;"
                    + "const x = Math.round(v.tx + v.scale * ix), y = Math.round(v.ty + v.scale * iy);"
                    + "const d = v.ctx.getImageData(x, y, 1, 1).data;"
                    + "return [d[0], d[1], d[2]];");
    return rgb.stream().mapToInt(Number::intValue).toArray();
  }

  /** The explanation document the API returns for the case (read with the browser's session). */
  private JsonNode caseDocument(String id) {
    return browserJson("/api/review/suggestions/" + id + "/case").path("document");
  }

  private JsonNode browserJson(String path) {
    Object text =
        browser.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {headers: {Accept: 'application/json'}})"
                + ".then(r => r.text()).then(done, e => done('error: ' + e));",
            path);
    return Json.parse((String) text);
  }

  private static String code(JsonNode observation) {
    for (JsonNode c : observation.path("code").path("coding")) {
      if (c.path("system").asText().equals(SNOMED)) {
        return c.path("code").asText();
      }
    }
    return "";
  }

  private static String interpretation(JsonNode observation) {
    return observation.path("interpretation").path(0).path("coding").path(0).path("code").asText();
  }

  private void screenshot(String name) throws IOException {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
