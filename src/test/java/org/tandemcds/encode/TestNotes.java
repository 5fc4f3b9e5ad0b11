package org.tandemcds.encode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.model.Engines;
import org.tandemcds.model.PretrainedTextModel;

/** Notes and model files for encoder tests. */
final class TestNotes {
  private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+[.!?]?");

  private TestNotes() {}

  /** A note whose sentences are runs ending in . ! ? or a line end (tests only). */
  static ClinicalNote note(String text) {
    List<TextSpan> sentences = new ArrayList<>();
    Matcher m = SENTENCE.matcher(text);
    while (m.find()) {
      sentences.add(new TextSpan(m.start(), m.end()));
    }
    return new ClinicalNote(
        text,
        List.of(),
        sentences,
        List.of(),
        "DocumentReference/test",
        List.of(),
        List.of(),
        "",
        "");
  }

  static PretrainedTextModel.TextModelFiles textModel() {
    Engines.init();
    return new PretrainedTextModel().extract(Path.of("target", "test-models"));
  }
}
