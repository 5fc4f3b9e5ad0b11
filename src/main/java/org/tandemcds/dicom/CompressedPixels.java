package org.tandemcds.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fast path for greyscale JPEG Lossless (Process 14, transfer syntaxes .57 and .70) and RLE
 * Lossless: the fragments the {@link ElementScanner} found in the mapped file are decoded here by
 * {@link JpegLosslessDecoder} and {@link RleLosslessDecoder} straight into the frames, so PixelMed
 * only parses the header. Colour, other bit depths and fragment layouts that do not say which
 * fragments make a frame are left to PixelMed (empty result). Stateless.
 */
final class CompressedPixels {
  static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
  static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
  static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

  private CompressedPixels() {}

  /**
   * The decoded frames ({@code rows × columns} stored values each), or empty when this syntax,
   * colour model, bit depth or fragment layout is not handled here.
   *
   * @throws org.tandemcds.domain.CdsException {@code DICOM_DECODE_FAILED} for a corrupt stream
   */
  static Optional<List<short[]>> frames(
      String syntax, PixelDescription p, ElementScanner.Layout layout, String file) {
    boolean jpeg = JPEG_LOSSLESS.equals(syntax) || JPEG_LOSSLESS_SV1.equals(syntax);
    boolean rle = RLE_LOSSLESS.equals(syntax);
    boolean greyscale = p.samplesPerPixel() == 1;
    boolean depth = p.bitsAllocated() == 8 || p.bitsAllocated() == 16;
    if (!(jpeg || rle) || !greyscale || !depth) {
      return Optional.empty();
    }
    return perFrame(layout.fragments(), p.numberOfFrames())
        .map(frames -> decodeAll(frames, p, jpeg, file));
  }

  private static List<short[]> decodeAll(
      List<ByteBuffer> frames, PixelDescription p, boolean jpeg, String file) {
    List<short[]> out = new ArrayList<>(frames.size());
    for (ByteBuffer frame : frames) {
      short[] values = new short[p.rows() * p.columns()];
      if (jpeg) {
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        new JpegLosslessDecoder(file).decode(bytes, values, p.rows(), p.columns());
      } else {
        RleLosslessDecoder.decode(frame, values, p.bitsAllocated(), file);
      }
      out.add(values);
    }
    return out;
  }

  /**
   * Each frame's bytes (its fragments joined): all fragments for one frame, one fragment per frame
   * when the counts agree, else as the Basic Offset Table groups them; empty when none of these
   * applies.
   */
  static Optional<List<ByteBuffer>> perFrame(List<ByteBuffer> fragments, int frames) {
    List<ByteBuffer> items = fragments.subList(Math.min(1, fragments.size()), fragments.size());
    if (items.isEmpty()) {
      return Optional.empty();
    }
    if (frames == 1) {
      return Optional.of(List.of(joined(items)));
    }
    if (items.size() == frames) {
      return Optional.of(items);
    }
    return byOffsetTable(fragments.get(0), items, frames);
  }

  /** Groups items by the Basic Offset Table (offsets from the first item's tag, PS3.5 A.4). */
  private static Optional<List<ByteBuffer>> byOffsetTable(
      ByteBuffer table, List<ByteBuffer> items, int frames) {
    if (table.remaining() != 4L * frames) {
      return Optional.empty();
    }
    ByteBuffer offsets = table.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    List<ByteBuffer> out = new ArrayList<>(frames);
    long itemStart = 0;
    int first = 0;
    for (int i = 0; i <= items.size(); i++) {
      boolean frameStarts = i == items.size() || startsFrame(offsets, out.size() + 1, itemStart);
      if (frameStarts && i > first) {
        out.add(joined(items.subList(first, i)));
        first = i;
      }
      itemStart += i < items.size() ? 8L + items.get(i).remaining() : 0;
    }
    return out.size() == frames ? Optional.of(out) : Optional.empty();
  }

  private static boolean startsFrame(ByteBuffer offsets, int frame, long itemStart) {
    int at = offsets.position() + 4 * frame;
    return at + 4 <= offsets.limit() && Integer.toUnsignedLong(offsets.getInt(at)) == itemStart;
  }

  private static ByteBuffer joined(List<ByteBuffer> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    int size = 0;
    for (ByteBuffer b : items) {
      size += b.remaining();
    }
    ByteBuffer all = ByteBuffer.allocate(size);
    for (ByteBuffer b : items) {
      all.put(b.duplicate());
    }
    return all.flip();
  }
}
