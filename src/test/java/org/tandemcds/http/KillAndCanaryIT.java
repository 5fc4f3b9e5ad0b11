package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Tandem server process on the embedded database is killed with SIGKILL while it analyses
 * studies whose patient names, identifiers and note text carry canary marks; a new process on the
 * same data folder finishes the work. Every accepted instance and note is still there, every study
 * is analysed exactly once, and no canary mark appears in either process's log (DEBUG level).
 */
class KillAndCanaryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STUDIES = 12;
  private static final List<String> CANARIES =
      List.of("CANARYNAME", "ZEBULON", "CANARYID", "CANARYTEXT");

  @TempDir Path dir;

  @Test
  @Timeout(240)
  void a_killed_server_loses_nothing_analyses_each_study_once_and_logs_no_patient_data()
      throws Exception {
    List<Path> studies = TinyStudies.write(dir.resolve("samples"), STUDIES, 4242);
    List<String> uids = new ArrayList<>();
    for (int i = 0; i < STUDIES; i++) {
      mark(studies.get(i), i);
      uids.add(ServeIT.studyUid(TinyStudies.image(studies.get(i))));
    }
    Path data = dir.resolve("data");
    Path log1 = dir.resolve("first.log");
    Path log2 = dir.resolve("second.log");
    String[] settings = {
      "data-dir=" + data,
      "quiet-time=200ms",
      "lease=3s",
      "workers=2",
      "retry-backoff=100ms",
      "analyse-ms=400"
    };
    Map<String, String> debug = Map.of("TANDEM_LOG_LEVEL", "DEBUG");

    ServerProcess first = ServerProcess.start(log1, debug, settings);
    Client client = new Client(first.port());
    for (Path study : studies) {
      assertThat(client.fhir("/fhir", TinyStudies.transaction(study)).statusCode()).isEqualTo(200);
    }
    assertThat(client.stow(studies.stream().map(TinyStudies::image).toList()).statusCode())
        .isEqualTo(200);
    awaitJobs(client, 3, true);
    first.kill();

    try (ServerProcess second = ServerProcess.start(log2, debug, settings)) {
      awaitJobs(new Client(second.port()), STUDIES, false);
    }

    try (Connection c = ServerDatabase.H2.create(data).connect()) {
      assertThat(ServiceChecks.count(c, "SELECT COUNT(*) FROM dicom_instance")).isEqualTo(STUDIES);
      assertThat(ServiceChecks.count(c, "SELECT COUNT(*) FROM fhir_note")).isEqualTo(STUDIES);
      ServiceChecks.eachAnalysedExactlyOnce(c, uids);
      assertThat(ServiceChecks.count(c, "SELECT COUNT(*) FROM analysis_job WHERE attempts > 1"))
          .as("a job the killed process held was claimed again")
          .isPositive();
    }
    String logs = Files.readString(log1) + Files.readString(log2);
    assertThat(logs).contains("analysed study").contains("quiet with");
    for (String canary : CANARIES) {
      assertThat(logs.toUpperCase(Locale.ROOT)).doesNotContain(canary);
    }
  }

  /** Waits until {@code done} jobs are done (and, if asked, one is running at that moment). */
  private static void awaitJobs(Client client, int done, boolean alsoRunning)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      String scrape = client.get("/metrics").body();
      boolean enough = ServiceChecks.metric(scrape, "tandem_queue_jobs{state=\"done\"}") >= done;
      boolean running = ServiceChecks.metric(scrape, "tandem_queue_jobs{state=\"running\"}") >= 1;
      if (enough && (running || !alsoRunning)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("jobs not done in time");
  }

  /**
   * Puts canary marks in the study's PatientName and PatientID, and in its FHIR Patient and note.
   */
  private static void mark(Path study, int index) throws Exception {
    String id = String.format(Locale.ROOT, "CANARYID%04d", index);
    ServeIT.run(
        "dcmodify",
        "-nb",
        "-m",
        "(0010,0010)=CANARYNAME^ZEBULON",
        "-m",
        "(0010,0020)=" + id,
        TinyStudies.image(study).toString());
    ObjectNode bundle = (ObjectNode) JSON.readTree(study.resolve("bundle.json").toFile());
    for (JsonNode entry : bundle.withArray("entry")) {
      ObjectNode resource = (ObjectNode) entry.get("resource");
      String type = resource.get("resourceType").asText();
      if (type.equals("Patient")) {
        resource.withArray("identifier").forEach(i -> ((ObjectNode) i).put("value", id));
        ((ObjectNode) resource.withArray("name").get(0)).put("family", "CANARYNAME");
        ((ObjectNode) resource.withArray("name").get(0)).putArray("given").add("ZEBULON");
      } else if (type.equals("DocumentReference")) {
        ObjectNode attachment = (ObjectNode) resource.withArray("content").get(0).get("attachment");
        String text =
            new String(
                Base64.getDecoder().decode(attachment.get("data").asText()),
                StandardCharsets.UTF_8);
        text += "\nPatient CANARYNAME ZEBULON (" + id + ") said CANARYTEXT.\n";
        attachment.put(
            "data", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
      }
    }
    JSON.writeValue(study.resolve("bundle.json").toFile(), bundle);
  }
}
