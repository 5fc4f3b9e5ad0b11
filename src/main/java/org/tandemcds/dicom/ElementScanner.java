package org.tandemcds.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Walks the element headers of a DICOM Part-10 (or bare data set) file without reading any value,
 * so that no declared length larger than the bytes present ever reaches the toolkit's allocator.
 * Finds the transfer syntax and where PixelData is. Pure Java; not thread-safe (one per file).
 */
final class ElementScanner {
  static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  static final String DEFLATED_LE = "1.2.840.10008.1.2.1.99";
  static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";

  private static final long UNDEFINED = 0xFFFFFFFFL;
  private static final int PIXEL_DATA = 0x7FE00010;
  private static final int ITEM = 0xFFFEE000;
  private static final int ITEM_END = 0xFFFEE00D;
  private static final int SEQUENCE_END = 0xFFFEE0DD;
  private static final int MAX_DEPTH = 32;
  private static final Set<String> LONG_VRS =
      Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "UC", "UN", "UR", "UT", "SV", "UV");

  /**
   * What the scan found. {@code pixelDataLength} is -1 for encapsulated (undefined length); {@code
   * fragments} are read-only views of the encapsulated PixelData items in order (the Basic Offset
   * Table first), empty for native PixelData; {@code pixelDataOffset} is where the native PixelData
   * value starts in the file (-1 when encapsulated, absent, or the data set was deflated).
   */
  record Layout(
      String transferSyntaxUid,
      boolean hasPixelData,
      long pixelDataLength,
      List<ByteBuffer> fragments,
      long pixelDataOffset) {
    boolean encapsulated() {
      return hasPixelData && pixelDataLength < 0;
    }
  }

  private final String file;
  private final long maxInflatedBytes;
  private ByteBuffer buf;
  private boolean explicit;
  private long pixelDataLength = Long.MIN_VALUE;
  private long pixelDataOffset = -1;
  private final List<ByteBuffer> fragments = new ArrayList<>();
  private boolean inPixelData;

  ElementScanner(String file, long maxInflatedBytes) {
    this.file = file;
    this.maxInflatedBytes = maxInflatedBytes;
  }

  Layout scan(ByteBuffer content) {
    buf = content.order(ByteOrder.LITTLE_ENDIAN);
    String syntax = readMetaInformation();
    checkPlausibleStart();
    if (syntax.isEmpty()) {
      guessEncoding();
    } else {
      useSyntax(syntax);
    }
    walk(buf.position(), buf.limit(), 0, true);
    boolean found = pixelDataLength != Long.MIN_VALUE;
    long offset = DEFLATED_LE.equals(syntax) ? -1 : pixelDataOffset;
    return new Layout(syntax, found, found ? pixelDataLength : 0, List.copyOf(fragments), offset);
  }

  private String readMetaInformation() {
    int start = hasPreamble() ? 132 : 0;
    buf.position(start);
    String syntax = "";
    explicit = true;
    while (buf.remaining() >= 8 && buf.getShort(buf.position()) == 0x0002) {
      int tag = tagAt(buf.position());
      long length = header(buf.limit());
      if (length == UNDEFINED) {
        throw truncated("meta information element " + hex(tag) + " has undefined length");
      }
      if (tag == 0x00020010) {
        syntax = ascii(buf.position(), (int) length);
      }
      buf.position(buf.position() + (int) length);
    }
    if (syntax.isEmpty() && buf.position() > start) {
      // PS3.10 7.1: type 1 in the meta information. PixelMed would guess, and say so on stderr.
      throw new CdsException(
          ErrorCode.DICOM_NOT_READABLE,
          file + ": file meta information without TransferSyntaxUID (0002,0010)");
    }
    return syntax;
  }

  /**
   * Without the DICM prefix, the first data set element must be a file-meta, command or identifying
   * group.
   */
  private void checkPlausibleStart() {
    if (hasPreamble() || buf.position() > 0) {
      return;
    }
    int group = buf.limit() < 8 ? -1 : Short.toUnsignedInt(buf.getShort(0));
    if (group != 0x0008 && group != 0x0800 && group != 0x0004 && group != 0x0400) {
      throw new CdsException(
          ErrorCode.DICOM_NOT_READABLE,
          file + ": no DICM prefix and the first element is not a DICOM group 0002, 0004 or 0008");
    }
  }

  private boolean hasPreamble() {
    return buf.limit() >= 132
        && buf.get(128) == 'D'
        && buf.get(129) == 'I'
        && buf.get(130) == 'C'
        && buf.get(131) == 'M';
  }

  private void useSyntax(String syntax) {
    explicit = !IMPLICIT_LE.equals(syntax);
    if (EXPLICIT_BE.equals(syntax)) {
      buf.order(ByteOrder.BIG_ENDIAN);
    } else if (DEFLATED_LE.equals(syntax)) {
      buf = inflate(buf.slice()).order(ByteOrder.LITTLE_ENDIAN);
    }
    if (explicit && buf.remaining() >= 8 && !isVrLetters(buf.position() + 4)) {
      explicit = false; // the meta information says explicit VR, the data set is implicit
    }
  }

  /** No meta information (or no TransferSyntaxUID in it): guess as toolkits do. */
  private void guessEncoding() {
    int at = buf.position();
    if (buf.limit() - at < 8) {
      throw new CdsException(ErrorCode.DICOM_NOT_READABLE, file + ": too short to be DICOM");
    }
    int little = Short.toUnsignedInt(buf.getShort(at));
    int swapped = Short.toUnsignedInt(Short.reverseBytes(buf.getShort(at)));
    if (little > 0x00FF && swapped <= 0x00FF) {
      buf.order(ByteOrder.BIG_ENDIAN);
    }
    explicit = isVrLetters(at + 4);
  }

  private boolean isVrLetters(int at) {
    byte a = buf.get(at);
    byte b = buf.get(at + 1);
    return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
  }

  private ByteBuffer inflate(ByteBuffer deflated) {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(deflated);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[65536];
      while (!inflater.finished() && !inflater.needsInput()) {
        int n = inflater.inflate(chunk);
        out.write(chunk, 0, n);
        if (out.size() > maxInflatedBytes) {
          throw new CdsException(
              ErrorCode.DICOM_TOO_LARGE, file + ": deflated data set inflates past the limit");
        }
      }
      return ByteBuffer.wrap(out.toByteArray());
    } catch (DataFormatException e) {
      throw new CdsException(ErrorCode.DICOM_NOT_READABLE, file + ": bad deflate stream", e);
    } finally {
      inflater.end();
    }
  }

  /** Walks a data set (or an item's content) in [from, to); returns where it ended. */
  private int walk(int from, int to, int depth, boolean top) {
    if (depth > MAX_DEPTH) {
      throw new CdsException(ErrorCode.DICOM_NOT_READABLE, file + ": sequences nested too deep");
    }
    buf.position(from);
    while (buf.position() < to) {
      if (to - buf.position() < 8) {
        return trailing(to, top);
      }
      int tag = tagAt(buf.position());
      if (tag == ITEM_END) {
        buf.position(buf.position() + 8);
        return buf.position();
      }
      long length = header(to);
      element(tag, length, to, depth, top);
    }
    return buf.position();
  }

  private int trailing(int to, boolean top) {
    for (int i = buf.position(); i < to; i++) {
      if (buf.get(i) != 0 || !top) {
        throw truncated("element header cut off at offset " + buf.position());
      }
    }
    buf.position(to);
    return to;
  }

  private void element(int tag, long length, int to, int depth, boolean top) {
    int valueStart = buf.position();
    if (top && tag == PIXEL_DATA) {
      pixelDataLength = length == UNDEFINED ? -1 : length;
      pixelDataOffset = length == UNDEFINED ? -1 : valueStart;
    }
    if (length == UNDEFINED) {
      boolean wasExplicit = explicit;
      explicit = explicit && !lastVrWasUn;
      inPixelData = top && tag == PIXEL_DATA;
      buf.position(items(valueStart, to, depth + 1));
      inPixelData = false;
      explicit = wasExplicit;
      return;
    }
    if (length > to - valueStart) {
      throw truncated(
          "element "
              + hex(tag)
              + " declares "
              + length
              + " bytes but only "
              + (to - valueStart)
              + " remain");
    }
    int end = valueStart + (int) length;
    if (lastVrWasSq || (!explicit && startsWithItem(valueStart, end))) {
      items(valueStart, end, depth + 1);
    }
    buf.position(end);
  }

  private boolean startsWithItem(int at, int end) {
    return end - at >= 8 && tagAt(at) == ITEM;
  }

  /** Walks sequence items (or encapsulated fragments) until a sequence delimiter or {@code to}. */
  private int items(int from, int to, int depth) {
    buf.position(from);
    while (buf.position() < to) {
      if (to - buf.position() < 8) {
        throw truncated("item header cut off at offset " + buf.position());
      }
      int tag = tagAt(buf.position());
      long length = Integer.toUnsignedLong(buf.getInt(buf.position() + 4));
      buf.position(buf.position() + 8);
      if (tag == SEQUENCE_END) {
        return buf.position();
      }
      if (tag != ITEM) {
        throw new CdsException(
            ErrorCode.DICOM_NOT_READABLE, file + ": expected an item, found " + hex(tag));
      }
      item(length, to, depth);
    }
    return buf.position();
  }

  private void item(long length, int to, int depth) {
    int start = buf.position();
    if (length == UNDEFINED) {
      buf.position(walk(start, to, depth, false));
      return;
    }
    if (length > to - start) {
      throw truncated("item declares " + length + " bytes but only " + (to - start) + " remain");
    }
    if (inPixelData) {
      fragments.add(buf.slice(start, (int) length).asReadOnlyBuffer());
    }
    buf.position(start + (int) length);
  }

  private boolean lastVrWasSq;
  private boolean lastVrWasUn;

  /** Reads one element header at the current position and returns its value length. */
  private long header(int to) {
    int at = buf.position();
    lastVrWasSq = false;
    lastVrWasUn = false;
    if (!explicit || (tagAt(at) >>> 16) == 0xFFFE) {
      buf.position(at + 8);
      return Integer.toUnsignedLong(buf.getInt(at + 4));
    }
    String vr = ascii(at + 4, 2);
    lastVrWasSq = "SQ".equals(vr);
    lastVrWasUn = "UN".equals(vr);
    if (LONG_VRS.contains(vr)) {
      if (to - at < 12) {
        throw truncated("element header cut off at offset " + at);
      }
      buf.position(at + 12);
      return Integer.toUnsignedLong(buf.getInt(at + 8));
    }
    buf.position(at + 8);
    return Short.toUnsignedInt(buf.getShort(at + 6));
  }

  private int tagAt(int at) {
    int group = Short.toUnsignedInt(buf.getShort(at));
    int element = Short.toUnsignedInt(buf.getShort(at + 2));
    return (group << 16) | element;
  }

  private String ascii(int at, int length) {
    byte[] bytes = new byte[length];
    buf.get(at, bytes);
    return new String(bytes, StandardCharsets.US_ASCII).replace("\0", "").trim();
  }

  private CdsException truncated(String reason) {
    return new CdsException(ErrorCode.DICOM_TRUNCATED, file + ": " + reason);
  }

  private static String hex(int tag) {
    return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
  }
}
