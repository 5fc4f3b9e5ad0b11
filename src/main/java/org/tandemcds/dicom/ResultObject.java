package org.tandemcds.dicom;

import java.nio.file.Path;

/**
 * A result object written for the PACS.
 *
 * @param file its Part 10 file
 * @param studyInstanceUid the analysed study it belongs to
 * @param sopInstanceUid its own SOPInstanceUID
 * @param sopClassUid Secondary Capture or Comprehensive SR
 */
public record ResultObject(
    Path file, String studyInstanceUid, String sopInstanceUid, String sopClassUid) {}
