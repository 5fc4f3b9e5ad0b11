package org.tandemcds.report;

import java.util.Map;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.ReportContent.Code;

/**
 * SNOMED CT codes of the five findings (Observation.code, DiagnosticReport.conclusionCode) and
 * their plain words. Each code's source is cited in {@code docs/fhir-output.md}. Stateless.
 */
final class FindingCodes {
  static final String SNOMED = "http://snomed.info/sct";

  private record Entry(Code code, String words) {}

  private static final Map<String, Entry> CODES =
      Map.of(
          "cardiomegaly",
          new Entry(new Code(SNOMED, "8186001", "Cardiomegaly"), "cardiomegaly"),
          "pleural_effusion",
          new Entry(new Code(SNOMED, "60046008", "Pleural effusion"), "pleural effusion"),
          "pneumothorax",
          new Entry(new Code(SNOMED, "36118008", "Pneumothorax"), "pneumothorax"),
          "nodule_mass",
          new Entry(new Code(SNOMED, "309529002", "Lung mass"), "lung nodule or mass"),
          "consolidation",
          new Entry(new Code(SNOMED, "95436008", "Lung consolidation"), "lung consolidation"));

  /**
   * The code of a finding.
   *
   * @throws CdsException {@link ErrorCode#MODEL_CARD_INVALID} for a finding Tandem has no code for
   */
  Code code(String finding) {
    return entry(finding).code();
  }

  /** The finding in plain words, e.g. {@code pleural effusion}. */
  String words(String finding) {
    return entry(finding).words();
  }

  private static Entry entry(String finding) {
    Entry e = CODES.get(finding);
    if (e == null) {
      throw new CdsException(
          ErrorCode.MODEL_CARD_INVALID,
          "the model names finding " + finding + ", which has no code");
    }
    return e;
  }
}
