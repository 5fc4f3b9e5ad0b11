package org.tandemcds.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

/**
 * Recognises Tandem's own result objects when a PACS sends them back (ADR 0014): an instance is
 * Tandem's when its Contributing Equipment Sequence has an item with purpose "Processing Algorithm"
 * (99IHE Newcode1, as {@link ResultAttributes} writes it) whose Manufacturer is {@value
 * ModelIdentity#MANUFACTURER}. The SOP class alone cannot tell: a site may send a digitised film as
 * a Secondary Capture for analysis, and another vendor's AI results carry another manufacturer.
 * Stateless; thread-safe.
 */
final class TandemResults {
  private static final String PROCESSING_ALGORITHM = "Newcode1";
  private static final String IHE_SCHEME = "99IHE";

  private TandemResults() {}

  /** Whether the header {@code header} is that of an object Tandem made. */
  static boolean madeByTandem(AttributeList header) {
    Attribute equipment = header.get(TagFromName.ContributingEquipmentSequence);
    if (!(equipment instanceof SequenceAttribute sequence)) {
      return false;
    }
    for (int i = 0; i < sequence.getNumberOfItems(); i++) {
      AttributeList item = sequence.getItem(i).getAttributeList();
      if (ModelIdentity.MANUFACTURER.equals(text(item, TagFromName.Manufacturer))
          && processingAlgorithm(item)) {
        return true;
      }
    }
    return false;
  }

  private static boolean processingAlgorithm(AttributeList equipment) {
    Attribute purpose = equipment.get(TagFromName.PurposeOfReferenceCodeSequence);
    if (!(purpose instanceof SequenceAttribute codes)) {
      return false;
    }
    for (int i = 0; i < codes.getNumberOfItems(); i++) {
      AttributeList code = codes.getItem(i).getAttributeList();
      if (PROCESSING_ALGORITHM.equals(text(code, TagFromName.CodeValue))
          && IHE_SCHEME.equals(text(code, TagFromName.CodingSchemeDesignator))) {
        return true;
      }
    }
    return false;
  }

  private static String text(AttributeList list, com.pixelmed.dicom.AttributeTag tag) {
    return PixelModule.text(list, tag, "");
  }
}
