package org.tandemcds.review;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tandemcds.dicom.DecodedImage;
import org.tandemcds.dicom.DicomImageReader;
import org.tandemcds.dicom.DisplayFrame;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.SaliencyMap;
import org.tandemcds.store.CaseView;
import org.tandemcds.store.CaseViews;
import org.tandemcds.store.StudyStore;

/**
 * What the review panel needs of a suggestion beyond the review API: its case view (kept when the
 * run is stored, next to {@link Suggestions#record}) and the analysed frame's display pixels, read
 * from the study store and kept for the last few cases opened.
 *
 * <p>Thread-safe. Errors: {@link ErrorCode#RESULT_NOT_FOUND} when the suggestion has no case view
 * or no image, the {@code DICOM_*} codes of {@link DicomImageReader#read}, and the store's.
 */
public final class PanelCases {
  private static final int FRAMES_KEPT = 4;

  private final CaseViews views;
  private final StudyStore studies;
  private final DicomImageReader reader;
  private final Map<String, DisplayFrame> frames =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DisplayFrame> eldest) {
          return size() > FRAMES_KEPT;
        }
      };

  public PanelCases(CaseViews views, StudyStore studies, DicomImageReader reader) {
    this.views = views;
    this.studies = studies;
    this.reader = reader;
  }

  /**
   * Keeps the case view of a stored suggestion: the image instance its saliency was computed on,
   * the worklist header and the explanation document with the notes' text.
   *
   * @param reportId the DiagnosticReport id {@link Suggestions#record} returned for {@code run}
   * @param study the analysed study, if any
   * @param notes the notes the run read (their text is what evidence spans index)
   */
  public void record(
      String reportId, AnalysisRun run, Optional<ImagingStudy> study, List<ClinicalNote> notes) {
    Optional<SaliencyMap> saliency =
        run.explanation().stream()
            .flatMap(e -> e.findings().stream())
            .map(FindingExplanation::saliency)
            .flatMap(Optional::stream)
            .findFirst();
    Optional<String> sop =
        saliency
            .map(SaliencyMap::sopInstanceUid)
            .or(
                () ->
                    study
                        .flatMap(s -> s.instances().stream().findFirst())
                        .map(i -> i.sopInstanceUid()));
    views.save(
        new CaseView(
            reportId,
            run.studyInstanceUid().isPresent() ? sop : Optional.empty(),
            saliency.map(SaliencyMap::frameNumber).orElse(1),
            study.map(s -> label(s)).orElse(""),
            study.map(ImagingStudy::studyDate).orElse(""),
            study.map(ImagingStudy::studyDescription).orElse(""),
            study.map(ImagingStudy::modality).orElse(""),
            CaseDocument.of(run, notes)));
  }

  private static String label(ImagingStudy study) {
    String name = study.patient().name().replace('^', ' ').trim();
    String id = study.patient().id();
    return name.isEmpty() ? id : id.isEmpty() ? name : name + " (" + id + ")";
  }

  /** The case view, or {@link ErrorCode#RESULT_NOT_FOUND}. */
  public CaseView view(String reportId) {
    return views
        .find(reportId)
        .orElseThrow(
            () ->
                new CdsException(
                    ErrorCode.RESULT_NOT_FOUND, "no case view for DiagnosticReport/" + reportId));
  }

  /** The case view if there is one (worklist rows of runs stored without it have none). */
  public Optional<CaseView> find(String reportId) {
    return views.find(reportId);
  }

  /** The analysed frame's display pixels, or {@link ErrorCode#RESULT_NOT_FOUND}. */
  public DisplayFrame frame(String reportId) {
    CaseView view = view(reportId);
    String sop =
        view.sopInstanceUid()
            .orElseThrow(
                () ->
                    new CdsException(
                        ErrorCode.RESULT_NOT_FOUND,
                        "DiagnosticReport/" + reportId + " was analysed without an image"));
    synchronized (frames) {
      DisplayFrame kept = frames.get(sop + "/" + view.frameNumber());
      if (kept != null) {
        return kept;
      }
    }
    DisplayFrame frame = read(sop, view.frameNumber());
    synchronized (frames) {
      frames.put(sop + "/" + view.frameNumber(), frame);
    }
    return frame;
  }

  private DisplayFrame read(String sop, int frameNumber) {
    var key =
        views
            .instance(sop)
            .orElseThrow(
                () ->
                    new CdsException(
                        ErrorCode.RESULT_NOT_FOUND,
                        "image instance " + sop + " is not in the study store"));
    DecodedImage image = reader.read(studies.path(key));
    if (frameNumber < 1 || frameNumber > image.frames().size()) {
      throw new CdsException(
          ErrorCode.RESULT_NOT_FOUND, "instance " + sop + " has no frame " + frameNumber);
    }
    return DisplayFrame.of(image, frameNumber - 1);
  }
}
