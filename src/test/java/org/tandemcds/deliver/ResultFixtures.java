package org.tandemcds.deliver;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.tandemcds.dicom.ResultSource;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.ModalityContribution;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Overlay;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.ReportBundle;
import org.tandemcds.domain.SaliencyMap;

/**
 * A finished analysis run over one stored image, as the pipeline hands it on (the input of the
 * delivery code under test), and loopback helpers.
 */
final class ResultFixtures {
  static final Path CR_SAMPLE = Path.of("sample-studies/study-000000/image.dcm");

  private ResultFixtures() {}

  /** A run with one positive finding (overlay and region) and one negative (neither). */
  static AnalysisRun runOver(Path analysed) {
    String sop = ResultSource.read(analysed).sopInstanceUid();
    String study = ResultSource.read(analysed).studyInstanceUid();
    Prediction prediction =
        new Prediction(
            List.of(
                new FindingPrediction("pleural_effusion", 0.91, 0.4, true, 0.6, 0.1, 0.3),
                new FindingPrediction("pneumothorax", 0.05, 0.3, false, 0.6, 0.1, 0.3)),
            Mode.IMAGE_AND_NOTE,
            "tandem-hybrid",
            "0.1.0",
            "c".repeat(64));
    SaliencyMap map =
        new SaliencyMap(
            "grad-cam",
            sop,
            1,
            1052,
            1024,
            2,
            2,
            new float[] {0, 1, 0, 0},
            2.5,
            Optional.of(
                new SaliencyMap.Region(
                    512,
                    0,
                    512,
                    526,
                    List.of(
                        new SaliencyMap.Point(512, 0),
                        new SaliencyMap.Point(1023, 0),
                        new SaliencyMap.Point(1023, 525),
                        new SaliencyMap.Point(512, 525)))));
    ModalityContribution contribution =
        new ModalityContribution(
            0.6, 0.1, 0.3, 0.91, OptionalDouble.of(0.8), OptionalDouble.of(0.3));
    Overlay overlay = new Overlay(png(64, 66), 66, 64, sop);
    Explanation explanation =
        new Explanation(
            List.of(
                new FindingExplanation(
                    "pleural_effusion",
                    Optional.of(map),
                    Optional.of(overlay),
                    List.of(),
                    contribution)),
            List.of());
    Instant now = Instant.now();
    return new AnalysisRun(
        "run-1",
        "request-1",
        Mode.IMAGE_AND_NOTE,
        Optional.of(study),
        prediction,
        Optional.of(explanation),
        new ReportBundle("{}", "urn:uuid:0", List.of(overlay)),
        List.of(),
        now,
        now);
  }

  static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 3) << 16 | (y * 3) << 8 | 0x40);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Stores a sample study's note in Tandem: its sample Bundle POSTed as a FHIR transaction. */
  static void postNotes(String tandem, Path bundle) throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode transaction =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(bundle.toFile());
    transaction.put("type", "transaction");
    for (com.fasterxml.jackson.databind.JsonNode entry : transaction.path("entry")) {
      com.fasterxml.jackson.databind.node.ObjectNode request =
          ((com.fasterxml.jackson.databind.node.ObjectNode) entry).putObject("request");
      request.put("method", "POST");
      request.put("url", entry.path("resource").path("resourceType").asText());
    }
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(tandem + "/fhir"))
                    .header("Content-Type", "application/fhir+json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            json.writeValueAsString(transaction)))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("notes not stored: " + response.body());
    }
  }

  /** A loopback port that was free a moment ago. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until something listens on the loopback port (at most 20 s). */
  static void awaitListening(int port) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < end) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("nothing listens on port " + port);
  }
}
