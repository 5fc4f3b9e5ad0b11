package org.tandemcds.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Orthanc (Debian package {@code orthanc}) as the PACS: its own JSON configuration, storage
 * and index folders, HTTP and DICOM ports on loopback, Tandem registered as the modality {@code
 * tandem}, and a Lua {@code OnStableStudy} rule that forwards each stable study's original series
 * (not Tandem's own result series) to Tandem.
 */
final class OrthancPacs implements AutoCloseable {
  static final String AE_TITLE = "ORTHANC";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Forwards the series Tandem did not make (not SR, not described as an AI suggestion). */
  static final String FORWARD_RULE =
      """
      function OnStableStudy(studyId, tags, metadata)
        local series = ParseJson(RestApiGet('/studies/' .. studyId .. '/series'))
        for i, s in pairs(series) do
          local description = s['MainDicomTags']['SeriesDescription'] or ''
          local modality = s['MainDicomTags']['Modality'] or ''
          if modality ~= 'SR' and string.find(description, 'AI suggestion', 1, true) == nil then
            RestApiPost('/modalities/tandem/store', s['ID'])
          end
        end
      end
      """;

  /**
   * Forwards every instance of each stable study, Tandem's own results included (as a PACS set to
   * route whole studies does), one C-STORE per instance so that an instance Tandem refuses at
   * negotiation (the SR) does not stop the others.
   */
  static final String FORWARD_WHOLE_STUDY_RULE =
      """
      function OnStableStudy(studyId, tags, metadata)
        local instances = ParseJson(RestApiGet('/studies/' .. studyId .. '/instances'))
        for i, instance in pairs(instances) do
          pcall(RestApiPost, '/modalities/tandem/store', instance['ID'])
        end
      end
      """;

  final int httpPort;
  final int dicomPort;
  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  private OrthancPacs(int httpPort, int dicomPort, Process process) {
    this.httpPort = httpPort;
    this.dicomPort = dicomPort;
    this.process = process;
  }

  /** Starts Orthanc in {@code dir}, with Tandem's receiver at {@code tandemPort} as a modality. */
  static OrthancPacs start(Path dir, String tandemAeTitle, int tandemPort) throws Exception {
    return start(dir, tandemAeTitle, tandemPort, FORWARD_RULE);
  }

  /** Starts Orthanc in {@code dir} with the Lua {@code rule} forwarding to Tandem. */
  static OrthancPacs start(Path dir, String tandemAeTitle, int tandemPort, String rule)
      throws Exception {
    int httpPort = ResultFixtures.freePort();
    int dicomPort = ResultFixtures.freePort();
    Files.createDirectories(dir);
    Path lua = Files.writeString(dir.resolve("forward.lua"), rule);
    ObjectNode config = JSON.createObjectNode();
    config.put("Name", "TandemTestPACS");
    config.put("StorageDirectory", dir.resolve("storage").toString());
    config.put("IndexDirectory", dir.resolve("index").toString());
    config.put("HttpPort", httpPort);
    config.put("DicomPort", dicomPort);
    config.put("DicomAet", AE_TITLE);
    config.put("RemoteAccessAllowed", false);
    config.put("AuthenticationEnabled", false);
    config.put("HttpServerEnabled", true);
    config.put("DicomServerEnabled", true);
    config.put("DicomCheckCalledAet", false);
    config.put("DicomAlwaysAllowStore", true);
    config.put("StableAge", 1);
    config.putArray("Plugins");
    config.putArray("LuaScripts").add(lua.toString());
    ArrayNode tandem = config.putObject("DicomModalities").putArray("tandem");
    tandem.add(tandemAeTitle).add("127.0.0.1").add(tandemPort);
    Path file = dir.resolve("orthanc.json");
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
    Process process =
        new ProcessBuilder("Orthanc", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("orthanc.log").toFile())
            .start();
    OrthancPacs orthanc = new OrthancPacs(httpPort, dicomPort, process);
    orthanc.awaitReady(dir);
    return orthanc;
  }

  private void awaitReady(Path dir) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      assertThat(process.isAlive())
          .as("Orthanc exited: %s", Files.readString(dir.resolve("orthanc.log")))
          .isTrue();
      try {
        if (get("/system").has("DicomAet")) {
          ResultFixtures.awaitListening(dicomPort);
          return;
        }
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError(
        "Orthanc did not start: " + Files.readString(dir.resolve("orthanc.log")));
  }

  /** Uploads a DICOM file over REST ({@code POST /instances}); returns Orthanc's answer. */
  JsonNode upload(Path file) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri("/instances"))
            .header("Content-Type", "application/dicom")
            .POST(HttpRequest.BodyPublishers.ofFile(file))
            .build();
    HttpResponse<String> response = send(request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Every instance of the study, with its main DICOM tags ({@code /tools/find}, expanded). */
  List<JsonNode> instancesOfStudy(String studyInstanceUid) throws Exception {
    ObjectNode find = JSON.createObjectNode();
    find.put("Level", "Instance");
    find.put("Expand", true);
    find.putObject("Query").put("StudyInstanceUID", studyInstanceUid);
    HttpRequest request =
        HttpRequest.newBuilder(uri("/tools/find"))
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(find)))
            .build();
    HttpResponse<String> response = send(request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> instances = new ArrayList<>();
    JSON.readTree(response.body()).forEach(instances::add);
    return instances;
  }

  /** An instance's tags as Orthanc read them ({@code /instances/{id}/simplified-tags}). */
  JsonNode tags(String orthancInstanceId) throws Exception {
    return get("/instances/" + orthancInstanceId + "/simplified-tags");
  }

  JsonNode get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<String> response = send(request);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  /**
   * Sends a REST call (every call used here is idempotent), once more when the connection drops
   * before an answer: Orthanc may close a keep-alive connection that the client is about to reuse
   * ("header parser received no bytes"), a transport event, not an answer.
   */
  private HttpResponse<String> send(HttpRequest request) throws Exception {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }
}
