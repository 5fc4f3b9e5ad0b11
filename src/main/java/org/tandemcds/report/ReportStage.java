package org.tandemcds.report;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.ReportBundle;
import org.tandemcds.fhir.ReportBundleWriter;
import org.tandemcds.fhir.ReportContent;

/**
 * The report stage: the case, the prediction and the explanation become a FHIR R4 transaction
 * Bundle (preliminary DiagnosticReport, finding Observations, saliency Media, the model's Device,
 * Provenance). Decides the exam code, the finding codes and the words; {@link ReportBundleWriter}
 * writes the FHIR. Thread-safe.
 */
public final class ReportStage {
  private final ReportBundleWriter writer;
  private final ReportContent.ModelIdentity model;
  private final Clock clock;
  private final ExamCodes exams = new ExamCodes();
  private final FindingCodes findings = new FindingCodes();
  private final Wording wording = new Wording();

  /**
   * @param model the loaded model, as outputs cite it
   * @param clock gives {@code issued} and Provenance {@code recorded}
   */
  public ReportStage(ReportBundleWriter writer, ReportContent.ModelIdentity model, Clock clock) {
    this.writer = writer;
    this.model = model;
    this.clock = clock;
  }

  /**
   * The FHIR output of one run.
   *
   * @throws CdsException {@link ErrorCode#INTERNAL} when the prediction names another model than
   *     the one this stage cites; {@link ErrorCode#MODEL_CARD_INVALID} for a finding without a code
   */
  public ReportBundle report(ReportRequest r) {
    Prediction p = r.prediction();
    if (!p.modelSha256().equals(model.cardSha256())) {
      throw new CdsException(
          ErrorCode.INTERNAL, "prediction of model " + p.modelSha256() + " reported as another");
    }
    List<ReportContent.Finding> items = p.findings().stream().map(f -> finding(f, r)).toList();
    // only the inputs the model used are cited
    Optional<ImagingStudy> study =
        p.mode() == Mode.NOTE_ONLY ? Optional.empty() : r.input().study();
    List<ClinicalNote> notes = p.mode() == Mode.IMAGE_ONLY ? List.of() : r.input().notes();
    return writer.write(
        new ReportContent(
            r.runId(),
            clock.instant(),
            study,
            notes,
            p.mode(),
            exams.of(study),
            items,
            wording.conclusion(items, p.mode()),
            wording.html(items, p.mode(), model, r.runId()),
            model));
  }

  private ReportContent.Finding finding(FindingPrediction f, ReportRequest r) {
    return new ReportContent.Finding(
        f,
        findings.code(f.finding()),
        findings.words(f.finding()),
        r.explanation().flatMap(e -> e.of(f.finding())));
  }
}
