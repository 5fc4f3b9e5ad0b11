package org.tandemcds.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Identifier;

/**
 * What ingest needs from one DICOM Part 10 file before storing it: its UIDs, the patient's
 * identifier and the StudyDate, read from the header only (up to PixelData). The patient values are
 * for keys and pairing; never log them.
 *
 * @param studyDate {@code YYYYMMDD} as written, empty when absent
 * @param tandemResult whether it is one of Tandem's own result objects ({@link
 *     TandemResults#madeByTandem})
 */
public record InstanceHeader(
    String sopClassUid,
    String sopInstanceUid,
    String studyInstanceUid,
    String seriesInstanceUid,
    Identifier patientId,
    String studyDate,
    boolean tandemResult) {

  /**
   * Reads the header of {@code file}; {@code name} names it in errors.
   *
   * @throws CdsException {@link ErrorCode#DICOM_NOT_READABLE} (also when neither SOP UID is there),
   *     {@link ErrorCode#DICOM_TRUNCATED}, {@link ErrorCode#IO_FAILURE}; {@link
   *     ErrorCode#STORE_INVALID_KEY} when some UID is missing
   */
  public static InstanceHeader read(Path file, String name) {
    AttributeList header = DicomFiles.attributes(file, name, TagFromName.PixelData);
    InstanceHeader read =
        new InstanceHeader(
            text(header, TagFromName.SOPClassUID),
            text(header, TagFromName.SOPInstanceUID),
            text(header, TagFromName.StudyInstanceUID),
            text(header, TagFromName.SeriesInstanceUID),
            new Identifier(
                text(header, TagFromName.IssuerOfPatientID), text(header, TagFromName.PatientID)),
            text(header, TagFromName.StudyDate),
            TandemResults.madeByTandem(header));
    if (read.sopInstanceUid.isEmpty() && read.sopClassUid.isEmpty()) {
      throw new CdsException(
          ErrorCode.DICOM_NOT_READABLE, name + ": no SOP Class and no SOP Instance UID found");
    }
    if (read.sopInstanceUid.isEmpty()
        || read.studyInstanceUid.isEmpty()
        || read.seriesInstanceUid.isEmpty()
        || read.sopClassUid.isEmpty()) {
      throw new CdsException(
          ErrorCode.STORE_INVALID_KEY,
          name + ": SOP class, SOP instance, study or series UID missing");
    }
    return read;
  }

  private static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    return PixelModule.text(list, tag, "");
  }
}
