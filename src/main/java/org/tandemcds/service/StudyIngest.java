package org.tandemcds.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.dicom.InstanceHeader;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.PatientKey;
import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.StoreResult;
import org.tandemcds.store.StudyStore;

/**
 * Takes one spooled DICOM Part 10 file (from STOW-RS) into the study store: reads its header, keys
 * it by its UIDs and a {@link PatientKey}, and stores it. Thread-safe.
 */
public final class StudyIngest {
  private static final Logger log = LoggerFactory.getLogger(StudyIngest.class);

  private final StudyStore store;

  public StudyIngest(StudyStore store) {
    this.store = store;
  }

  /**
   * What happened to one instance: its UIDs, the key it is stored under (with the pseudonymous
   * patient key) and the store's outcome.
   */
  public record Stored(InstanceHeader header, InstanceKey key, StoreResult result) {}

  /**
   * Stores the instance spooled in {@code file}; when {@code expectedStudy} is not null the
   * instance must belong to it ({@link ErrorCode#STUDY_MIXED}).
   *
   * @throws CdsException DICOM header errors, {@link ErrorCode#STORE_INVALID_KEY}, store errors
   */
  public Stored store(Path file, String name, String expectedStudy) {
    InstanceHeader header = InstanceHeader.read(file, name);
    if (expectedStudy != null && !expectedStudy.equals(header.studyInstanceUid())) {
      throw new CdsException(
          ErrorCode.STUDY_MIXED, name + ": StudyInstanceUID differs from the request path");
    }
    InstanceKey key =
        new InstanceKey(
            header.studyInstanceUid(),
            header.seriesInstanceUid(),
            header.sopInstanceUid(),
            PatientKey.of(header.patientId()).value());
    try (InputStream in = Files.newInputStream(file)) {
      StoreResult result = store.store(in, key, header.tandemResult());
      log.debug("{}: STOW-RS {}", header.sopInstanceUid(), result.outcome());
      return new Stored(header, key, result);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot read spool file of " + name, e);
    }
  }
}
