package org.tandemcds.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.util.Optional;
import java.util.Set;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/** Reads and checks the Image Pixel, Modality LUT and VOI LUT attributes of a PixelMed list. */
final class PixelModule {
  static final Set<String> MONOCHROME = Set.of("MONOCHROME1", "MONOCHROME2");
  static final Set<String> COLOUR =
      Set.of("RGB", "YBR_FULL", "YBR_FULL_422", "YBR_ICT", "YBR_RCT", "YBR_PARTIAL_420");

  private PixelModule() {}

  static PixelDescription describe(AttributeList list, String file) {
    int samples = integer(list, TagFromName.SamplesPerPixel, 1);
    int allocated = integer(list, TagFromName.BitsAllocated, 0);
    int stored = integer(list, TagFromName.BitsStored, allocated);
    double slope = number(list, TagFromName.RescaleSlope, 1);
    return new PixelDescription(
        integer(list, TagFromName.Rows, 0),
        integer(list, TagFromName.Columns, 0),
        Math.max(1, integer(list, TagFromName.NumberOfFrames, 1)),
        samples,
        integer(list, TagFromName.PlanarConfiguration, 0),
        photometric(list, samples),
        allocated,
        stored,
        integer(list, TagFromName.HighBit, stored - 1),
        integer(list, TagFromName.PixelRepresentation, 0),
        slope == 0 ? 1 : slope,
        number(list, TagFromName.RescaleIntercept, 0),
        numbers(list, TagFromName.WindowCenter),
        numbers(list, TagFromName.WindowWidth),
        text(list, TagFromName.VOILUTFunction, "LINEAR"),
        voiLut(list, file));
  }

  /** Checks what can be checked before any pixel value is read. */
  static void check(PixelDescription p, DicomLimits limits, String file) {
    if (p.rows() <= 0 || p.columns() <= 0) {
      throw invalid(file, "Rows " + p.rows() + " × Columns " + p.columns());
    }
    long pixels = (long) p.rows() * p.columns() * p.numberOfFrames();
    if (pixels > limits.maxPixels()) {
      throw new CdsException(
          ErrorCode.DICOM_TOO_LARGE,
          file
              + ": "
              + pixels
              + " pixels (Rows × Columns × NumberOfFrames) > limit "
              + limits.maxPixels());
    }
    if (p.bitsAllocated() != 8 && p.bitsAllocated() != 16) {
      throw new CdsException(
          ErrorCode.DICOM_UNSUPPORTED_BIT_DEPTH,
          file + ": BitsAllocated " + p.bitsAllocated() + " (8 or 16 are supported)");
    }
    if (p.bitsStored() < 1
        || p.bitsStored() > p.bitsAllocated()
        || p.highBit() < p.bitsStored() - 1
        || p.highBit() >= p.bitsAllocated()) {
      throw invalid(
          file,
          "BitsStored "
              + p.bitsStored()
              + ", HighBit "
              + p.highBit()
              + ", BitsAllocated "
              + p.bitsAllocated());
    }
    checkPhotometric(p, file);
  }

  private static void checkPhotometric(PixelDescription p, String file) {
    String pi = p.photometricInterpretation();
    boolean mono = MONOCHROME.contains(pi);
    if (!mono && !COLOUR.contains(pi)) {
      throw new CdsException(
          ErrorCode.DICOM_UNSUPPORTED_PHOTOMETRIC,
          file + ": PhotometricInterpretation '" + pi + "'");
    }
    if (p.samplesPerPixel() != (mono ? 1 : 3)) {
      throw invalid(file, "SamplesPerPixel " + p.samplesPerPixel() + " with " + pi);
    }
  }

  /** Bytes the native (uncompressed) PixelData must hold. */
  static long nativeBytes(PixelDescription p) {
    long perFrame = (long) p.rows() * p.columns() * p.samplesPerPixel();
    if ("YBR_FULL_422".equals(p.photometricInterpretation())) {
      perFrame = (long) p.rows() * p.columns() * 2;
    }
    return perFrame * p.numberOfFrames() * (p.bitsAllocated() / 8);
  }

  static CdsException invalid(String file, String reason) {
    return new CdsException(ErrorCode.DICOM_PIXEL_DATA_INVALID, file + ": " + reason);
  }

  private static String photometric(AttributeList list, int samples) {
    String pi = text(list, TagFromName.PhotometricInterpretation, "");
    return pi.isEmpty() && samples == 1 ? "MONOCHROME2" : pi;
  }

  private static Optional<VoiLut> voiLut(AttributeList list, String file) {
    Attribute sequence = list.get(TagFromName.VOILUTSequence);
    if (!(sequence instanceof SequenceAttribute items) || items.getNumberOfItems() == 0) {
      return Optional.empty();
    }
    AttributeList item = items.getItem(0).getAttributeList();
    int[] descriptor = Attribute.getIntegerValues(item, TagFromName.LUTDescriptor);
    int[] data = lutData(item.get(TagFromName.LUTData), file);
    if (descriptor == null || descriptor.length != 3 || data.length == 0) {
      throw invalid(file, "VOI LUT Sequence item without a 3-value LUT Descriptor and LUT Data");
    }
    int entries = descriptor[0] == 0 ? 65536 : descriptor[0] & 0xFFFF;
    if (data.length < entries || descriptor[2] < 1 || descriptor[2] > 16) {
      throw invalid(
          file, "VOI LUT Data has " + data.length + " entries, descriptor says " + entries);
    }
    return Optional.of(new VoiLut(entries, descriptor[1] & 0xFFFF, descriptor[2], data));
  }

  private static int[] lutData(Attribute attribute, String file) {
    if (attribute == null) {
      return new int[0];
    }
    try {
      short[] values = attribute.getShortValues();
      int[] data = new int[values == null ? 0 : values.length];
      for (int i = 0; i < data.length; i++) {
        data[i] = values[i] & 0xFFFF;
      }
      return data;
    } catch (DicomException e) {
      throw new CdsException(ErrorCode.DICOM_PIXEL_DATA_INVALID, file + ": LUT Data unreadable", e);
    }
  }

  private static int integer(
      AttributeList list, com.pixelmed.dicom.AttributeTag tag, int fallback) {
    return Attribute.getSingleIntegerValueOrDefault(list, tag, fallback);
  }

  private static double number(
      AttributeList list, com.pixelmed.dicom.AttributeTag tag, double fallback) {
    return Attribute.getSingleDoubleValueOrDefault(list, tag, fallback);
  }

  private static double[] numbers(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    double[] values = Attribute.getDoubleValues(list, tag);
    return values == null ? new double[0] : values;
  }

  static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String fallback) {
    String value = Attribute.getSingleStringValueOrDefault(list, tag, fallback).trim();
    return value.isEmpty() ? fallback : value;
  }

  static String delimited(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    return Attribute.getDelimitedStringValuesOrEmptyString(list, tag).trim();
  }
}
