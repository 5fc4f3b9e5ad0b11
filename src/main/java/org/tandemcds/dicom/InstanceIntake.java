package org.tandemcds.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Identifier;
import org.tandemcds.domain.PatientKey;
import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.StoreResult;
import org.tandemcds.store.StudyStore;

/**
 * Takes one spooled C-STORE data set into the study store and says which DIMSE status to answer:
 * walks every element header to the end (a data set cut short, PixelData included, is {@code
 * DICOM_TRUNCATED}), reads the header (up to PixelData), checks that SOPClassUID and SOPInstanceUID
 * are those of the command, keys it by its UIDs and a {@link PatientKey}, streams it into the
 * {@link StudyStore} (flagged when it is one of Tandem's own results, {@link TandemResults}) and
 * tells the {@link InstanceReceived} listener. Thread-safe (holds only thread-safe collaborators).
 */
final class InstanceIntake {
  private static final Logger log = LoggerFactory.getLogger(InstanceIntake.class);

  private final StudyStore store;
  private final InstanceReceived listener;
  private final DicomLimits limits;

  InstanceIntake(StudyStore store, InstanceReceived listener, long maxInstanceBytes) {
    this.store = store;
    this.listener = listener;
    this.limits = new DicomLimits(maxInstanceBytes, Long.MAX_VALUE);
  }

  /** The status for a C-STORE-RQ of {@code sopClassUid}/{@code sopInstanceUid} spooled in file. */
  int take(Path file, String sopClassUid, String sopInstanceUid, String callingAe) {
    try {
      AttributeList header = headerOf(file, sopClassUid, sopInstanceUid);
      InstanceKey key = keyOf(header, sopInstanceUid);
      StoreResult result = stored(file, key, TandemResults.madeByTandem(header));
      tell(key, result, callingAe);
      return result.outcome() == StoreResult.Outcome.CONFLICT
          ? DimseStatus.DUPLICATE_SOP_INSTANCE
          : DimseStatus.SUCCESS;
    } catch (CdsException e) {
      log.warn("{}: C-STORE-RQ from {} failed: {}", sopInstanceUid, callingAe, e.getMessage());
      return statusFor(e.code());
    }
  }

  /** The DIMSE status that tells the sender what went wrong. */
  static int statusFor(ErrorCode code) {
    return switch (code) {
      case DICOM_NOT_READABLE, DICOM_TRUNCATED, DICOM_DECODE_FAILED ->
          DimseStatus.CANNOT_UNDERSTAND;
      case STORE_INVALID_KEY, DICOM_NOT_AN_IMAGE -> DimseStatus.DATA_SET_DOES_NOT_MATCH;
      default -> DimseStatus.OUT_OF_RESOURCES;
    };
  }

  private AttributeList headerOf(Path file, String sopClassUid, String sopInstanceUid) {
    DicomFiles.scan(file, "C-STORE " + sopInstanceUid, limits);
    AttributeList header =
        DicomFiles.attributes(file, "C-STORE " + sopInstanceUid, TagFromName.PixelData);
    requireEqual(header, TagFromName.SOPClassUID, sopClassUid, "SOPClassUID");
    requireEqual(header, TagFromName.SOPInstanceUID, sopInstanceUid, "SOPInstanceUID");
    return header;
  }

  private static InstanceKey keyOf(AttributeList header, String sopInstanceUid) {
    return new InstanceKey(
        text(header, TagFromName.StudyInstanceUID),
        text(header, TagFromName.SeriesInstanceUID),
        sopInstanceUid,
        patientKey(header));
  }

  private static void requireEqual(
      AttributeList header, com.pixelmed.dicom.AttributeTag tag, String expected, String name) {
    if (!expected.equals(text(header, tag))) {
      throw new CdsException(
          ErrorCode.STORE_INVALID_KEY, name + " of the data set differs from the C-STORE-RQ");
    }
  }

  private static String patientKey(AttributeList header) {
    Identifier id =
        new Identifier(
            text(header, TagFromName.IssuerOfPatientID), text(header, TagFromName.PatientID));
    return PatientKey.of(id).value();
  }

  private StoreResult stored(Path file, InstanceKey key, boolean tandemResult) {
    try (InputStream in = Files.newInputStream(file)) {
      return store.store(in, key, tandemResult);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot read spool file " + file, e);
    }
  }

  private void tell(InstanceKey key, StoreResult result, String callingAe) {
    try {
      listener.instanceReceived(key, result, callingAe);
    } catch (RuntimeException e) {
      log.error("{}: listener failed after M-WRITE {}", key.sopInstanceUid(), result.outcome(), e);
    }
  }

  private static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    return PixelModule.text(list, tag, "");
  }
}
