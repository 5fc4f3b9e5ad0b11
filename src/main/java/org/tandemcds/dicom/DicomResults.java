package org.tandemcds.dicom;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FindingExplanation;
import org.tandemcds.domain.Overlay;

/**
 * The DICOM results of one analysis run for the PACS: one Secondary Capture per saliency overlay
 * (in one new series) and one Comprehensive SR with the findings (in another), all in the analysed
 * study. Stateless; thread-safe.
 */
public final class DicomResults {
  private final SecondaryCaptureWriter secondaryCaptures = new SecondaryCaptureWriter();
  private final StructuredReportWriter reports = new StructuredReportWriter();

  /**
   * Writes the results of {@code run} over the analysed instances {@code analysed} into {@code
   * folder}.
   *
   * @throws CdsException {@code INVALID_ARGUMENT} when no analysed instance is given or an overlay
   *     was rendered over an instance not among them
   */
  public List<ResultObject> write(
      AnalysisRun run, List<Path> analysed, Path folder, ZonedDateTime now) {
    List<ResultSource> sources = analysed.stream().map(ResultSource::read).toList();
    if (sources.isEmpty()) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "no analysed instance for the results");
    }
    ModelIdentity model = ModelIdentity.of(run.prediction());
    List<ResultObject> written = new ArrayList<>();
    ResultSeries overlays = ResultSeries.overlays(now);
    int number = 1;
    for (Overlay overlay : overlays(run)) {
      ResultSource source = sourceOf(overlay, sources);
      Path file = secondaryCaptures.write(overlay, source, model, overlays, number++, folder);
      written.add(object(file, source, SecondaryCaptureWriter.SECONDARY_CAPTURE));
    }
    Path report =
        reports.write(
            run.prediction(), run.explanation(), sources, ResultSeries.report(now), folder);
    written.add(object(report, sources.get(0), StructuredReportWriter.COMPREHENSIVE_SR));
    return written;
  }

  private static List<Overlay> overlays(AnalysisRun run) {
    return run.explanation().stream()
        .flatMap(e -> e.findings().stream())
        .map(FindingExplanation::overlay)
        .flatMap(Optional::stream)
        .toList();
  }

  private static ResultSource sourceOf(Overlay overlay, List<ResultSource> sources) {
    return sources.stream()
        .filter(s -> s.sopInstanceUid().equals(overlay.sopInstanceUid()))
        .findFirst()
        .orElseThrow(
            () ->
                new CdsException(
                    ErrorCode.INVALID_ARGUMENT, "an overlay's instance is not among the analysed"));
  }

  private static ResultObject object(Path file, ResultSource source, String sopClassUid) {
    String sop = file.getFileName().toString().replaceFirst("\\.dcm$", "");
    return new ResultObject(file, source.studyInstanceUid(), sop, sopClassUid);
  }
}
