package org.tandemcds.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttributeMultipleCompressedFrames;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.samples.DicomImageSpec;

/**
 * Writes a synthetic single-frame grayscale image as a DICOM Part 10 file in the transfer syntax
 * the spec names: implicit or explicit VR little endian, deflated, explicit big endian, RLE
 * Lossless or JPEG Lossless Process 14 SV1 (both encoded here). Writes {@code file.part}, then
 * renames. Stateless; thread-safe.
 *
 * <p>Throws {@link CdsException} {@link ErrorCode#IO_FAILURE} when the file cannot be written,
 * {@link ErrorCode#INVALID_ARGUMENT} for an unknown attribute keyword or an unsupported syntax.
 */
public final class SyntheticImageWriter {
  private static final DicomDictionary DICTIONARY = DicomDictionary.StandardDictionary;
  private static final String SOURCE_AE = "TANDEM";

  public void write(DicomImageSpec spec, Path file) {
    Path part = file.resolveSibling(file.getFileName() + ".part");
    try {
      AttributeList list = attributes(spec);
      FileMetaInformation.addFileMetaInformation(list, spec.transferSyntaxUid(), SOURCE_AE);
      list.write(part.toFile(), spec.transferSyntaxUid(), true, true);
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | DicomException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private AttributeList attributes(DicomImageSpec spec) throws DicomException {
    AttributeList list = new AttributeList();
    Map<String, AttributeList> sequences = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(spec.attributes()).entrySet()) {
      String[] path = e.getKey().split("/");
      AttributeList target =
          path.length == 1 ? list : sequences.computeIfAbsent(path[0], k -> new AttributeList());
      put(target, path[path.length - 1], e.getValue());
    }
    for (Map.Entry<String, AttributeList> s : sequences.entrySet()) {
      SequenceAttribute seq = new SequenceAttribute(tag(s.getKey()));
      seq.addItem(s.getValue());
      list.put(seq);
    }
    put(list, "SOPClassUID", spec.sopClassUid());
    put(list, "SOPInstanceUID", spec.sopInstanceUid());
    pixelModule(list, spec);
    return list;
  }

  private void pixelModule(AttributeList list, DicomImageSpec spec) throws DicomException {
    put(list, "Rows", Integer.toString(spec.rows()));
    put(list, "Columns", Integer.toString(spec.columns()));
    put(list, "SamplesPerPixel", "1");
    put(list, "BitsAllocated", "16");
    put(list, "BitsStored", Integer.toString(spec.bitsStored()));
    put(list, "HighBit", Integer.toString(spec.bitsStored() - 1));
    put(list, "PixelRepresentation", "0");
    put(list, "PhotometricInterpretation", spec.photometricInterpretation());
    list.put(pixelData(spec));
  }

  private static Attribute pixelData(DicomImageSpec spec) throws DicomException {
    String ts = spec.transferSyntaxUid();
    if (ts.equals(TransferSyntax.RLE)) {
      return encapsulated(
          new RleLosslessEncoder().encode(spec.pixels(), spec.rows(), spec.columns()));
    }
    if (ts.equals(TransferSyntax.JPEGLosslessSV1)) {
      return encapsulated(
          new JpegLosslessEncoder()
              .encode(spec.pixels(), spec.rows(), spec.columns(), spec.bitsStored()));
    }
    if (!new TransferSyntax(ts).isNotEncapsulated()) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "transfer syntax " + ts + " not written");
    }
    OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
    pixels.setValues(spec.pixels());
    return pixels;
  }

  /** Encapsulated PixelData: an empty Basic Offset Table item, then one fragment (the frame). */
  private static Attribute encapsulated(byte[] frame) throws DicomException {
    return new OtherByteAttributeMultipleCompressedFrames(
        TagFromName.PixelData, new byte[][] {frame});
  }

  private static void put(AttributeList list, String keyword, String value) throws DicomException {
    Attribute a = AttributeFactory.newAttribute(tag(keyword));
    if (!value.isEmpty()) {
      for (String v : value.split("\\\\", -1)) {
        a.addValue(v);
      }
    }
    list.put(a);
  }

  private static AttributeTag tag(String keyword) {
    AttributeTag t = DICTIONARY.getTagFromName(keyword);
    if (t == null) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "unknown DICOM keyword " + keyword);
    }
    return t;
  }
}
