package org.tandemcds.dicom;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The hot path for native little-endian 16-bit PixelData (the usual CR/DX file): the stored values
 * are copied straight from a read-only mapping of the file into one {@code short[]}, where the
 * {@link ElementScanner} found the value, instead of a second full read by PixelMed. The length was
 * checked against the file by the scanner and against Rows × Columns × NumberOfFrames by the
 * reader, so nothing larger than the file is allocated. Stateless.
 */
final class NativePixels {
  private NativePixels() {}

  /** True when the stored values can be taken from the file as they are. */
  static boolean applies(String syntax, PixelDescription p, ElementScanner.Layout layout) {
    boolean littleEndian =
        ElementScanner.EXPLICIT_LE.equals(syntax) || ElementScanner.IMPLICIT_LE.equals(syntax);
    return littleEndian && p.bitsAllocated() == 16 && layout.pixelDataOffset() >= 0;
  }

  /** The frames, {@code PixelModule.nativeBytes(p)} bytes read from the PixelData value. */
  static List<short[]> frames(Path file, ElementScanner.Layout layout, PixelDescription p) {
    long bytes = PixelModule.nativeBytes(p);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      MappedByteBuffer mapped =
          channel.map(FileChannel.MapMode.READ_ONLY, layout.pixelDataOffset(), bytes);
      short[] words = new short[(int) (bytes / 2)];
      mapped.order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(words);
      return StoredValues.frames(p, words);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, file + ": " + e.getMessage(), e);
    }
  }
}
