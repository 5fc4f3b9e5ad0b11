package org.tandemcds.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * An analysed image instance, as the result objects refer to it: its header (patient, study and
 * instance attributes, read up to PixelData), from which the results copy the Patient and General
 * Study modules and take their references. Immutable once read; thread-safe.
 */
public final class ResultSource {
  private final AttributeList header;

  private ResultSource(AttributeList header) {
    this.header = header;
  }

  /**
   * Reads the header of the stored instance {@code file}.
   *
   * @throws CdsException {@code DICOM_NOT_READABLE} or {@code DICOM_TRUNCATED} when it cannot be
   *     read, {@code STORE_INVALID_KEY} when it lacks its StudyInstanceUID, SeriesInstanceUID,
   *     SOPClassUID or SOPInstanceUID
   */
  public static ResultSource read(Path file) {
    AttributeList header =
        DicomFiles.attributes(file, file.getFileName().toString(), TagFromName.PixelData);
    ResultSource source = new ResultSource(header);
    for (String uid :
        new String[] {
          source.studyInstanceUid(),
          source.seriesInstanceUid(),
          source.sopClassUid(),
          source.sopInstanceUid()
        }) {
      if (uid.isEmpty()) {
        throw new CdsException(
            ErrorCode.STORE_INVALID_KEY, file.getFileName() + ": a UID the results need is empty");
      }
    }
    return source;
  }

  public String studyInstanceUid() {
    return text(TagFromName.StudyInstanceUID);
  }

  public String seriesInstanceUid() {
    return text(TagFromName.SeriesInstanceUID);
  }

  public String sopClassUid() {
    return text(TagFromName.SOPClassUID);
  }

  public String sopInstanceUid() {
    return text(TagFromName.SOPInstanceUID);
  }

  AttributeList header() {
    return header;
  }

  private String text(com.pixelmed.dicom.AttributeTag tag) {
    return PixelModule.text(header, tag, "");
  }
}
