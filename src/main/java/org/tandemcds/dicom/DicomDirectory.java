package org.tandemcds.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import java.nio.file.Path;
import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Reads a DICOMDIR (PS3.10 media storage directory) and lists the files its records reference.
 * Thread-safe: holds only its limits.
 */
public final class DicomDirectory {
  private final DicomLimits limits;

  public DicomDirectory(DicomLimits limits) {
    this.limits = limits;
  }

  /**
   * The files referenced by the DICOMDIR's records (ReferencedFileID resolved against the
   * DICOMDIR's folder), sorted; they are not checked for existence.
   *
   * @throws CdsException {@code INPUT_NOT_FOUND}, {@code IO_FAILURE}, {@code DICOM_TRUNCATED},
   *     {@code DICOM_NOT_READABLE} (also when the file is not a DICOMDIR, or when a
   *     ReferencedFileID leads outside the DICOMDIR's folder)
   */
  public List<Path> referencedFiles(Path dicomdir) {
    String name = dicomdir.toString();
    DicomFiles.scan(dicomdir, name, limits);
    AttributeList list = DicomFiles.attributes(dicomdir, name, null);
    Path folder = dicomdir.toAbsolutePath().getParent();
    try {
      com.pixelmed.dicom.DicomDirectory directory = new com.pixelmed.dicom.DicomDirectory(list);
      return directory.findAllContainedReferencedFileNames(folder.toString()).stream()
          .map(file -> inside(folder, file, name))
          .sorted()
          .toList();
    } catch (CdsException e) {
      throw e;
    } catch (DicomException | RuntimeException e) {
      throw new CdsException(
          ErrorCode.DICOM_NOT_READABLE, name + ": not a usable DICOMDIR: " + e, e);
    }
  }

  private static Path inside(Path folder, String file, String name) {
    Path path = Path.of(file).normalize();
    if (!path.startsWith(folder.normalize())) {
      throw new CdsException(
          ErrorCode.DICOM_NOT_READABLE,
          name + ": a ReferencedFileID leads outside the DICOMDIR's folder: " + path);
    }
    return path;
  }
}
