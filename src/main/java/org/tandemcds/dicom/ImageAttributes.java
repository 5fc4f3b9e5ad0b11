package org.tandemcds.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import java.util.List;

/** Copies the identifying attributes out of a PixelMed list into a {@link DecodedImage}. */
final class ImageAttributes {
  private ImageAttributes() {}

  static DecodedImage decoded(
      AttributeList list,
      PixelDescription pixels,
      List<short[]> frames,
      String syntax,
      String file) {
    return new DecodedImage(
        s(list, TagFromName.PatientID),
        s(list, TagFromName.IssuerOfPatientID),
        s(list, TagFromName.PatientName),
        s(list, TagFromName.PatientBirthDate),
        s(list, TagFromName.PatientSex),
        s(list, TagFromName.StudyInstanceUID),
        s(list, TagFromName.AccessionNumber),
        s(list, TagFromName.StudyDate),
        s(list, TagFromName.StudyDescription),
        s(list, TagFromName.SeriesInstanceUID),
        s(list, TagFromName.SeriesNumber),
        s(list, TagFromName.SeriesDescription),
        s(list, TagFromName.SOPInstanceUID),
        sopClass(list),
        s(list, TagFromName.InstanceNumber),
        s(list, TagFromName.Modality),
        s(list, TagFromName.ViewPosition),
        s(list, TagFromName.BodyPartExamined),
        spacing(list),
        syntax,
        pixels,
        frames,
        file);
  }

  /**
   * The pixel description as PixelMed decoded the data: a decompressed YBR image may have become
   * RGB, pixel-interleaved.
   */
  static PixelDescription afterDecompression(AttributeList list, PixelDescription p) {
    String photometric =
        list.getDecompressedPhotometricInterpretation(p.photometricInterpretation());
    if (photometric == null || photometric.equals(p.photometricInterpretation())) {
      return p;
    }
    return new PixelDescription(
        p.rows(),
        p.columns(),
        p.numberOfFrames(),
        p.samplesPerPixel(),
        0,
        photometric,
        p.bitsAllocated(),
        p.bitsStored(),
        p.highBit(),
        p.pixelRepresentation(),
        p.rescaleSlope(),
        p.rescaleIntercept(),
        p.windowCenters(),
        p.windowWidths(),
        p.voiLutFunction(),
        p.voiLut());
  }

  private static String sopClass(AttributeList list) {
    String uid = s(list, TagFromName.SOPClassUID);
    return uid.isEmpty() ? s(list, TagFromName.MediaStorageSOPClassUID) : uid;
  }

  private static String spacing(AttributeList list) {
    String spacing = PixelModule.delimited(list, TagFromName.PixelSpacing);
    return spacing.isEmpty()
        ? PixelModule.delimited(list, TagFromName.ImagerPixelSpacing)
        : spacing;
  }

  private static String s(AttributeList list, AttributeTag tag) {
    return PixelModule.text(list, tag, "");
  }
}
