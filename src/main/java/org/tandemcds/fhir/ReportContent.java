package org.tandemcds.fhir;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.Mode;

/**
 * Everything the report stage decided about one run, library-free, for {@link ReportBundleWriter}
 * to turn into FHIR: which exam and finding codes, the words, and what produced it.
 *
 * @param runId the run's id (DiagnosticReport.identifier, Provenance extension)
 * @param issued when the suggestion was issued
 * @param study the analysed study (empty for a note-only run)
 * @param notes the notes read (empty for an image-only run)
 * @param mode the inputs the model used
 * @param exam the exam code (DiagnosticReport.code)
 * @param findings one per finding, in the model's order
 * @param conclusion DiagnosticReport.conclusion, opening with {@link #AI_SENTENCE}
 * @param html the human-readable rendering, one XHTML {@code <div>} (narrative; wrapped into a full
 *     HTML document for presentedForm)
 * @param device the model that produced the suggestion
 */
public record ReportContent(
    String runId,
    Instant issued,
    Optional<ImagingStudy> study,
    List<ClinicalNote> notes,
    Mode mode,
    Code exam,
    List<Finding> findings,
    String conclusion,
    String html,
    ModelIdentity device) {
  /** The fixed sentence every conclusion opens with. */
  public static final String AI_SENTENCE = "AI-generated suggestion; requires clinician review.";

  public ReportContent {
    notes = List.copyOf(notes);
    findings = List.copyOf(findings);
  }

  /** A coded concept: system, code and display. */
  public record Code(String system, String code, String display) {}

  /**
   * One finding: the prediction, its code, its name in plain words, and why (when explained).
   *
   * @param words the finding in plain words, e.g. {@code pleural effusion}
   */
  public record Finding(
      FindingPrediction prediction,
      Code code,
      String words,
      Optional<FindingExplanation> explanation) {}

  /**
   * The model as outputs cite it.
   *
   * @param name model name
   * @param version model version
   * @param cardSha256 sha256 of the model card (which pins every file)
   * @param files sha256 of each model file, by path
   * @param modelCardUrl where the model card is described
   */
  public record ModelIdentity(
      String name, String version, String cardSha256, List<ModelFile> files, String modelCardUrl) {
    public ModelIdentity {
      files = List.copyOf(files);
    }
  }

  /** One model file and its sha256. */
  public record ModelFile(String path, String sha256) {}
}
