package org.tandemcds.dicom;

/** The C-STORE and C-ECHO response statuses the receiver sends (PS3.4 B.2.3, PS3.7 C). */
final class DimseStatus {
  static final int SUCCESS = 0x0000;

  /** Failure: Duplicate SOP Instance (PS3.7 C.4.x): other bytes already stored under the UID. */
  static final int DUPLICATE_SOP_INSTANCE = 0x0111;

  /** Refused: SOP Class not supported (PS3.7 C.5.x): command names a class not negotiated. */
  static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;

  /** Refused: Out of Resources (PS3.4 B.2.3). */
  static final int OUT_OF_RESOURCES = 0xA700;

  /** Error: Data Set does not match SOP Class (PS3.4 B.2.3). */
  static final int DATA_SET_DOES_NOT_MATCH = 0xA900;

  /** Error: Cannot understand (PS3.4 B.2.3). */
  static final int CANNOT_UNDERSTAND = 0xC000;

  private DimseStatus() {}
}
