package org.tandemcds.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
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
        issuerOfPatientId(list),
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

  /** (0040,0032) Universal Entity ID and (0040,0033) its type, inside the issuer qualifiers. */
  private static final AttributeTag UNIVERSAL_ENTITY_ID = new AttributeTag(0x0040, 0x0032);

  private static final AttributeTag UNIVERSAL_ENTITY_ID_TYPE = new AttributeTag(0x0040, 0x0033);

  /**
   * IssuerOfPatientID, completed from IssuerOfPatientIDQualifiersSequence when that names a
   * Universal Entity ID: then the issuer is given as an HL7 v2 HD ({@code
   * namespace&universalId&type}), the form DICOM's issuer attributes map to (PS3.3 C.7.1.1.1.1), so
   * that pairing can match it against a FHIR {@code urn:oid:} system.
   */
  private static String issuerOfPatientId(AttributeList list) {
    String namespace = s(list, TagFromName.IssuerOfPatientID);
    AttributeList qualifiers = firstItem(list, TagFromName.IssuerOfPatientIDQualifiersSequence);
    String universal = qualifiers == null ? "" : s(qualifiers, UNIVERSAL_ENTITY_ID);
    if (universal.isEmpty()) {
      return namespace;
    }
    return namespace + "&" + universal + "&" + s(qualifiers, UNIVERSAL_ENTITY_ID_TYPE);
  }

  private static AttributeList firstItem(AttributeList list, AttributeTag sequence) {
    if (list.get(sequence) instanceof SequenceAttribute items && items.getNumberOfItems() > 0) {
      return items.getItem(0).getAttributeList();
    }
    return null;
  }

  private static String s(AttributeList list, AttributeTag tag) {
    return PixelModule.text(list, tag, "");
  }
}
