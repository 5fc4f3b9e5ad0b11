package org.tandemcds.dicom;

import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * A DICOM Storage SCP that results are sent to (a PACS).
 *
 * @param name the destination's configured name (outbox key: letters, digits, _ or -)
 * @param host its host name or address
 * @param port its DICOM port
 * @param calledAeTitle its AE title
 * @param callingAeTitle Tandem's AE title towards it
 */
public record DicomDestination(
    String name, String host, int port, String calledAeTitle, String callingAeTitle) {
  public DicomDestination {
    if (name == null || !name.matches("[A-Za-z0-9_\\-]{1,64}")) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "destination name " + name);
    }
    if (host == null || host.isBlank() || port <= 0 || port > 65535) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "destination " + name + " address");
    }
    for (String ae : new String[] {calledAeTitle, callingAeTitle}) {
      if (ae == null || ae.isBlank() || ae.length() > 16) {
        throw new CdsException(ErrorCode.INVALID_ARGUMENT, "AE title must be 1 to 16 characters");
      }
    }
  }
}
