package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.App;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ConfigSources;
import org.tandemcds.config.ServeConfig;

/**
 * Runs every {@code sh} block of docs/api.md, as written, with bash and the real curl against a
 * real server on an ephemeral port: each must exit 0, and a block ending in {@code # prints X} must
 * print X last. A block that mentions {@code auth=bearer} runs against a second server with that
 * setting, with {@code TANDEM_TOKEN} a token issued for the client and scopes of the block's {@code
 * ./tandem tokens issue} comment (none when it has none).
 */
class ApiDocIT {
  private static final Pattern BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PRINTS = Pattern.compile("# prints (.+)\\n?$");
  private static final String BEARER = "auth=bearer";
  private static final Pattern ISSUE =
      Pattern.compile("\\./tandem tokens issue --client (\\S+)((?: --scope \\S+)+)");

  @TempDir Path dataDir;

  @Test
  @Timeout(180)
  void every_curl_example_in_the_api_document_runs_as_written() throws Exception {
    Path root = Path.of("").toAbsolutePath();
    String doc = Files.readString(root.resolve("docs/api.md"));
    List<String> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(doc);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(9);
    assertThat(blocks).as("examples of authenticated ingest").anyMatch(b -> b.contains(BEARER));
    try (App app = App.start(AppConfig.defaults());
        App.Serving serving = serve(app, dataDir.resolve("open"), "none");
        App.Serving bearer = serve(app, dataDir.resolve("bearer"), "bearer")) {
      for (String block : blocks) {
        boolean authenticated = block.contains(BEARER);
        ProcessBuilder bash =
            new ProcessBuilder("bash", "-euo", "pipefail", "-c", block)
                .directory(root.toFile())
                .redirectErrorStream(true);
        bash.environment()
            .put("TANDEM", "http://127.0.0.1:" + (authenticated ? bearer : serving).port());
        bash.environment().put("TMPDIR", dataDir.toString());
        Matcher issue = ISSUE.matcher(block);
        if (authenticated && issue.find()) {
          Set<String> scopes = new LinkedHashSet<>();
          for (String scope : issue.group(2).split(" --scope ")) {
            if (!scope.isBlank()) {
              scopes.add(scope.strip().replace("'", ""));
            }
          }
          bash.environment()
              .put(
                  "TANDEM_TOKEN",
                  bearer
                      .review()
                      .authenticator()
                      .issueToken(issue.group(1), scopes, Duration.ofHours(1)));
        }
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(block + "\n→ " + output).isZero();
        Matcher prints = PRINTS.matcher(block);
        if (prints.find()) {
          assertThat(output.strip()).as(block).endsWith(prints.group(1).strip());
        }
      }
    }
  }

  private App.Serving serve(App app, Path dir, String auth) {
    ServeConfig config =
        ServeConfig.of(
            ConfigSources.flags(
                Map.of(
                    "port", "0",
                    "dicom-port", "-1",
                    "data-dir", dir.toString(),
                    "quiet-time", "1h",
                    "auth", auth)));
    return app.serve(
        config,
        new ParseOnlyAnalyzer(app.caseParser(), "doc-" + auth, Duration.ZERO),
        () -> true,
        List.of(),
        List.of());
  }
}
