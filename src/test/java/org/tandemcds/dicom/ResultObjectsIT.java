package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.ModalityContribution;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Overlay;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.SaliencyMap;

/**
 * The Secondary Capture and Comprehensive SR Tandem sends to a PACS, checked by dicom3tools'
 * dciodvfy (0 errors), DCMTK's dsrdump, and read back value by value with PixelMed.
 */
class ResultObjectsIT {
  static final Path SOURCE = Path.of("sample-studies/study-000000/image.dcm");
  static final String SHA = "a".repeat(64);

  @TempDir Path dir;
  private final ZonedDateTime now = ZonedDateTime.of(2026, 11, 28, 5, 30, 0, 0, ZoneOffset.UTC);

  @Test
  void secondary_capture_is_valid_derived_from_the_analysed_image_and_names_the_model()
      throws Exception {
    ResultSource source = ResultSource.read(SOURCE);
    BufferedImage png = overlayImage(61, 47);
    Overlay overlay = new Overlay(encode(png), 47, 61, source.sopInstanceUid());
    ModelIdentity model = new ModelIdentity("Tandem CDS", "tandem-hybrid", "1.2.0", SHA);
    ResultSeries series = ResultSeries.overlays(now);

    Path file =
        new SecondaryCaptureWriter().write(overlay, source, model, series, 1, dir.resolve("sc"));

    assertThat(dciodvfyErrors(file)).isEmpty();
    AttributeList sc = read(file);
    assertThat(text(sc, TagFromName.SOPClassUID)).isEqualTo("1.2.840.10008.5.1.4.1.1.7");
    assertThat(text(sc, TagFromName.StudyInstanceUID)).isEqualTo(source.studyInstanceUid());
    assertThat(text(sc, TagFromName.SeriesInstanceUID))
        .isEqualTo(series.seriesInstanceUid())
        .isNotEqualTo(source.seriesInstanceUid());
    assertThat(text(sc, TagFromName.SeriesDescription))
        .contains("AI suggestion", "not for diagnosis");
    assertThat(Attribute.getDelimitedStringValuesOrEmptyString(sc, TagFromName.ImageType))
        .isEqualTo("DERIVED\\SECONDARY");
    assertThat(text(sc, TagFromName.BurnedInAnnotation)).isEqualTo("YES");
    assertThat(text(sc, TagFromName.PatientID)).isEqualTo("SYN5378704");
    AttributeList reference = item(sc, TagFromName.SourceImageSequence);
    assertThat(text(reference, TagFromName.ReferencedSOPInstanceUID))
        .isEqualTo(source.sopInstanceUid());
    assertThat(text(reference, TagFromName.ReferencedSOPClassUID)).isEqualTo(source.sopClassUid());
    assertContributingEquipment(sc, model);
    byte[] pixels = sc.get(TagFromName.PixelData).getByteValues();
    for (int[] p : new int[][] {{0, 0}, {60, 46}, {30, 20}, {7, 33}}) {
      int rgb = png.getRGB(p[0], p[1]);
      int i = (p[1] * 61 + p[0]) * 3;
      assertThat(new int[] {pixels[i] & 0xFF, pixels[i + 1] & 0xFF, pixels[i + 2] & 0xFF})
          .as("pixel %s", List.of(p[0], p[1]))
          .containsExactly((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
    }
  }

  @Test
  void structured_report_is_valid_readable_by_dsrdump_and_carries_each_finding() throws Exception {
    ResultSource source = ResultSource.read(SOURCE);
    Prediction prediction =
        new Prediction(
            List.of(
                new FindingPrediction("pleural_effusion", 0.8125, 0.42, true, 0.5, 0.2, 0.3),
                new FindingPrediction("pneumothorax", 0.0625, 0.35, false, 0.5, 0.2, 0.3)),
            Mode.IMAGE_AND_NOTE,
            "tandem-hybrid",
            "1.2.0",
            SHA);
    SaliencyMap.Region region =
        new SaliencyMap.Region(
            100,
            200,
            50,
            40,
            List.of(
                new SaliencyMap.Point(100, 200),
                new SaliencyMap.Point(150, 205),
                new SaliencyMap.Point(140, 240)));
    SaliencyMap map =
        new SaliencyMap(
            "grad-cam",
            source.sopInstanceUid(),
            1,
            1052,
            1024,
            2,
            2,
            new float[4],
            1.0,
            Optional.of(region));
    ModalityContribution contribution =
        new ModalityContribution(
            0.5, 0.2, 0.3, 0.8125, OptionalDouble.empty(), OptionalDouble.empty());
    Explanation explanation =
        new Explanation(
            List.of(
                new FindingExplanation(
                    "pleural_effusion",
                    Optional.of(map),
                    Optional.empty(),
                    List.of(),
                    contribution)),
            List.of());
    ResultSeries series = ResultSeries.report(now);

    Path file =
        new StructuredReportWriter()
            .write(prediction, Optional.of(explanation), List.of(source), series, dir);

    assertThat(dciodvfyErrors(file)).isEmpty();
    Tools.Result dump = Tools.run(List.of("dsrdump", file.toString()));
    assertThat(dump.exit()).as(dump.output()).isZero();
    assertThat(dump.output())
        .contains(
            "Comprehensive SR",
            "Imaging Measurement Report",
            "Pleural effusion",
            "0.812500",
            "0.420000",
            "POLYLINE",
            "AI-generated suggestion");
    assertThat(dump.output())
        .as("dsrdump found nothing to complain about")
        .doesNotContain("W: ", "E: ");
    AttributeList sr = read(file);
    assertThat(text(sr, TagFromName.StudyInstanceUID)).isEqualTo(source.studyInstanceUid());
    assertThat(text(sr, TagFromName.Modality)).isEqualTo("SR");
    assertThat(text(sr, TagFromName.CompletionFlag)).isEqualTo("PARTIAL");
    assertThat(text(sr, TagFromName.VerificationFlag)).isEqualTo("UNVERIFIED");
    assertContributingEquipment(sr, ModelIdentity.of(prediction));
    List<ContentItem> groups = groups(new StructuredReport(sr));
    assertThat(groups).hasSize(2);
    assertGroup(groups.get(0), "pleural_effusion", "0.812500", "0.420000", "52101004");
    assertGroup(groups.get(1), "pneumothorax", "0.062500", "0.350000", "2667000");
    ContentItem scoord = groups.get(0).getNamedChild("DCM", "111030");
    assertThat(scoord.getGraphicType()).isEqualTo("POLYLINE");
    assertThat(scoord.getGraphicData())
        .containsExactly(100f, 200f, 150f, 205f, 140f, 240f, 100f, 200f);
    assertThat(((ContentItem) scoord.getChildAt(0)).getReferencedSOPInstanceUID())
        .isEqualTo(source.sopInstanceUid());
    assertThat(groups.get(1).getNamedChild("DCM", "121112").getReferencedSOPInstanceUID())
        .as("without a region the analysed image is the source of measurement")
        .isEqualTo(source.sopInstanceUid());
  }

  @Test
  void device_uid_is_a_valid_uid_that_changes_with_the_model_and_only_then() {
    ModelIdentity a = new ModelIdentity("Tandem CDS", "m", "1", SHA);
    ModelIdentity sameFiles = new ModelIdentity("Tandem CDS", "m", "1", SHA);
    ModelIdentity retrained = new ModelIdentity("Tandem CDS", "m", "1", "b".repeat(64));
    assertThat(a.deviceUid()).isEqualTo(sameFiles.deviceUid()).isNotEqualTo(retrained.deviceUid());
    for (String uid : List.of(a.deviceUid(), retrained.deviceUid())) {
      assertThat(uid).hasSizeLessThanOrEqualTo(64).matches("2\\.25\\.(0|[1-9][0-9]*)");
    }
  }

  @Test
  void overlay_of_another_instance_is_refused() throws Exception {
    ResultSource source = ResultSource.read(SOURCE);
    Overlay elsewhere = new Overlay(encode(overlayImage(4, 4)), 4, 4, "1.2.3.4");
    ModelIdentity model = new ModelIdentity("Tandem CDS", "m", "1", SHA);
    assertThatThrownBy(
            () ->
                new SecondaryCaptureWriter()
                    .write(elsewhere, source, model, ResultSeries.overlays(now), 1, dir))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
  }

  private static void assertGroup(
      ContentItem group, String finding, String probability, String threshold, String present) {
    assertThat(group.getNamedChild("DCM", "112039").getConceptValue()).isEqualTo(finding);
    assertThat(group.getNamedChild("DCM", "121071").getConceptValue())
        .contains(finding.replace('_', ' ').substring(1));
    assertThat(numeric(group.getNamedChild("99TANDEM", "probability"))).isEqualTo(probability);
    assertThat(numeric(group.getNamedChild("99TANDEM", "threshold"))).isEqualTo(threshold);
    ContentItem suggestion = group.getNamedChild("99TANDEM", "suggestion");
    assertThat(ContentItemFactory_codeValue(suggestion)).isEqualTo(present);
  }

  private static String ContentItemFactory_codeValue(ContentItem item) {
    return ((com.pixelmed.dicom.ContentItemFactory.CodeContentItem) item)
        .getConceptCode()
        .getCodeValue();
  }

  private static String numeric(ContentItem item) {
    return ((com.pixelmed.dicom.ContentItemFactory.NumericContentItem) item).getNumericValue();
  }

  private static List<ContentItem> groups(StructuredReport report) {
    ContentItem root = (ContentItem) report.getRoot();
    ContentItem measurements = root.getNamedChild("DCM", "126010");
    List<ContentItem> groups = new ArrayList<>();
    for (int i = 0; i < measurements.getChildCount(); i++) {
      groups.add((ContentItem) measurements.getChildAt(i));
    }
    return groups;
  }

  static void assertContributingEquipment(AttributeList list, ModelIdentity model) {
    AttributeList equipment = item(list, TagFromName.ContributingEquipmentSequence);
    AttributeList purpose = item(equipment, TagFromName.PurposeOfReferenceCodeSequence);
    assertThat(text(purpose, TagFromName.CodeMeaning)).isEqualTo("Processing Algorithm");
    assertThat(text(equipment, TagFromName.Manufacturer)).isEqualTo(model.manufacturer());
    assertThat(text(equipment, TagFromName.ManufacturerModelName)).isEqualTo(model.modelName());
    assertThat(text(equipment, TagFromName.SoftwareVersions)).startsWith(model.version());
    assertThat(text(equipment, TagFromName.DeviceUID)).isEqualTo(model.deviceUid());
  }

  /** The lines dciodvfy reports as errors (warnings are allowed). */
  static List<String> dciodvfyErrors(Path file) {
    Tools.Result result = Tools.run(List.of("dciodvfy", file.toString()));
    List<String> errors = result.output().lines().filter(l -> l.startsWith("Error")).toList();
    assertThat(result.output()).as("dciodvfy ran").doesNotContain("not found");
    return errors;
  }

  static AttributeList read(Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.read(file.toFile());
    return list;
  }

  static AttributeList item(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    SequenceAttribute sequence = (SequenceAttribute) list.get(tag);
    assertThat(sequence).as(tag.toString()).isNotNull();
    assertThat(sequence.getNumberOfItems()).isEqualTo(1);
    return sequence.getItem(0).getAttributeList();
  }

  static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
  }

  static BufferedImage overlayImage(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, new Color((x * 4) % 256, (y * 5) % 256, (x * y) % 256).getRGB());
      }
    }
    return image;
  }

  static byte[] encode(BufferedImage image) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
