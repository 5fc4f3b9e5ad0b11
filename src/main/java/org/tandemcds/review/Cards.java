package org.tandemcds.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.tandemcds.store.ReportStore;
import org.tandemcds.store.Suggestion;

/**
 * The CDS Hooks {@code patient-view} answer: one card per pending ({@code preliminary}) suggestion
 * for the patient, and one card per study whose analysis is still queued or running.
 *
 * <p>A suggestion's indicator is {@code critical} when a positive finding is configured as critical
 * (e.g. pneumothorax), {@code warning} for other positives, {@code info} otherwise.
 *
 * <p>Thread-safe.
 */
public final class Cards {
  static final int MAX_SUMMARY = 139;
  private static final String MODEL_SYSTEM = "urn:tandemcds:model";
  private static final Pattern MARKDOWN_SPECIAL = Pattern.compile("([\\\\`*_\\[\\]|<>#])");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final String AI_SENTENCE = "AI-generated suggestion, requires clinician review.";

  private final ReportStore store;
  private final Set<String> criticalFindings;
  private final int maxCards;

  public Cards(ReportStore store, Set<String> criticalFindings, int maxCards) {
    this.store = store;
    this.criticalFindings = Set.copyOf(criticalFindings);
    this.maxCards = maxCards;
  }

  /**
   * Cards for the patient whose pseudonymous keys are {@code patientKeys}; {@code reviewBase} is
   * the base URL of the review panel.
   */
  public List<Card> patientView(Set<String> patientKeys, String reviewBase) {
    List<Card> cards = new ArrayList<>();
    for (Suggestion s :
        store.search(
            patientKeys, Set.of("preliminary"), Optional.empty(), Optional.empty(), maxCards)) {
      cards.add(card(s, reviewBase));
    }
    for (String study : store.pendingStudies(patientKeys)) {
      cards.add(pending(study));
    }
    return cards;
  }

  /** The card of one stored suggestion. */
  public Card card(Suggestion s, String reviewBase) {
    SuggestionSummary summary = SuggestionSummary.fromJson(s.summaryJson());
    List<FindingSummary> positives =
        summary.findings().stream()
            .filter(FindingSummary::positive)
            .sorted((a, b) -> Double.compare(b.probability(), a.probability()))
            .toList();
    return new Card(
        s.reportId(),
        summaryLine(positives),
        detail(s, summary),
        indicator(positives),
        new Card.Source(
            "Tandem " + s.modelName() + " " + s.modelVersion(),
            new Card.Topic(
                MODEL_SYSTEM,
                s.modelName() + "|" + s.modelVersion(),
                s.modelName() + " " + s.modelVersion())),
        List.of(
            new Card.Link(
                "Review this AI suggestion",
                reviewBase + "/review/suggestions/" + s.reportId(),
                "absolute")));
  }

  private String indicator(List<FindingSummary> positives) {
    if (positives.stream().anyMatch(f -> criticalFindings.contains(f.finding()))) {
      return "critical";
    }
    return positives.isEmpty() ? "info" : "warning";
  }

  static String summaryLine(List<FindingSummary> positives) {
    String line;
    if (positives.isEmpty()) {
      line = "AI suggestion: no finding above threshold; clinician review required";
    } else {
      String findings =
          positives.stream()
              .map(f -> words(f.finding()) + " " + percent(f.probability()))
              .collect(Collectors.joining(", "));
      line = "AI suggestion: " + findings + "; clinician review required";
    }
    return line.length() <= MAX_SUMMARY ? line : line.substring(0, MAX_SUMMARY - 1) + "…";
  }

  private static String detail(Suggestion s, SuggestionSummary summary) {
    StringBuilder md = new StringBuilder();
    md.append("**").append(AI_SENTENCE).append("**\n\n");
    md.append("Model: ")
        .append(escape(s.modelName()))
        .append(' ')
        .append(escape(s.modelVersion()))
        .append(" (sha256 `")
        .append(summary.modelSha256(), 0, Math.min(16, summary.modelSha256().length()))
        .append("…`), inputs: ")
        .append(summary.mode().toLowerCase(Locale.ROOT).replace('_', ' '))
        .append(".\n\n");
    md.append("| Finding | Probability | Threshold | Suggested | Weight image / note / joint |\n");
    md.append("|---|---|---|---|---|\n");
    for (FindingSummary f : summary.findings()) {
      md.append("| ")
          .append(words(f.finding()))
          .append(" | ")
          .append(percent(f.probability()))
          .append(" | ")
          .append(percent(f.threshold()))
          .append(" | ")
          .append(f.positive() ? "**present**" : "absent")
          .append(
              String.format(
                  Locale.ROOT,
                  " | %.2f / %.2f / %.2f |%n",
                  f.gateImage(),
                  f.gateNote(),
                  f.gateJoint()));
    }
    List<FindingSummary> withEvidence =
        summary.findings().stream().filter(f -> f.positive() && !f.evidence().isEmpty()).toList();
    if (!withEvidence.isEmpty()) {
      md.append("\nTop evidence in the notes:\n");
      for (FindingSummary f : withEvidence) {
        md.append("- ").append(words(f.finding())).append(": ");
        md.append(
            f.evidence().stream()
                .map(q -> "\"" + escape(q) + "\"")
                .collect(Collectors.joining("; ")));
        md.append('\n');
      }
    }
    return md.toString();
  }

  private static Card pending(String studyInstanceUid) {
    return new Card(
        UUID.nameUUIDFromBytes(
                ("pending|" + studyInstanceUid).getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .toString(),
        "Tandem AI analysis of a recent imaging study is pending",
        "An imaging study of this patient is queued or being analysed. AI suggestions will appear"
            + " here when the analysis is done; they require clinician review.",
        "info",
        new Card.Source("Tandem", null),
        List.of());
  }

  private static String words(String finding) {
    return finding.replace('_', ' ');
  }

  private static String percent(double p) {
    return Math.round(p * 100) + "%";
  }

  /** Markdown-escapes a quote or name: table pipes, emphasis, brackets, backticks, line breaks. */
  static String escape(String text) {
    return WHITESPACE.matcher(MARKDOWN_SPECIAL.matcher(text).replaceAll("\\\\$1")).replaceAll(" ");
  }
}
