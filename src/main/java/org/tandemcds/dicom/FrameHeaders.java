package org.tandemcds.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Reads the size a compressed frame declares in its own header (JPEG SOF, JPEG 2000 SIZ) and checks
 * it against Rows, Columns, SamplesPerPixel and BitsAllocated before any decoder sees the frame,
 * because ImageIO decoders allocate their raster from that header. Pure Java, bounded: it reads
 * marker segments only, never more than the fragment holds. Stateless.
 */
final class FrameHeaders {
  /** What a frame header declares. */
  record Declared(String marker, int rows, int columns, int components, int precision) {}

  private static final int MAX_MARKER_SEGMENTS = 1024;
  private static final int JP2_SIGNATURE_BOX = 0x6A502020; // 'jP  '

  private FrameHeaders() {}

  /**
   * Checks every fragment that starts a JPEG or JPEG 2000 codestream (the first fragment after the
   * Basic Offset Table must); RLE and native data are not checked here.
   *
   * @throws CdsException {@code DICOM_PIXEL_DATA_INVALID} when a header declares more rows,
   *     columns, components or bits than the attributes, {@code DICOM_DECODE_FAILED} when the first
   *     frame has no readable SOF / SIZ or is a JP2 file rather than a codestream
   */
  static void check(List<ByteBuffer> fragments, PixelDescription p, String syntax, String file) {
    boolean jpeg2000 = syntax.startsWith("1.2.840.10008.1.2.4.9");
    boolean jpeg =
        syntax.startsWith("1.2.840.10008.1.2.4.5") || syntax.startsWith("1.2.840.10008.1.2.4.7");
    if (!jpeg && !jpeg2000) {
      return;
    }
    for (int i = 1; i < fragments.size(); i++) {
      ByteBuffer f = fragments.get(i).duplicate().order(ByteOrder.BIG_ENDIAN);
      if (jpeg2000 && i == 1) {
        refuseJp2File(f, file);
      }
      Optional<Declared> declared = jpeg2000 ? siz(f) : sof(f);
      if (declared.isPresent()) {
        compare(declared.get(), p, file, i);
      } else if (i == 1) {
        throw new CdsException(
            ErrorCode.DICOM_DECODE_FAILED,
            file + ": first fragment has no readable " + (jpeg2000 ? "J2K SIZ" : "JPEG SOF"));
      }
    }
  }

  /**
   * PS3.5 A.4.4 wants a bare J2K codestream in the fragments. Given a JP2 file instead (pydicom's
   * GDCMJ2K_TextGBR.dcm), the JAI reader returns values that differ from GDCM's decoding of the
   * same lossless stream by up to 60 levels on 6 % of the pixels, so it is refused rather than
   * decoded wrongly.
   */
  private static void refuseJp2File(ByteBuffer f, String file) {
    if (f.remaining() >= 8 && f.getInt(4) == JP2_SIGNATURE_BOX) {
      throw new CdsException(
          ErrorCode.DICOM_DECODE_FAILED,
          file + ": first fragment is a JP2 file, not a bare JPEG 2000 codestream");
    }
  }

  static void compare(Declared d, PixelDescription p, String file, int fragment) {
    boolean tooLarge =
        d.rows() > p.rows()
            || d.columns() > p.columns()
            || d.components() > p.samplesPerPixel()
            || d.precision() > p.bitsAllocated();
    if (d.rows() < 1 || d.columns() < 1 || d.components() < 1 || tooLarge) {
      throw PixelModule.invalid(
          file,
          String.format(
              "fragment %d %s declares %d × %d × %d components × %d bits; Rows %d, Columns %d,"
                  + " SamplesPerPixel %d, BitsAllocated %d",
              fragment,
              d.marker(),
              d.rows(),
              d.columns(),
              d.components(),
              d.precision(),
              p.rows(),
              p.columns(),
              p.samplesPerPixel(),
              p.bitsAllocated()));
    }
  }

  /** The first SOFn segment of a JPEG stream starting with SOI; empty when there is none. */
  static Optional<Declared> sof(ByteBuffer b) {
    if (b.remaining() < 4 || b.getShort(0) != (short) 0xFFD8) {
      return Optional.empty();
    }
    int at = 2;
    for (int n = 0; n < MAX_MARKER_SEGMENTS && at + 4 <= b.limit(); n++) {
      if ((b.get(at) & 0xFF) != 0xFF) {
        return Optional.empty();
      }
      int marker = b.get(at + 1) & 0xFF;
      if (marker == 0xFF) {
        at++; // fill byte
        continue;
      }
      int length = Short.toUnsignedInt(b.getShort(at + 2));
      if (isSof(marker)) {
        return at + 10 <= b.limit() ? Optional.of(sofAt(b, at, marker)) : Optional.empty();
      }
      if (marker == 0xDA || length < 2) {
        return Optional.empty(); // scan data before any frame header
      }
      at += 2 + length;
    }
    return Optional.empty();
  }

  private static boolean isSof(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  private static Declared sofAt(ByteBuffer b, int at, int marker) {
    return new Declared(
        String.format("JPEG SOF%d", marker - 0xC0),
        Short.toUnsignedInt(b.getShort(at + 5)),
        Short.toUnsignedInt(b.getShort(at + 7)),
        b.get(at + 9) & 0xFF,
        b.get(at + 4) & 0xFF);
  }

  /** The SIZ segment that must follow SOC in a JPEG 2000 codestream; empty when absent. */
  static Optional<Declared> siz(ByteBuffer b) {
    if (b.remaining() < 44 || b.getShort(0) != (short) 0xFF4F || b.getShort(2) != (short) 0xFF51) {
      return Optional.empty();
    }
    long columns = Integer.toUnsignedLong(b.getInt(8)) - Integer.toUnsignedLong(b.getInt(16));
    long rows = Integer.toUnsignedLong(b.getInt(12)) - Integer.toUnsignedLong(b.getInt(20));
    int components = Short.toUnsignedInt(b.getShort(40));
    int precision = components > 0 && b.remaining() > 42 ? (b.get(42) & 0x7F) + 1 : 0;
    return Optional.of(new Declared("J2K SIZ", clamp(rows), clamp(columns), components, precision));
  }

  private static int clamp(long value) {
    return (int) Math.max(-1, Math.min(Integer.MAX_VALUE, value));
  }
}
