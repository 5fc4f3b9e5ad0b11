package org.tandemcds.store;

/**
 * Where a DICOM instance belongs: its UIDs and the pseudonymous key of its patient. The constructor
 * validates every UID ({@link org.tandemcds.domain.ErrorCode#STORE_INVALID_KEY}), so a key can
 * always be turned into a path inside the study store.
 */
public record InstanceKey(
    String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid, String patientKey) {
  public InstanceKey {
    Keys.uid("StudyInstanceUID", studyInstanceUid);
    Keys.uid("SeriesInstanceUID", seriesInstanceUid);
    Keys.uid("SOPInstanceUID", sopInstanceUid);
    Keys.patientKey(patientKey);
  }
}
