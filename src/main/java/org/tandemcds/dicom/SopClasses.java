package org.tandemcds.dicom;

import java.util.List;
import java.util.Optional;

/** The SOP classes that carry PixelData (or none) but are not images to analyse. */
final class SopClasses {
  private static final String STORAGE = "1.2.840.10008.5.1.4.1.1.";
  private static final List<String[]> NOT_IMAGES =
      List.of(
          new String[] {STORAGE + "88.", "a structured report or key object selection"},
          new String[] {STORAGE + "9.", "a waveform"},
          new String[] {STORAGE + "11.", "a presentation state"},
          new String[] {STORAGE + "66", "a segmentation, registration or raw data object"},
          new String[] {STORAGE + "104.", "an encapsulated document"},
          new String[] {STORAGE + "481.", "a radiotherapy object"},
          new String[] {"1.2.840.10008.1.3.10", "a media storage directory (DICOMDIR)"});
  private static final String RT_IMAGE = STORAGE + "481.1";

  private SopClasses() {}

  /** Why an object of this SOP class is not an image, or empty when it may be one. */
  static Optional<String> notAnImage(String sopClassUid) {
    if (RT_IMAGE.equals(sopClassUid)) {
      return Optional.empty();
    }
    return NOT_IMAGES.stream()
        .filter(entry -> sopClassUid.startsWith(entry[0]))
        .map(entry -> "SOPClassUID " + sopClassUid + " is " + entry[1])
        .findFirst();
  }
}
