package org.tandemcds.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.EvidenceSpan;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.ImageInstance;
import org.tandemcds.domain.ImageSeries;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.ModalityContribution;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Overlay;
import org.tandemcds.domain.Patient;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.fhir.ReportContent;

/** Fixed cases for the report stage: plain records, as parse, fuse and explain hand them on. */
final class ReportCases {
  static final String SHA = "ab".repeat(32);
  static final String SOP = "2.25.254599580776744126214859278422992502341";
  static final String NOTE_TEXT =
      "Chest pain and cough. Right pleural effusion is present. No pneumothorax.";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T06:00:00Z"), ZoneOffset.UTC);
  static final ReportContent.ModelIdentity MODEL =
      new ReportContent.ModelIdentity(
          "tandem-cxr-fusion",
          "0.1.0",
          SHA,
          List.of(
              new ReportContent.ModelFile("fusion.params", "cd".repeat(32)),
              new ReportContent.ModelFile("image.params", "ef".repeat(32))),
          "https://tandemcds.org/docs/models.md");

  private ReportCases() {}

  static ImagingStudy study() {
    ImageInstance instance =
        new ImageInstance(
            SOP,
            "1.2.840.10008.5.1.4.1.1.1.1",
            "2.25.1",
            1,
            "DX",
            "PA",
            "CHEST",
            "MONOCHROME2",
            12,
            false,
            "1.2.840.10008.1.2.1",
            new double[] {0.2, 0.2},
            List.of(),
            "image.dcm");
    return new ImagingStudy(
        new Patient("SYN5378704", "TDM-SYNTH-B", "", "", ""),
        "2.25.110100468868930278520996724658086330737",
        "ACC32834615",
        "20260315",
        "XR CHEST",
        List.of(new ImageSeries("2.25.1", 1, "DX", "", List.of(instance))));
  }

  static ClinicalNote note() {
    return new ClinicalNote(
        NOTE_TEXT,
        List.of(),
        List.of(new TextSpan(0, 21), new TextSpan(22, 56), new TextSpan(57, 73)),
        List.of(),
        "DocumentReference/note-1",
        List.of(
            new Identifier("urn:oid:2.25.302841767013208226871633524306719480113", "SYN5378704")),
        List.of(),
        "2026-03-15",
        "");
  }

  static CaseInput input(Mode mode) {
    return new CaseInput(
        mode == Mode.NOTE_ONLY ? Optional.empty() : Optional.of(study()),
        mode == Mode.IMAGE_ONLY ? List.of() : List.of(note()),
        mode);
  }

  static Prediction prediction(Mode mode) {
    double gi = mode == Mode.NOTE_ONLY ? 0 : mode == Mode.IMAGE_ONLY ? 1 : 0.3;
    double gn = mode == Mode.IMAGE_ONLY ? 0 : mode == Mode.NOTE_ONLY ? 1 : 0.5;
    double gj = 1 - gi - gn;
    return new Prediction(
        List.of(
            new FindingPrediction("cardiomegaly", 0.12, 0.4, false, gi, gn, gj),
            new FindingPrediction("pleural_effusion", 0.834, 0.35, true, gi, gn, gj),
            new FindingPrediction("pneumothorax", 0.05, 0.5, false, gi, gn, gj),
            new FindingPrediction("nodule_mass", 0.61, 0.6, true, gi, gn, gj),
            new FindingPrediction("consolidation", 0.2, 0.45, false, gi, gn, gj)),
        mode,
        "tandem-cxr-fusion",
        "0.1.0",
        SHA);
  }

  /** An explanation with an overlay for the positive findings and evidence from the note. */
  static Explanation explanation(Prediction p) {
    List<FindingExplanation> out = new ArrayList<>();
    for (FindingPrediction f : p.findings()) {
      Optional<Overlay> overlay =
          f.positive() && p.mode() != Mode.NOTE_ONLY
              ? Optional.of(new Overlay(png(8, 6), 6, 8, SOP))
              : Optional.empty();
      List<EvidenceSpan> evidence =
          f.finding().equals("pleural_effusion") && p.mode() != Mode.IMAGE_ONLY
              ? List.of(
                  new EvidenceSpan(
                      "DocumentReference/note-1",
                      new TextSpan(22, 55),
                      NOTE_TEXT.substring(22, 55),
                      0.8125))
              : List.of();
      out.add(
          new FindingExplanation(
              f.finding(),
              Optional.empty(),
              overlay,
              evidence,
              new ModalityContribution(
                  f.gateImage(),
                  f.gateNote(),
                  f.gateJoint(),
                  f.probability(),
                  p.mode() == Mode.IMAGE_AND_NOTE
                      ? OptionalDouble.of(f.probability() / 2)
                      : OptionalDouble.empty(),
                  p.mode() == Mode.IMAGE_AND_NOTE
                      ? OptionalDouble.of(f.probability() * 0.9)
                      : OptionalDouble.empty())));
    }
    return new Explanation(out, List.of());
  }

  /** A real PNG (a grey ramp), encoded by the JDK. */
  static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (x * 255) / width);
      }
    }
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
