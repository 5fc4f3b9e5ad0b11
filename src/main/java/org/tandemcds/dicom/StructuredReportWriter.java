package org.tandemcds.dicom;

import static org.tandemcds.dicom.ResultAttributes.code;
import static org.tandemcds.dicom.ResultAttributes.put;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.ContentItem;
import com.pixelmed.dicom.ContentItemFactory;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.SaliencyMap;

/**
 * Writes the findings of one analysis as a DICOM Comprehensive SR in the analysed study, shaped
 * like a TID 1500 Measurement Report: language, device observer context (TID 1001/1004: the model
 * as the observer, its Device UID), procedure reported, an Image Library of the analysed images,
 * and under Imaging Measurements one Measurement Group per finding with its tracking identifier and
 * UID, the finding (CODE), its calibrated probability and operating threshold (NUM), whether the
 * model suggests it (CODE present/absent), the algorithm (TID 4019) and the saliency region as a
 * closed POLYLINE SCOORD selected from the analysed image when there is one (otherwise the image as
 * source of measurement). Every document is PARTIAL and UNVERIFIED, says it is an AI suggestion and
 * names the model in the Contributing Equipment Sequence. Stateless; thread-safe.
 *
 * <p>Errors: {@code INVALID_ARGUMENT} without an analysed image; {@code IO_FAILURE} on write.
 */
public final class StructuredReportWriter {
  static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";
  static final String TANDEM_SCHEME = "99TANDEM";
  private static final String CONTAINS = "CONTAINS";
  private static final String HAS_CONCEPT_MOD = "HAS CONCEPT MOD";
  private static final String HAS_OBS_CONTEXT = "HAS OBS CONTEXT";

  /** Writes {@code <folder>/<SOPInstanceUID>.dcm} and returns its path. */
  public Path write(
      Prediction prediction,
      Optional<Explanation> explanation,
      List<ResultSource> sources,
      ResultSeries series,
      Path folder) {
    if (sources.isEmpty()) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "an SR needs the analysed image");
    }
    ModelIdentity model = ModelIdentity.of(prediction);
    try {
      AttributeList list =
          ResultAttributes.common(sources.get(0), series, model, "SR", COMPREHENSIVE_SR, 1);
      list.putAll(content(prediction, explanation, sources, model).getAttributeList());
      document(list, sources);
      return ResultAttributes.write(
          list, folder.resolve(ResultAttributes.sopInstanceUid(list) + ".dcm"));
    } catch (DicomException e) {
      throw new CdsException(ErrorCode.INTERNAL, "structured report content: " + e, e);
    }
  }

  /** SR Document General: flags, evidence, the empty Type 2 sequences. */
  private static void document(AttributeList list, List<ResultSource> sources)
      throws DicomException {
    put(list, TagFromName.CompletionFlag, "PARTIAL");
    put(list, TagFromName.VerificationFlag, "UNVERIFIED");
    list.put(new SequenceAttribute(TagFromName.PerformedProcedureCodeSequence));
    list.put(new SequenceAttribute(TagFromName.ReferencedPerformedProcedureStepSequence));
    list.put(evidence(sources));
  }

  /** Current Requested Procedure Evidence: study → series → the analysed instances. */
  private static SequenceAttribute evidence(List<ResultSource> sources) throws DicomException {
    AttributeList study = new AttributeList();
    put(study, TagFromName.StudyInstanceUID, sources.get(0).studyInstanceUid());
    SequenceAttribute seriesSequence = new SequenceAttribute(TagFromName.ReferencedSeriesSequence);
    for (String seriesUid :
        sources.stream().map(ResultSource::seriesInstanceUid).distinct().toList()) {
      AttributeList seriesItem = new AttributeList();
      put(seriesItem, TagFromName.SeriesInstanceUID, seriesUid);
      List<AttributeList> references = new ArrayList<>();
      for (ResultSource source : sources) {
        if (source.seriesInstanceUid().equals(seriesUid)) {
          references.add(ResultAttributes.reference(source));
        }
      }
      seriesItem.put(
          ResultAttributes.sequence(
              TagFromName.ReferencedSOPSequence, references.toArray(AttributeList[]::new)));
      seriesSequence.addItem(seriesItem);
    }
    study.put(seriesSequence);
    return ResultAttributes.sequence(TagFromName.CurrentRequestedProcedureEvidenceSequence, study);
  }

  private static StructuredReport content(
      Prediction prediction,
      Optional<Explanation> explanation,
      List<ResultSource> sources,
      ModelIdentity model)
      throws DicomException {
    ContentItemFactory f = new ContentItemFactory();
    ContentItem root =
        f.makeContainerContentItem(
            null, null, code("126000", "DCM", "Imaging Measurement Report"), true, "DCMR", "1500");
    f.makeCodeContentItem(
        root,
        HAS_CONCEPT_MOD,
        code("121049", "DCM", "Language of Content Item and Descendants"),
        code("en-US", "RFC5646", "English (United States)"));
    observer(f, root, model);
    f.makeCodeContentItem(
        root,
        HAS_CONCEPT_MOD,
        code("121058", "DCM", "Procedure reported"),
        code("363680008", "SCT", "Radiographic imaging procedure"));
    ContentItem library =
        f.makeContainerContentItem(root, CONTAINS, code("111028", "DCM", "Image Library"), true);
    ContentItem group =
        f.makeContainerContentItem(
            library, CONTAINS, code("126200", "DCM", "Image Library Group"), true);
    for (ResultSource source : sources) {
      image(f, group, null, source);
    }
    ContentItem measurements =
        f.makeContainerContentItem(
            root, CONTAINS, code("126010", "DCM", "Imaging Measurements"), true);
    for (FindingPrediction finding : prediction.findings()) {
      Optional<FindingExplanation> why = explanation.flatMap(e -> e.of(finding.finding()));
      measurementGroup(f, measurements, finding, why, sources, model);
    }
    f.makeTextContentItem(
        root, CONTAINS, code("121106", "DCM", "Comment"), ResultAttributes.AI_LABEL);
    return new StructuredReport(root);
  }

  /** TID 1002 Observer Context with a device observer (TID 1004): the model. */
  private static void observer(ContentItemFactory f, ContentItem root, ModelIdentity model)
      throws DicomException {
    f.makeCodeContentItem(
        root,
        HAS_OBS_CONTEXT,
        code("121005", "DCM", "Observer Type"),
        code("121007", "DCM", "Device"));
    f.makeUIDContentItem(
        root, HAS_OBS_CONTEXT, code("121012", "DCM", "Device Observer UID"), model.deviceUid());
    f.makeTextContentItem(
        root, HAS_OBS_CONTEXT, code("121013", "DCM", "Device Observer Name"), model.modelName());
    f.makeTextContentItem(
        root,
        HAS_OBS_CONTEXT,
        code("121014", "DCM", "Device Observer Manufacturer"),
        model.manufacturer());
    f.makeTextContentItem(
        root,
        HAS_OBS_CONTEXT,
        code("121015", "DCM", "Device Observer Model Name"),
        model.modelName() + " " + model.version());
  }

  private static void measurementGroup(
      ContentItemFactory f,
      ContentItem measurements,
      FindingPrediction finding,
      Optional<FindingExplanation> why,
      List<ResultSource> sources,
      ModelIdentity model)
      throws DicomException {
    ContentItem group =
        f.makeContainerContentItem(
            measurements, CONTAINS, code("125007", "DCM", "Measurement Group"), true);
    f.makeTextContentItem(
        group, HAS_OBS_CONTEXT, code("112039", "DCM", "Tracking Identifier"), finding.finding());
    f.makeUIDContentItem(
        group, HAS_OBS_CONTEXT, code("112040", "DCM", "Tracking Unique Identifier"), Uids.random());
    f.makeTextContentItem(
        group, HAS_CONCEPT_MOD, code("111001", "DCM", "Algorithm Name"), model.modelName());
    f.makeTextContentItem(
        group, HAS_CONCEPT_MOD, code("111003", "DCM", "Algorithm Version"), model.version());
    f.makeCodeContentItem(
        group, CONTAINS, code("121071", "DCM", "Finding"), findingCode(finding.finding()));
    f.makeNumericContentItem(
        group,
        CONTAINS,
        code("probability", TANDEM_SCHEME, "Calibrated probability of the finding"),
        decimal(finding.probability()),
        code("1", "UCUM", "no units"));
    f.makeNumericContentItem(
        group,
        CONTAINS,
        code("threshold", TANDEM_SCHEME, "Operating threshold of the model"),
        decimal(finding.threshold()),
        code("1", "UCUM", "no units"));
    f.makeCodeContentItem(
        group,
        CONTAINS,
        code("suggestion", TANDEM_SCHEME, "AI suggestion"),
        finding.positive() ? code("52101004", "SCT", "Present") : code("2667000", "SCT", "Absent"));
    Optional<SaliencyMap> saliency = why.flatMap(FindingExplanation::saliency);
    Optional<ResultSource> analysed = saliency.flatMap(s -> sourceOf(s.sopInstanceUid(), sources));
    if (saliency.isPresent() && saliency.get().region().isPresent() && analysed.isPresent()) {
      region(f, group, saliency.get().region().get(), analysed.get());
    } else {
      image(
          f,
          group,
          code("121112", "DCM", "Source of Measurement"),
          analysed.orElse(sources.get(0)));
    }
  }

  /** The region as a closed POLYLINE (column, row pairs; first point repeated last). */
  private static void region(
      ContentItemFactory f, ContentItem group, SaliencyMap.Region region, ResultSource source)
      throws DicomException {
    List<SaliencyMap.Point> points = region.contour();
    if (points.size() < 3) {
      points =
          List.of(
              new SaliencyMap.Point(region.left(), region.top()),
              new SaliencyMap.Point(region.left() + region.width(), region.top()),
              new SaliencyMap.Point(region.left() + region.width(), region.top() + region.height()),
              new SaliencyMap.Point(region.left(), region.top() + region.height()));
    }
    float[] data = new float[(points.size() + 1) * 2];
    for (int i = 0; i <= points.size(); i++) {
      SaliencyMap.Point p = points.get(i % points.size());
      data[2 * i] = p.column();
      data[2 * i + 1] = p.row();
    }
    ContentItem scoord =
        f.makeSpatialCoordinatesContentItem(
            group, CONTAINS, code("111030", "DCM", "Image Region"), "POLYLINE", data);
    image(f, scoord, null, source, "SELECTED FROM");
  }

  private static void image(
      ContentItemFactory f, ContentItem parent, CodedSequenceItem concept, ResultSource source)
      throws DicomException {
    image(f, parent, concept, source, CONTAINS);
  }

  private static void image(
      ContentItemFactory f,
      ContentItem parent,
      CodedSequenceItem concept,
      ResultSource source,
      String relationship)
      throws DicomException {
    f.makeImageContentItem(
        parent,
        relationship,
        concept,
        source.sopClassUid(),
        source.sopInstanceUid(),
        0,
        0,
        null,
        null,
        null,
        null);
  }

  private static Optional<ResultSource> sourceOf(String sopInstanceUid, List<ResultSource> all) {
    return all.stream().filter(s -> s.sopInstanceUid().equals(sopInstanceUid)).findFirst();
  }

  /** The finding as a code of Tandem's own scheme: {@code pleural_effusion}, "Pleural effusion". */
  static CodedSequenceItem findingCode(String finding) throws DicomException {
    String meaning = finding.replace('_', ' ');
    meaning = meaning.substring(0, 1).toUpperCase(Locale.ROOT) + meaning.substring(1);
    return code(finding, TANDEM_SCHEME, meaning);
  }

  /** A DS value: at most 16 characters, plain decimal. */
  static String decimal(double value) {
    return String.format(Locale.ROOT, "%.6f", value);
  }
}
