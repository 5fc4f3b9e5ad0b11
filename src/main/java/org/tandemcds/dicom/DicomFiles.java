package org.tandemcds.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/** Guarded file access shared by the readers: length pre-scan, then PixelMed. */
final class DicomFiles {
  private DicomFiles() {}

  static ElementScanner.Layout scan(Path file, String name, DicomLimits limits) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > limits.maxFileBytes()) {
        throw new CdsException(
            ErrorCode.DICOM_TOO_LARGE,
            name + ": " + size + " bytes > limit " + limits.maxFileBytes());
      }
      ByteBuffer content = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
      return new ElementScanner(name, limits.maxFileBytes()).scan(content);
    } catch (NoSuchFileException e) {
      throw new CdsException(ErrorCode.INPUT_NOT_FOUND, name + ": no such file", e);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, name + ": " + e.getMessage(), e);
    }
  }

  /** Reads the attributes, up to {@code stopAt} when it is not null. */
  static AttributeList attributes(Path file, String name, AttributeTag stopAt) {
    AttributeList list = new AttributeList();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        DicomInputStream dicom = new DicomInputStream(in)) {
      if (stopAt == null) {
        list.read(dicom);
      } else {
        list.read(dicom, stopAt);
      }
      return list;
    } catch (EOFException e) {
      throw new CdsException(ErrorCode.DICOM_TRUNCATED, name + ": ends early", e);
    } catch (IOException | DicomException | RuntimeException e) {
      ErrorCode code =
          stopAt == null ? ErrorCode.DICOM_DECODE_FAILED : ErrorCode.DICOM_NOT_READABLE;
      throw new CdsException(code, name + ": " + e, e);
    }
  }
}
