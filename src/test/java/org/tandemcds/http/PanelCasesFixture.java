package org.tandemcds.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.tandemcds.dicom.SyntheticImageWriter;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.EvidenceSpan;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.ModalityContribution;
import org.tandemcds.domain.NoteAttribution;
import org.tandemcds.domain.Patient;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.SaliencyMap;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.fhir.TestReportBundles;
import org.tandemcds.samples.DicomImageSpec;

/**
 * TEST FIXTURE for the review panel: one analysed case as the pipeline would leave it, built
 * without a model (there is no shipped model yet): a synthetic 12-bit CR DICOM file of the given
 * size, an {@link AnalysisRun} from {@link TestReportBundles} whose explanation carries a saliency
 * grid with a lesion region on that image and evidence spans plus per-token scores on a note whose
 * text is known here, so a test can check where the panel draws and highlights. The lead replaces
 * this with runs of the real pipeline once {@code tandem serve} and a model exist.
 */
record PanelCasesFixture(
    AnalysisRun run,
    ClinicalNote note,
    ImagingStudy study,
    Path dicomFile,
    String studyInstanceUid,
    String seriesInstanceUid,
    String sopInstanceUid,
    String patientId) {

  static final String NOTE_REFERENCE = "DocumentReference/n1";
  static final String NOTE_TEXT =
      "Clinical history: 67-year-old with shortness of breath and ankle swelling.\n"
          + "Ward team: decreased breath sounds at the right base; dullness to percussion on the"
          + " right.\n"
          + "No history of trauma. No chest pain.\n"
          + "Impression: suspected right pleural effusion; heart size difficult to assess.";

  /** Evidence per finding: phrase of {@link #NOTE_TEXT} and its signed score. */
  static final Map<String, List<Map.Entry<String, Double>>> EVIDENCE =
      Map.of(
          "pleural_effusion",
          List.of(
              Map.entry("suspected right pleural effusion", 0.85),
              Map.entry("decreased breath sounds at the right base", 0.62),
              Map.entry("dullness to percussion on the right", 0.41)),
          "pneumothorax",
          List.of(Map.entry("No history of trauma", -0.30), Map.entry("No chest pain", -0.08)),
          "cardiomegaly",
          List.of(
              Map.entry("ankle swelling", 0.33),
              Map.entry("heart size difficult to assess", -0.12)),
          "consolidation",
          List.of(Map.entry("shortness of breath", 0.10)),
          "nodule_mass",
          List.of());

  /** The character span of an evidence phrase in {@link #NOTE_TEXT}. */
  static TextSpan spanOf(String phrase) {
    int start = NOTE_TEXT.indexOf(phrase);
    if (start < 0) {
      throw new IllegalArgumentException(phrase);
    }
    return new TextSpan(start, start + phrase.length());
  }

  /**
   * Writes the case's DICOM file into {@code dir} and builds its run.
   *
   * @param index makes UIDs, patient and lesion position differ between cases
   * @param probabilities in {@link TestReportBundles#FINDINGS} order
   */
  static PanelCasesFixture create(
      Path dir, int index, int rows, int columns, double... probabilities) {
    String root = "2.25.4711" + (100000 + index) + System.nanoTime() % 100000;
    String study = root + ".1";
    String series = root + ".2";
    String sop = root + ".3";
    String patientId = "P" + (1000 + index);
    double lesionRow = 0.55 + 0.05 * (index % 3);
    double lesionColumn = 0.28 + 0.04 * (index % 4);
    Path file = dir.resolve("case-" + index + ".dcm");
    new SyntheticImageWriter()
        .write(
            image(sop, study, series, patientId, index, rows, columns, lesionRow, lesionColumn),
            file);
    Prediction prediction = TestReportBundles.prediction(probabilities);
    AnalysisRun base = TestReportBundles.run(patientId, study, prediction);
    ClinicalNote note =
        new ClinicalNote(
            NOTE_TEXT,
            List.of(),
            List.of(),
            List.of(),
            NOTE_REFERENCE,
            List.of(),
            List.of(),
            "2026-11-2" + (index % 8),
            "Ward team");
    AnalysisRun run =
        new AnalysisRun(
            base.runId(),
            base.requestId(),
            base.mode(),
            base.studyInstanceUid(),
            prediction,
            Optional.of(explanation(prediction, sop, rows, columns, lesionRow, lesionColumn)),
            base.report(),
            base.stages(),
            base.started(),
            base.finished());
    ImagingStudy imaging =
        new ImagingStudy(
            new Patient(patientId, "TDM-TEST", "Testpatient^Case" + index, "19590101", "F"),
            study,
            "ACC" + index,
            "2026112" + (index % 8),
            "XR CHEST PA",
            List.of());
    return new PanelCasesFixture(run, note, imaging, file, study, series, sop, patientId);
  }

  private static Explanation explanation(
      Prediction prediction, String sop, int rows, int columns, double lr, double lc) {
    List<FindingExplanation> findings = new ArrayList<>();
    List<NoteAttribution> notes = new ArrayList<>();
    List<TextSpan> tokens = tokens();
    for (FindingPrediction f : prediction.findings()) {
      List<EvidenceSpan> evidence = new ArrayList<>();
      double[] scores = new double[tokens.size()];
      for (Map.Entry<String, Double> e : EVIDENCE.get(f.finding())) {
        TextSpan span = spanOf(e.getKey());
        evidence.add(new EvidenceSpan(NOTE_REFERENCE, span, e.getKey(), e.getValue()));
        for (int t = 0; t < tokens.size(); t++) {
          if (tokens.get(t).start() >= span.start() && tokens.get(t).end() <= span.end()) {
            scores[t] += e.getValue() / e.getKey().split(" ").length;
          }
        }
      }
      notes.add(new NoteAttribution(NOTE_REFERENCE, f.finding(), tokens, scores));
      Optional<SaliencyMap> saliency =
          f.positive() ? Optional.of(saliency(sop, rows, columns, lr, lc)) : Optional.empty();
      findings.add(
          new FindingExplanation(
              f.finding(),
              saliency,
              Optional.empty(),
              evidence,
              new ModalityContribution(
                  f.gateImage(),
                  f.gateNote(),
                  f.gateJoint(),
                  f.probability(),
                  OptionalDouble.of(f.probability() * 0.8),
                  OptionalDouble.of(f.probability() * 0.6))));
    }
    return new Explanation(findings, notes);
  }

  private static List<TextSpan> tokens() {
    List<TextSpan> tokens = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= NOTE_TEXT.length(); i++) {
      boolean letter = i < NOTE_TEXT.length() && !Character.isWhitespace(NOTE_TEXT.charAt(i));
      if (letter && start < 0) {
        start = i;
      } else if (!letter && start >= 0) {
        tokens.add(new TextSpan(start, i));
        start = -1;
      }
    }
    return tokens;
  }

  /** A Gaussian peak at (lr, lc) of the frame on a 20 × 16 grid, with its box and contour. */
  static SaliencyMap saliency(String sop, int rows, int columns, double lr, double lc) {
    int gridRows = 20;
    int gridColumns = 16;
    float[] values = new float[gridRows * gridColumns];
    for (int r = 0; r < gridRows; r++) {
      for (int c = 0; c < gridColumns; c++) {
        double dy = (r + 0.5) / gridRows - lr;
        double dx = (c + 0.5) / gridColumns - lc;
        values[r * gridColumns + c] = (float) Math.exp(-(dx * dx + dy * dy) / (2 * 0.08 * 0.08));
      }
    }
    int cx = (int) (lc * columns);
    int cy = (int) (lr * rows);
    int rx = columns / 10;
    int ry = rows / 12;
    List<SaliencyMap.Point> contour = new ArrayList<>();
    for (int k = 0; k < 24; k++) {
      double a = 2 * Math.PI * k / 24;
      contour.add(
          new SaliencyMap.Point((int) (cx + rx * Math.cos(a)), (int) (cy + ry * Math.sin(a))));
    }
    return new SaliencyMap(
        "grad-cam",
        sop,
        1,
        rows,
        columns,
        gridRows,
        gridColumns,
        values,
        0.0042,
        Optional.of(new SaliencyMap.Region(cx - rx, cy - ry, 2 * rx, 2 * ry, contour)));
  }

  private static DicomImageSpec image(
      String sop,
      String study,
      String series,
      String patientId,
      int index,
      int rows,
      int columns,
      double lr,
      double lc) {
    short[] pixels = new short[rows * columns];
    int seed = 0x9E3779B9 * (index + 1);
    for (int y = 0; y < rows; y++) {
      double v = (double) y / rows;
      for (int x = 0; x < columns; x++) {
        double u = (double) x / columns;
        double value = 2600 - 900 * v;
        value -= lung(u, v, 0.32) + lung(u, v, 0.68);
        double du = (u - lc) * 1.2;
        double dl = Math.sqrt(du * du + (v - lr) * (v - lr));
        value += dl < 0.09 ? 700 * (1 - dl / 0.09) : 0;
        seed = seed * 1103515245 + 12345;
        value += ((seed >>> 16) & 63) - 32;
        pixels[y * columns + x] = (short) Math.max(0, Math.min(4095, Math.round(value)));
      }
    }
    return new DicomImageSpec(
        "1.2.840.10008.5.1.4.1.1.1",
        sop,
        "1.2.840.10008.1.2.1",
        rows,
        columns,
        12,
        "MONOCHROME2",
        pixels,
        Map.ofEntries(
            Map.entry("Modality", "CR"),
            Map.entry("PatientName", "Testpatient^Case" + index),
            Map.entry("PatientID", patientId),
            Map.entry("StudyInstanceUID", study),
            Map.entry("SeriesInstanceUID", series),
            Map.entry("StudyDate", "2026112" + (index % 8)),
            Map.entry("StudyDescription", "XR CHEST PA"),
            Map.entry("SeriesNumber", "1"),
            Map.entry("InstanceNumber", "1"),
            Map.entry("BodyPartExamined", "CHEST"),
            Map.entry("ViewPosition", "PA"),
            Map.entry("RescaleIntercept", "0"),
            Map.entry("RescaleSlope", "1"),
            Map.entry("WindowCenter", "1600"),
            Map.entry("WindowWidth", "2600")));
  }

  private static double lung(double u, double v, double cu) {
    double a = (u - cu) / 0.17;
    double b = (v - 0.45) / 0.32;
    double d = Math.sqrt(a * a + b * b);
    return d < 1 ? 1100 * (1 - d * d) : 0;
  }

  byte[] dicomBytes() throws java.io.IOException {
    return Files.readAllBytes(dicomFile);
  }
}
