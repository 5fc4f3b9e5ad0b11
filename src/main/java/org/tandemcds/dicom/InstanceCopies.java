package org.tandemcds.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Copies of one instance under new SOPInstanceUIDs, same pixel values, written uncompressed
 * (explicit VR little endian: PixelMed decompresses on read), for load tests and benchmarks.
 * Stateless.
 */
public final class InstanceCopies {
  private static final String EXPLICIT_LE = TransferSyntax.ExplicitVRLittleEndian;

  private InstanceCopies() {}

  /** Writes {@code count} copies of {@code original} as {@code <folder>/<n>.dcm}. */
  public static List<Path> write(Path original, int count, Path folder) {
    try {
      Files.createDirectories(folder);
      AttributeList list = new AttributeList();
      list.read(original.toFile());
      list.removeGroupLengthAttributes();
      list.removeMetaInformationHeaderAttributes();
      List<Path> copies = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String uid = Uids.random();
        for (var tag :
            List.of(TagFromName.SOPInstanceUID, TagFromName.MediaStorageSOPInstanceUID)) {
          UniqueIdentifierAttribute a = new UniqueIdentifierAttribute(tag);
          a.addValue(uid);
          list.put(a);
        }
        Path copy = folder.resolve(i + ".dcm");
        FileMetaInformation.addFileMetaInformation(list, EXPLICIT_LE, "TANDEM");
        list.write(copy.toFile(), EXPLICIT_LE, true, true);
        copies.add(copy);
      }
      return copies;
    } catch (IOException | DicomException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, original.getFileName() + ": " + e, e);
    }
  }
}
