package org.tandemcds.deliver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.dicom.DicomResults;
import org.tandemcds.dicom.ResultObject;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.ImageInstance;
import org.tandemcds.service.ResultSink;
import org.tandemcds.store.StudyStore;

/**
 * Turns every finished analysis of a stored study into DICOM results for the PACS: a Secondary
 * Capture per saliency overlay and the Comprehensive SR ({@link DicomResults}), written over the
 * analysed instances as the study store holds them and queued in the persistent outbox for every
 * configured destination ({@link PacsDelivery#enqueue}); the background deliverer sends them. A
 * note-only run has no study and no DICOM results.
 *
 * <p>Thread-safe: each run writes into its own folder {@code <dataDir>/results/<runId>}, removed
 * once the outbox holds its own copies.
 */
public final class PacsResults implements ResultSink {
  private static final Logger log = LoggerFactory.getLogger(PacsResults.class);

  private final StudyStore studies;
  private final DicomResults results;
  private final PacsDelivery delivery;
  private final Path folder;
  private final Clock clock;

  public PacsResults(
      StudyStore studies, DicomResults results, PacsDelivery delivery, Path dataDir, Clock clock) {
    this.studies = studies;
    this.results = results;
    this.delivery = delivery;
    this.folder = dataDir.resolve("results");
    this.clock = clock;
  }

  /**
   * Writes and queues the results of {@code run}.
   *
   * @throws CdsException {@code STUDY_NOT_FOUND} when none of the analysed instances is stored,
   *     {@code IO_FAILURE} and the writers' and outbox's codes
   */
  @Override
  public void accept(long jobId, String runId, AnalysisRun run) {
    if (run.studyInstanceUid().isEmpty()) {
      return;
    }
    Path runFolder = folder.resolve(runId);
    try {
      List<ResultObject> objects =
          results.write(run, analysed(run), runFolder, ZonedDateTime.now(clock));
      delivery.enqueue(objects);
      log.info(
          "job {}: {} DICOM result object(s) of run {} queued for the PACS",
          jobId,
          objects.size(),
          runId);
    } finally {
      delete(runFolder);
    }
  }

  /** The stored files of the instances the run analysed (all of the study's when not known). */
  private List<Path> analysed(AnalysisRun run) {
    String study = run.studyInstanceUid().orElseThrow();
    Set<String> read =
        run.input().flatMap(CaseInput::study).stream()
            .flatMap(s -> s.instances().stream())
            .map(ImageInstance::sopInstanceUid)
            .collect(Collectors.toSet());
    List<Path> files =
        studies.instances(study).stream()
            .filter(key -> read.isEmpty() || read.contains(key.sopInstanceUid()))
            .map(studies::path)
            .toList();
    if (files.isEmpty()) {
      throw new CdsException(
          ErrorCode.STUDY_NOT_FOUND, "run " + run.runId() + ": no analysed instance is stored");
    }
    return files;
  }

  private static void delete(Path runFolder) {
    if (!Files.exists(runFolder)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(runFolder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot delete " + runFolder, e);
    }
  }
}
