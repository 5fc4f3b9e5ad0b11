package org.tandemcds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.http.Client;
import org.tandemcds.http.TinyStudies;
import org.tandemcds.model.CaseModel;
import picocli.CommandLine;

/**
 * {@code tandem serve} as an operator runs it: the real command ({@code org.tandemcds.cli.Main
 * serve}) in a child JVM with the shipped model, the embedded database in a temporary data folder
 * and an ephemeral port. A generated study goes in over STOW-RS and its note over {@code POST
 * /fhir}; the quiet-study trigger must turn them into a DiagnosticReport labelled an AI suggestion
 * that names the model, its version and checksum; SIGTERM must stop the process with exit status 0.
 * The server runs with {@code auth=bearer}: ingest needs a system client's token with write scopes.
 * Settings come from a file, {@code TANDEM_*} variables and flags, later ones winning; a
 * non-loopback bind without TLS and authentication and an unknown {@code auth} scheme are refused
 * with coded errors.
 */
@Timeout(900)
class ServeCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path MODEL = Path.of("models", "tandem-cxr-fusion");
  private static final String LISTENING = "tandem serve: listening on ";

  @TempDir Path dir;

  @Test
  void the_real_command_turns_a_stowed_study_and_its_note_into_an_ai_suggestion_and_exits_0()
      throws Exception {
    Path study = generatedStudy();
    Path data = dir.resolve("data");
    String token = issueToken(data, "serve-it", "system/*.read");
    String ingest =
        issueToken(
            data,
            "modality",
            "system/ImagingStudy.write",
            "system/Patient.write",
            "system/ServiceRequest.write",
            "system/DocumentReference.write");
    // precedence: workers only in the file, quiet-time in the file and the environment,
    // data-dir in all three
    Path file = dir.resolve("tandem.properties");
    Files.writeString(
        file,
        "workers = 3\nquiet-time = 9m\ndicom-port = -1\ndata-dir = "
            + dir.resolve("from-file")
            + "\n");
    Path log = dir.resolve("serve.log");
    Process serve =
        start(
            log,
            Map.of(
                "TANDEM_QUIET_TIME", "1s", "TANDEM_DATA_DIR", dir.resolve("from-env").toString()),
            "serve",
            "--config",
            file.toString(),
            "--data-dir",
            data.toString(),
            "--port",
            "0",
            "--set",
            "auth=bearer");
    try {
      String listening = awaitLine(serve, stdout(log), LISTENING, log);
      assertThat(listening)
          .contains(
              "workers=3", "quietTime=PT1S", "dataDir=" + data, "host=127.0.0.1", "auth=bearer");
      int port = Integer.parseInt(listening.replaceAll(".*127\\.0\\.0\\.1:(\\d+) .*", "$1"));
      Client client = new Client(port);
      awaitReady(client, serve, log);

      assertThat(client.stow(List.of(study.resolve("image.dcm"))).statusCode())
          .as("no token")
          .isEqualTo(401);
      assertThat(
              client
                  .fhir("/fhir", TinyStudies.transaction(study), "Authorization", "Bearer " + token)
                  .statusCode())
          .as("read scopes only")
          .isEqualTo(403);
      HttpResponse<String> notes =
          client.fhir("/fhir", TinyStudies.transaction(study), "Authorization", "Bearer " + ingest);
      assertThat(notes.statusCode()).as(notes.body()).isEqualTo(200);
      HttpResponse<String> stowed =
          client.stow(List.of(study.resolve("image.dcm")), "Authorization", "Bearer " + ingest);
      assertThat(stowed.statusCode()).as(stowed.body()).isEqualTo(200);

      String bearer = "Bearer " + token;
      JsonNode report = awaitReport(client, bearer, serve, log);
      assertThat(report.path("status").asText()).isEqualTo("preliminary");
      assertThat(report.path("conclusion").asText())
          .startsWith("AI-generated suggestion; requires clinician review.");
      assertThat(report.at("/meta/security").findValuesAsText("code")).contains("AIAST");
      String observation = report.at("/result/0/reference").asText();
      JsonNode finding =
          JSON.readTree(client.get("/fhir/" + observation, "Authorization", bearer).body());
      String device = finding.at("/device/reference").asText();
      assertThat(device).startsWith("Device/");
      JsonNode model = JSON.readTree(client.get("/fhir/" + device, "Authorization", bearer).body());
      assertThat(model.at("/deviceName/0/name").asText()).isEqualTo(CaseModel.NAME);
      assertThat(model.at("/version/0/value").asText())
          .isEqualTo(
              JSON.readTree(MODEL.resolve("model-card.json").toFile()).path("version").asText());
      assertThat(model.path("identifier").findValuesAsText("value"))
          .contains(sha256(MODEL.resolve("model-card.json")));
      assertThat(model.at("/meta/security").findValuesAsText("code")).contains("AIAST");
      assertThat(Files.exists(dir.resolve("from-file"))).isFalse();
      assertThat(Files.exists(dir.resolve("from-env"))).isFalse();

      serve.destroy(); // SIGTERM
      assertThat(serve.waitFor(120, TimeUnit.SECONDS))
          .as("stopped within the grace period")
          .isTrue();
      assertThat(serve.exitValue()).as(Files.readString(log)).isZero();
      assertThat(Files.readAllLines(stdout(log)))
          .contains("tandem serve: stopping", "tandem serve: stopped");
    } finally {
      serve.destroyForcibly();
    }
  }

  @Test
  void a_non_loopback_bind_without_tls_and_auth_is_refused_with_a_coded_error() throws Exception {
    assertRefusedAtStart("refused.log", Map.of(), List.of("--host", "0.0.0.0"), "TDM-811");
  }

  @Test
  void an_unknown_auth_scheme_is_refused_with_a_coded_error() throws Exception {
    assertRefusedAtStart(
        "bogus-auth.log", Map.of("TANDEM_AUTH", "basic"), List.of(), "TDM-810", "auth");
  }

  /**
   * Starts {@code serve} on port 0 with {@code extra} arguments and {@code env}, and checks that it
   * exits with the coded-error status, says {@code expected} on stderr and never listened.
   */
  private void assertRefusedAtStart(
      String logName, Map<String, String> env, List<String> extra, String... expected)
      throws Exception {
    Path log = dir.resolve(logName);
    List<String> args = new ArrayList<>(List.of("serve"));
    args.addAll(extra);
    args.addAll(
        List.of(
            "--port", "0", "--data-dir", dir.resolve("data").toString(), "--set", "dicom-port=-1"));
    Process serve = start(log, env, args.toArray(String[]::new));
    try {
      assertThat(serve.waitFor(300, TimeUnit.SECONDS)).isTrue();
      String err = Files.readString(log);
      assertThat(serve.exitValue()).as(err).isEqualTo(Main.EXIT_CODED_ERROR);
      assertThat(err).contains(expected);
      assertThat(Files.readString(stdout(log))).doesNotContain(LISTENING);
    } finally {
      serve.destroyForcibly();
    }
  }

  /** One image+note study made by the real {@code generate-samples} command. */
  private Path generatedStudy() throws IOException {
    Path samples = dir.resolve("samples");
    cli(
        "generate-samples",
        "--count",
        "1",
        "--seed",
        "2026",
        "--out",
        samples.toString(),
        "--min-side",
        "512",
        "--max-side",
        "640",
        "--modes",
        "1,0,0",
        "--transfer-syntax",
        "explicit-le");
    try (Stream<Path> list = Files.list(samples)) {
      return list.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  /** Runs a command in this JVM; returns what it printed. */
  /** {@code tandem tokens issue} for {@code client} with {@code scopes}; the printed token. */
  private static String issueToken(Path data, String client, String... scopes) {
    List<String> args =
        new ArrayList<>(
            List.of("tokens", "issue", "--data-dir", data.toString(), "--client", client));
    for (String scope : scopes) {
      args.add("--scope");
      args.add(scope);
    }
    return cli(args.toArray(String[]::new));
  }

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).as(err.toString()).isZero();
    return out.toString().strip();
  }

  /**
   * {@code java -cp <test classpath> org.tandemcds.cli.Main <args>}, stderr (the log) to a file.
   */
  private static Process start(Path log, Map<String, String> environment, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx2g");
    command.add("-Dai.djl.offline=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "--model", MODEL.toString(), "--device", "cpu", "--model-cache", "target/test-models"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectOutput(stdout(log).toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("TANDEM_"));
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** Where the child's stdout goes: next to its log. */
  private static Path stdout(Path log) {
    return log.resolveSibling(log.getFileName() + ".out");
  }

  private static String awaitLine(Process serve, Path out, String prefix, Path log)
      throws Exception {
    while (true) {
      boolean alive = serve.isAlive();
      if (Files.exists(out)) {
        for (String line : Files.readAllLines(out)) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
      }
      if (!alive) {
        throw new AssertionError("serve ended before '" + prefix + "':\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
  }

  private static void awaitReady(Client client, Process serve, Path log) throws Exception {
    for (int i = 0; i < 600 && serve.isAlive(); i++) {
      if (client.get("/health/ready").statusCode() == 200) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("never ready:\n" + Files.readString(log));
  }

  /** The first DiagnosticReport the server serves, waiting for the quiet-study trigger. */
  private static JsonNode awaitReport(Client client, String bearer, Process serve, Path log)
      throws Exception {
    for (int i = 0; i < 1500 && serve.isAlive(); i++) {
      HttpResponse<String> found =
          client.get("/fhir/DiagnosticReport?_count=10", "Authorization", bearer);
      assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
      JsonNode bundle = JSON.readTree(found.body());
      if (bundle.path("total").asInt() > 0) {
        return bundle.at("/entry/0/resource");
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no DiagnosticReport:\n" + Files.readString(log));
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
