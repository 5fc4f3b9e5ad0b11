package org.tandemcds.report;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tandemcds.domain.Mode;
import org.tandemcds.fhir.ReportContent;

/** The conclusion sentence and the human-readable HTML of a suggestion. Stateless. */
final class Wording {
  /** The conclusion: the fixed AI sentence, then the positive findings with probabilities. */
  String conclusion(List<ReportContent.Finding> findings, Mode mode) {
    List<ReportContent.Finding> positive =
        findings.stream().filter(f -> f.prediction().positive()).toList();
    String body =
        positive.isEmpty()
            ? "No finding reached the model's operating threshold."
            : "Suggested findings: "
                + positive.stream()
                    .map(
                        f ->
                            f.words()
                                + " (probability "
                                + percent(f.prediction().probability())
                                + ")")
                    .collect(Collectors.joining(", "))
                + ".";
    return ReportContent.AI_SENTENCE + " " + body + " Inputs used: " + describe(mode) + ".";
  }

  /** One XHTML div: the AI sentence, a table of every finding, the inputs and the model. */
  String html(
      List<ReportContent.Finding> findings,
      Mode mode,
      ReportContent.ModelIdentity model,
      String runId) {
    StringBuilder h = new StringBuilder("<div xmlns=\"http://www.w3.org/1999/xhtml\">");
    h.append("<h1>AI suggestion</h1><p><b>")
        .append(ReportContent.AI_SENTENCE)
        .append("</b> Not a diagnosis.</p>");
    h.append("<p>Inputs used: ").append(escape(describe(mode))).append(".</p>");
    h.append("<table><tr><th>Finding</th><th>Probability</th><th>Threshold</th>")
        .append("<th>Suggestion</th></tr>");
    for (ReportContent.Finding f : findings) {
      h.append("<tr><td>")
          .append(escape(f.words()))
          .append("</td><td>")
          .append(percent(f.prediction().probability()))
          .append("</td><td>")
          .append(percent(f.prediction().threshold()))
          .append("</td><td>")
          .append(f.prediction().positive() ? "positive" : "negative")
          .append("</td></tr>");
    }
    h.append("</table><p>Model: ")
        .append(escape(model.name()))
        .append(" ")
        .append(escape(model.version()))
        .append(", model card sha256 ")
        .append(escape(model.cardSha256()))
        .append(". Run ")
        .append(escape(runId))
        .append(".</p></div>");
    return h.toString();
  }

  private static String describe(Mode mode) {
    return switch (mode) {
      case IMAGE_AND_NOTE -> "image+note (the image study and the clinical notes)";
      case IMAGE_ONLY -> "image-only (no clinical note was used)";
      case NOTE_ONLY -> "note-only (no image was analysed)";
    };
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
