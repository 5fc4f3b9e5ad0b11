package org.tandemcds.dicom;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Prediction;

/**
 * The algorithm that produced a result object, as DICOM names it (IHE AI Results: Contributing
 * Equipment with purpose "Processing Algorithm"; TID 4019 Algorithm Identification in the SR).
 *
 * @param manufacturer who makes the algorithm
 * @param modelName the model's name
 * @param version the model's version
 * @param sha256 sha256 (hex) of the model card, which pins every file of the model
 */
public record ModelIdentity(String manufacturer, String modelName, String version, String sha256) {
  public static final String MANUFACTURER = "Tandem CDS";

  public ModelIdentity {
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "model sha256 must be 64 hex digits");
    }
    if (modelName == null || modelName.isBlank() || version == null || version.isBlank()) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "model name and version are required");
    }
  }

  /** The identity of the model that made {@code prediction}. */
  public static ModelIdentity of(Prediction prediction) {
    return new ModelIdentity(
        MANUFACTURER, prediction.modelName(), prediction.modelVersion(), prediction.modelSha256());
  }

  /**
   * The Device UID of this model: a {@code 2.25.} UID (PS3.5 B.2) of the name-based UUID of the
   * model's sha256, so it is the same for the same model files and changes when they change.
   */
  public String deviceUid() {
    byte[] name = ("tandem-model:" + sha256).getBytes(StandardCharsets.US_ASCII);
    return Uids.of(UUID.nameUUIDFromBytes(name));
  }

  /** The software version as written in Software Versions: version and sha256 prefix. */
  String softwareVersions() {
    return version + " sha256:" + HexFormat.of().formatHex(HexFormat.of().parseHex(sha256), 0, 8);
  }
}
