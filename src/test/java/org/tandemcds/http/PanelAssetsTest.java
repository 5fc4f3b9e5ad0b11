package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The panel loads nothing from the internet: every asset reference is a path on Tandem itself. */
class PanelAssetsTest {
  private static final Path PANEL = Path.of("src/main/resources/panel");
  private static final Pattern EXTERNAL =
      Pattern.compile("(src|href)\\s*=\\s*[\"'](https?:)?//|url\\(\\s*[\"']?(https?:)?//|@import");
  private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

  @Test
  void no_panel_asset_refers_to_another_origin() throws IOException {
    try (Stream<Path> files = Files.list(PANEL)) {
      for (Path file : files.toList()) {
        assertThat(EXTERNAL.matcher(Files.readString(file)).find())
            .as(file + " refers to an external resource")
            .isFalse();
      }
    }
  }

  @Test
  void every_asset_the_page_names_is_packaged_and_served_under_review_assets() throws IOException {
    String page = Files.readString(PANEL.resolve("index.html"));
    List<String> refs = REFERENCE.matcher(page).results().map(m -> m.group(1)).toList();
    assertThat(refs).isNotEmpty();
    for (String ref : refs) {
      if (ref.equals("/review")) {
        continue;
      }
      assertThat(ref).startsWith("/review/assets/");
      assertThat(PANEL.resolve(ref.substring("/review/assets/".length()))).exists();
    }
  }
}
