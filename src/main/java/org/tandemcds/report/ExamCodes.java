package org.tandemcds.report;

import java.util.Locale;
import java.util.Optional;
import org.tandemcds.domain.ImageInstance;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.fhir.ReportContent.Code;

/**
 * The exam's LOINC code from modality, body part and view count (DiagnosticReport.code). Every code
 * and display is taken from the LOINC document type codes in the FHIR R4 value set {@code
 * http://hl7.org/fhir/ValueSet/c80-doc-typecodes} (FHIR 4.0.1, package {@code
 * hl7.fhir.r4.examples}); {@code docs/fhir-output.md} lists them. Stateless.
 */
final class ExamCodes {
  static final String LOINC = "http://loinc.org";
  static final Code IMAGING_STUDY = new Code(LOINC, "18748-4", "Diagnostic imaging study");
  static final Code CHEST_XR = new Code(LOINC, "30745-4", "Chest X-ray");
  static final Code CHEST_XR_1 = new Code(LOINC, "36554-4", "Chest X-ray Single view");
  static final Code CHEST_XR_AP_1 = new Code(LOINC, "36572-6", "Chest X-ray AP single view");
  static final Code CHEST_XR_2 = new Code(LOINC, "36643-5", "Chest X-ray 2 views");
  static final Code CHEST_XR_3 = new Code(LOINC, "36298-8", "Chest X-ray 3 views");
  static final Code CHEST_XR_4 = new Code(LOINC, "36320-0", "Chest X-ray 4 views");
  static final Code CHEST_CT = new Code(LOINC, "24627-2", "Chest CT");

  /** The exam code of a study; a note-only case gets the generic imaging study code. */
  Code of(Optional<ImagingStudy> study) {
    return study.map(ExamCodes::ofStudy).orElse(IMAGING_STUDY);
  }

  private static Code ofStudy(ImagingStudy s) {
    if (!isChest(s)) {
      return IMAGING_STUDY;
    }
    String modality = s.modality().toUpperCase(Locale.ROOT);
    if (modality.equals("CT")) {
      return CHEST_CT;
    }
    if (!modality.equals("CR") && !modality.equals("DX")) {
      return IMAGING_STUDY;
    }
    int views = s.instances().size();
    return switch (views) {
      case 1 ->
          "AP".equalsIgnoreCase(s.instances().get(0).viewPosition()) ? CHEST_XR_AP_1 : CHEST_XR_1;
      case 2 -> CHEST_XR_2;
      case 3 -> CHEST_XR_3;
      case 4 -> CHEST_XR_4;
      default -> CHEST_XR;
    };
  }

  /** Body Part Examined CHEST (or THORAX), or, when no instance names one, a chest description. */
  private static boolean isChest(ImagingStudy s) {
    boolean named = false;
    for (ImageInstance i : s.instances()) {
      String part = i.bodyPartExamined().toUpperCase(Locale.ROOT);
      if (part.equals("CHEST") || part.equals("THORAX")) {
        return true;
      }
      named |= !part.isBlank();
    }
    String description = s.studyDescription().toUpperCase(Locale.ROOT);
    return !named && (description.contains("CHEST") || description.contains("THORAX"));
  }
}
