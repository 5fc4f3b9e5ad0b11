package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * print X last.
 */
class ApiDocIT {
  private static final Pattern BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PRINTS = Pattern.compile("# prints (.+)\\n?$");

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
    ServeConfig config =
        ServeConfig.of(
            ConfigSources.merge(
                Optional.empty(),
                Map.of(),
                Map.of("port", "0", "data-dir", dataDir.toString(), "quiet-time", "1h")));
    try (App app = App.start(AppConfig.defaults());
        App.Serving serving =
            app.serve(
                config,
                new ParseOnlyAnalyzer(app.caseParser(), "doc", Duration.ZERO),
                () -> true,
                List.of(),
                List.of())) {
      for (String block : blocks) {
        ProcessBuilder bash =
            new ProcessBuilder("bash", "-euo", "pipefail", "-c", block)
                .directory(root.toFile())
                .redirectErrorStream(true);
        bash.environment().put("TANDEM", "http://127.0.0.1:" + serving.port());
        bash.environment().put("TMPDIR", dataDir.toString());
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
}
