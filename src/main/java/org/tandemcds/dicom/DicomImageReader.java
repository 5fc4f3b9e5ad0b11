package org.tandemcds.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Reads one DICOM file (Part 10, or a bare data set) into a {@link DecodedImage}, with PixelMed.
 *
 * <p>Order of work, so that nothing is allocated from an untrusted length: (1) the file size is
 * checked against {@link DicomLimits#maxFileBytes()}; (2) every element header is walked and each
 * declared length checked against the bytes present ({@code DICOM_TRUNCATED}); (3) the attributes
 * up to PixelData are read and checked: an image at all ({@code DICOM_NOT_AN_IMAGE}), Rows ×
 * Columns × NumberOfFrames against {@link DicomLimits#maxPixels()} ({@code DICOM_TOO_LARGE}), bit
 * depth ({@code DICOM_UNSUPPORTED_BIT_DEPTH}), photometric interpretation ({@code
 * DICOM_UNSUPPORTED_PHOTOMETRIC}), transfer syntax ({@code DICOM_UNSUPPORTED_TRANSFER_SYNTAX}) and
 * native PixelData length ({@code DICOM_PIXEL_DATA_INVALID}), and the size each compressed frame
 * declares in its own JPEG SOF or JPEG 2000 SIZ header against Rows, Columns, SamplesPerPixel and
 * BitsAllocated ({@code DICOM_PIXEL_DATA_INVALID}; no readable header in the first frame: {@code
 * DICOM_DECODE_FAILED}); (4) only then are the pixels read: native little-endian 16-bit values
 * straight from the file ({@link NativePixels}), greyscale JPEG Lossless and RLE Lossless decoded
 * here from the file's fragments ({@link CompressedPixels}), anything else by reading the whole
 * object with PixelMed and, when compressed, decoding it ({@code DICOM_DECODE_FAILED}).
 *
 * <p>Colour images (RGB, YBR_*) are accepted and reduced to luminance; PALETTE COLOR and other
 * photometric interpretations are refused. Thread-safe: holds only its limits.
 */
public final class DicomImageReader {
  private final DicomLimits limits;

  public DicomImageReader(DicomLimits limits) {
    this.limits = limits;
  }

  /**
   * Reads one image instance.
   *
   * @throws CdsException {@code INPUT_NOT_FOUND}, {@code IO_FAILURE}, or one of the {@code DICOM_*}
   *     codes, the detail naming the file and the reason
   */
  public DecodedImage read(Path file) {
    String name = file.toString();
    ElementScanner.Layout layout = DicomFiles.scan(file, name, limits);
    AttributeList header = DicomFiles.attributes(file, name, TagFromName.PixelData);
    checkIsImage(header, layout, name);
    PixelDescription pixels = PixelModule.describe(header, name);
    PixelModule.check(pixels, limits, name);
    String syntax = syntaxOf(layout, header);
    TransferSyntaxes.checkDecodable(syntax, pixels, name);
    checkPixelDataLength(pixels, layout, syntax, name);
    FrameHeaders.check(layout.fragments(), pixels, syntax, name);
    if (NativePixels.applies(syntax, pixels, layout)) {
      List<short[]> frames = NativePixels.frames(file, layout, pixels);
      return ImageAttributes.decoded(header, pixels, frames, syntax, name);
    }
    Optional<List<short[]>> decodedHere = CompressedPixels.frames(syntax, pixels, layout, name);
    if (decodedHere.isPresent()) {
      return ImageAttributes.decoded(header, pixels, decodedHere.get(), syntax, name);
    }
    AttributeList full = DicomFiles.attributes(file, name, null);
    PixelDescription decoded = ImageAttributes.afterDecompression(full, pixels);
    return ImageAttributes.decoded(
        full, decoded, frames(full, decoded, syntax, name), syntax, name);
  }

  private static void checkIsImage(
      AttributeList header, ElementScanner.Layout layout, String name) {
    String sopClass = PixelModule.text(header, TagFromName.SOPClassUID, "");
    if (sopClass.isEmpty()) {
      sopClass = PixelModule.text(header, TagFromName.MediaStorageSOPClassUID, "");
    }
    SopClasses.notAnImage(sopClass)
        .ifPresent(
            reason -> {
              throw new CdsException(ErrorCode.DICOM_NOT_AN_IMAGE, name + ": " + reason);
            });
    if (!layout.hasPixelData()) {
      throw new CdsException(ErrorCode.DICOM_NOT_AN_IMAGE, name + ": no PixelData (7FE0,0010)");
    }
  }

  private static String syntaxOf(ElementScanner.Layout layout, AttributeList header) {
    if (!layout.transferSyntaxUid().isEmpty()) {
      return layout.transferSyntaxUid();
    }
    String meta = PixelModule.text(header, TagFromName.TransferSyntaxUID, "");
    return meta.isEmpty() ? guessedSyntax(header) : meta;
  }

  /** A bare data set: PixelMed guessed how to read it; name that syntax. */
  private static String guessedSyntax(AttributeList header) {
    Attribute any = header.values().iterator().next();
    boolean explicitVr = any.getVR() != null && any.getVR().length == 2;
    return explicitVr ? ElementScanner.EXPLICIT_LE : ElementScanner.IMPLICIT_LE;
  }

  private static void checkPixelDataLength(
      PixelDescription p, ElementScanner.Layout layout, String syntax, String name) {
    boolean encapsulatedSyntax = TransferSyntaxes.isEncapsulated(syntax);
    if (encapsulatedSyntax != layout.encapsulated()) {
      throw PixelModule.invalid(
          name,
          "PixelData "
              + (layout.encapsulated() ? "is" : "is not")
              + " encapsulated, but transfer syntax is "
              + syntax);
    }
    long needed = PixelModule.nativeBytes(p);
    if (!encapsulatedSyntax && layout.pixelDataLength() < needed) {
      throw PixelModule.invalid(
          name,
          "PixelData holds " + layout.pixelDataLength() + " bytes, the image needs " + needed);
    }
  }

  private static List<short[]> frames(
      AttributeList list, PixelDescription p, String syntax, String name) {
    Attribute pixelData = list.getPixelData();
    long needed = PixelModule.nativeBytes(p) / (p.bitsAllocated() / 8);
    try {
      if (p.bitsAllocated() == 16) {
        short[] words = pixelData.getShortValues();
        checkCount(words == null ? 0 : words.length, needed, syntax, name);
        return StoredValues.frames(p, words);
      }
      byte[] bytes = bytesOf(pixelData);
      checkCount(bytes == null ? 0 : bytes.length, needed, syntax, name);
      return StoredValues.frames(p, bytes);
    } catch (CdsException e) {
      throw e;
    } catch (DicomException | RuntimeException e) {
      throw new CdsException(ErrorCode.DICOM_DECODE_FAILED, name + " (" + syntax + "): " + e, e);
    }
  }

  /**
   * 8-bit samples, also when PixelData was written as OW (two samples per word, low byte first).
   */
  private static byte[] bytesOf(Attribute pixelData) throws DicomException {
    if (!(pixelData instanceof OtherWordAttribute)) {
      return pixelData.getByteValues();
    }
    short[] words = pixelData.getShortValues();
    byte[] bytes = new byte[words.length * 2];
    for (int i = 0; i < words.length; i++) {
      bytes[2 * i] = (byte) words[i];
      bytes[2 * i + 1] = (byte) (words[i] >> 8);
    }
    return bytes;
  }

  private static void checkCount(long have, long needed, String syntax, String name) {
    if (have < needed) {
      ErrorCode code =
          TransferSyntaxes.isEncapsulated(syntax)
              ? ErrorCode.DICOM_DECODE_FAILED
              : ErrorCode.DICOM_PIXEL_DATA_INVALID;
      throw new CdsException(
          code, name + ": decoded " + have + " samples, the image needs " + needed);
    }
  }
}
