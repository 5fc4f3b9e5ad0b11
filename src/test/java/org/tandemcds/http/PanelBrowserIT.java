package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tandemcds.store.Feedback;

/**
 * The review panel in a real headless Chromium against a real Javalin on an ephemeral port with the
 * review API and the panel over a real H2 store ({@link PanelTestServer}): three analysed 2500 ×
 * 2000 CR cases. One browser session walks the clinician's path in order. Screenshots go to {@code
 * target/panel-screenshots/} (or {@code -Dpanel.screenshots=docs/images}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PanelBrowserIT {
  /** A quarter of the benchmark's 2500 × 2000 CR, to keep the test modest on a shared machine. */
  private static final int ROWS = 1250;

  private static final int COLUMNS = 1000;

  @TempDir static Path dir;
  private PanelTestServer server;
  private ChromeDriver browser;
  private WebDriverWait wait;
  private List<PanelTestServer.Stored> cases;
  private Path screenshots;

  @BeforeAll
  void start() throws IOException {
    server = new PanelTestServer(dir.resolve("data"));
    server.addClinician("drsmith", "Dr Ann Smith", Set.of("clinician"));
    server.addClinician("observer", "Olly Observer", Set.of("observer"));
    cases =
        List.of(
            server.add(ROWS, COLUMNS, 0.30, 0.81, 0.12, 0.05, 0.20),
            server.add(ROWS, COLUMNS, 0.62, 0.77, 0.71, 0.05, 0.30),
            server.add(ROWS, COLUMNS, 0.20, 0.55, 0.10, 0.05, 0.10));
    browser = PanelBrowser.start(dir.resolve("profile"), 1440, 1100);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
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
    wait.until(d -> d.findElements(By.cssSelector("#worklist tbody tr")).size() == 3);
    List<WebElement> rows = browser.findElements(By.cssSelector("#worklist tbody tr"));
    assertThat(rows.get(0).getAttribute("data-id")).isEqualTo(cases.get(1).reportId());
    assertThat(rows.get(0).getText()).contains("CRITICAL", "Testpatient Case2 (P1002)");
    assertThat(rows.get(0).getText()).contains("Pneumothorax 0.71", "2026-11-22", "XR CHEST PA");
    assertThat(rows.stream().map(r -> r.getAttribute("data-id")))
        .containsExactlyInAnyOrder(
            cases.stream().map(PanelTestServer.Stored::reportId).toArray(String[]::new));
    assertThat(browser.findElement(By.id("ai-banner")).getText()).contains("AI SUGGESTION");

    browser.findElement(By.id("filter")).sendKeys("Case3");
    wait.until(d -> d.findElements(By.cssSelector("#worklist tbody tr")).size() == 1);
    browser.findElement(By.id("filter")).clear();
    browser.findElement(By.id("filter")).sendKeys(" ", Keys.BACK_SPACE);
    wait.until(d -> d.findElements(By.cssSelector("#worklist tbody tr")).size() == 3);
    browser.executeScript("document.activeElement.blur()");
    screenshot("panel-worklist.png");
  }

  @Test
  @Order(2)
  void a_keystroke_opens_the_case_and_the_image_and_overlay_are_drawn() {
    browser.findElement(By.tagName("body")).sendKeys(Keys.ENTER);
    String id = cases.get(1).reportId();
    waitDrawn(id);
    assertThat(browser.getCurrentUrl()).endsWith("/review/suggestions/" + id);
    Map<String, Object> stats = canvasStats();
    assertThat(((Number) stats.get("distinctGreys")).intValue())
        .as("the canvas shows an image, not a blank")
        .isGreaterThan(50);
    assertThat(browser.findElement(By.id("banner-model")).getText())
        .contains("tandem-hybrid 1.2.0", "sha256 abababababab");
    assertThat(browser.findElement(By.id("mode")).getText()).isEqualTo("mode: image+note");
    assertThat(browser.findElements(By.cssSelector("#findings li"))).hasSize(5);
    System.out.println("panel: case open to image+overlay drawn " + drawnMs() + " ms");
  }

  @Test
  @Order(3)
  void toggling_the_overlay_changes_the_rendered_pixels_at_the_lesion() {
    int[] on = lesionPixel();
    assertThat(on[0] == on[1] && on[1] == on[2]).as("coloured overlay at the lesion").isFalse();
    String before = canvasHash();
    browser.findElement(By.tagName("body")).sendKeys("o");
    String after = waitCanvasChange(before);
    int[] off = lesionPixel();
    assertThat(off[0]).as("grey image without the overlay").isEqualTo(off[1]).isEqualTo(off[2]);
    browser.findElement(By.id("overlay-toggle")).click();
    waitCanvasChange(after);
    assertThat(lesionPixel()).isEqualTo(on);
  }

  @Test
  @Order(4)
  void clicking_a_finding_highlights_its_evidence_at_the_right_characters_of_the_note()
      throws IOException {
    browser.findElement(By.cssSelector("#findings li[data-finding='pleural_effusion']")).click();
    for (Map.Entry<String, Double> e : PanelCasesFixture.EVIDENCE.get("pleural_effusion")) {
      var span = PanelCasesFixture.spanOf(e.getKey());
      WebElement mark =
          browser.findElement(
              By.cssSelector(
                  "#note mark[data-start='" + span.start() + "'][data-end='" + span.end() + "']"));
      assertThat(mark.getText()).isEqualTo(e.getKey());
      assertThat(mark.getAttribute("class")).isEqualTo("ev-for");
      assertThat(mark.getAttribute("title")).contains(String.format("+%.3f", e.getValue()));
    }
    assertThat(browser.findElements(By.cssSelector("#note mark")))
        .allSatisfy(m -> assertThat(m.getAttribute("data-findings")).isEqualTo("pleural_effusion"))
        .hasSize(3);
    String noteText =
        (String)
            browser.executeScript("return document.querySelector('#note .note-text').textContent");
    assertThat(noteText).isEqualTo(PanelCasesFixture.NOTE_TEXT);
    screenshot("panel-case.png");

    browser.findElement(By.cssSelector("#findings li[data-finding='pneumothorax']")).click();
    var against = PanelCasesFixture.spanOf("No history of trauma");
    WebElement mark =
        browser.findElement(
            By.cssSelector(
                "#note mark[data-start='"
                    + against.start()
                    + "'][data-end='"
                    + against.end()
                    + "']"));
    assertThat(mark.getAttribute("class")).isEqualTo("ev-against");
  }

  @Test
  @Order(5)
  void accept_makes_the_diagnostic_report_final_with_the_clinician_as_results_interpreter() {
    String id = cases.get(1).reportId();
    browser.findElement(By.tagName("body")).sendKeys("a");
    wait.until(d -> d.findElement(By.id("accept-confirm")).isDisplayed());
    browser.findElement(By.id("accept-confirm")).click();
    wait.until(d -> "final".equals(statusShown()));
    assertThat(browser.findElement(By.id("review-result")).getText()).contains("Dr Ann Smith");
    Map<String, Object> report = fetchJson("/fhir/DiagnosticReport/" + id);
    assertThat(report.get("status")).isEqualTo("final");
    assertThat(report.get("resultsInterpreter").toString()).contains("Dr Ann Smith");
    assertThat(browser.findElement(By.id("accept-button")).isEnabled()).isFalse();
  }

  @Test
  @Order(6)
  void reject_with_a_coded_reason_cancels_it_and_records_the_feedback() {
    browser.findElement(By.tagName("body")).sendKeys(Keys.ESCAPE);
    wait.until(d -> d.findElements(By.cssSelector("#worklist tbody tr")).size() == 2);
    String id = cases.get(0).reportId();
    browser.findElement(By.cssSelector("#worklist tbody tr[data-id='" + id + "']")).click();
    waitDrawn(id);
    browser.findElement(By.id("reject-button")).click();
    new Select(browser.findElement(By.id("reject-code"))).selectByValue("false-positive");
    browser.findElement(By.id("reject-comment")).sendKeys("effusion not seen on the lateral");
    browser.findElement(By.id("reject-confirm")).click();
    wait.until(d -> "cancelled".equals(statusShown()));
    assertThat(fetchJson("/fhir/DiagnosticReport/" + id).get("status")).isEqualTo("cancelled");
    List<Feedback> feedback = server.services.reports().feedback(id);
    assertThat(feedback).hasSize(1);
    assertThat(feedback.get(0).action()).isEqualTo("reject");
    assertThat(feedback.get(0).actor()).contains("drsmith");
    assertThat(feedback.get(0).reason())
        .contains("false-positive: effusion not seen on the lateral");

    browser.findElement(By.tagName("body")).sendKeys("h");
    wait.until(d -> d.findElement(By.id("history-dialog")).isDisplayed());
    assertThat(browser.findElement(By.id("history-body")).getText())
        .contains("cancelled", "false-positive", "review");
    browser.findElement(By.cssSelector("#history-dialog button.cancel")).click();
  }

  @Test
  @Order(7)
  void a_cds_hooks_card_link_opens_its_case_directly() {
    String id = cases.get(2).reportId();
    var suggestion = server.services.reports().get(id);
    String link = server.services.cards().card(suggestion, server.baseUrl).links().get(0).url();
    browser.get(link);
    waitDrawn(id);
    assertThat(statusShown()).isEqualTo("preliminary");
  }

  @Test
  @Order(8)
  void a_user_without_the_clinician_role_cannot_act() {
    String id = cases.get(2).reportId();
    browser.findElement(By.id("logout")).click();
    wait.until(d -> d.findElement(By.id("login-view")).isDisplayed());
    login("observer");
    wait.until(d -> d.findElement(By.id("error")).isDisplayed());
    assertThat(browser.findElement(By.id("error")).getText()).contains("clinician role");

    Object status =
        browser.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/api/review/login', {method: 'POST', headers: {'Content-Type':"
                + " 'application/json'}, body: JSON.stringify({username: 'observer', password:"
                + " arguments[0]})}).then(r => r.json()).then(s => fetch('/api/review/suggestions/'"
                + " + arguments[1] + '/accept', {method: 'POST', headers: {'Content-Type':"
                + " 'application/json', 'X-CSRF-Token': s.csrfToken}, body: JSON.stringify({version:"
                + " 1})})).then(r => done(r.status), e => done(String(e)));",
            PanelTestServer.PASSWORD,
            id);
    assertThat(status).isEqualTo(403L);

    browser.get(server.baseUrl + "/review/suggestions/" + id);
    wait.until(d -> d.findElement(By.id("error")).isDisplayed());
    assertThat(browser.findElement(By.id("accept-button")).isEnabled()).isFalse();
    assertThat(server.services.reports().get(id).status()).isEqualTo("preliminary");
    assertThat(server.services.reports().feedback(id)).isEmpty();
  }

  // ---- helpers ----

  private void login(String username) {
    wait.until(d -> d.findElement(By.id("username")).isDisplayed());
    browser.findElement(By.id("username")).sendKeys(username);
    browser.findElement(By.id("password")).sendKeys(PanelTestServer.PASSWORD);
    browser.findElement(By.id("login-submit")).click();
  }

  private void waitDrawn(String id) {
    wait.until(
        d ->
            id.equals(
                ((JavascriptExecutor) d).executeScript("return document.body.dataset.drawnCase")));
  }

  private long drawnMs() {
    return Long.parseLong((String) browser.executeScript("return document.body.dataset.drawnMs"));
  }

  private String statusShown() {
    return (String)
        browser.executeScript(
            "const l = document.getElementById('review-status'); return l ? l.dataset.status : null;");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> canvasStats() {
    return (Map<String, Object>)
        browser.executeScript(
            "const c = document.getElementById('image-canvas');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "const greys = new Set();"
                + "for (let i = 0; i < d.length; i += 4) greys.add(d[i]);"
                + "return {distinctGreys: greys.size};");
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

  /** The canvas pixel at the centre of the selected overlay's lesion region, as RGB. */
  private int[] lesionPixel() {
    @SuppressWarnings("unchecked")
    List<Number> rgb =
        (List<Number>)
            browser.executeScript(
                "const p = window.tandemPanel, v = p.viewer, s = v.overlay.saliency, r = s.region;"
                    + "const x = Math.round(v.tx + v.scale * (r.left + r.width / 2));"
                    + "const y = Math.round(v.ty + v.scale * (r.top + r.height / 2));"
                    + "const d = v.ctx.getImageData(x, y, 1, 1).data;"
                    + "return [d[0], d[1], d[2]];");
    return rgb.stream().mapToInt(Number::intValue).toArray();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> fetchJson(String path) {
    return (Map<String, Object>)
        browser.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {headers: {Accept: 'application/fhir+json'}})"
                + ".then(r => r.json()).then(done, e => done({error: String(e)}));",
            path);
  }

  private void screenshot(String name) throws IOException {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, screenshots.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  @SuppressWarnings("unused")
  private void hover(WebElement element) {
    new Actions(browser).moveToElement(element).perform();
  }
}
