package org.tandemcds.model;

import java.util.Locale;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Which compute device the operator asks for: {@code auto} (GPU if any), {@code cpu} or {@code
 * gpu}.
 */
public enum DevicePreference {
  AUTO,
  CPU,
  GPU;

  /**
   * Parses a configuration value ({@code auto}, {@code cpu}, {@code gpu}; case-insensitive).
   *
   * @throws CdsException {@link ErrorCode#INVALID_ARGUMENT} for any other value
   */
  public static DevicePreference parse(String value) {
    String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    for (DevicePreference p : values()) {
      if (p.name().equals(v)) {
        return p;
      }
    }
    throw new CdsException(
        ErrorCode.INVALID_ARGUMENT, "device must be auto, cpu or gpu, was '" + value + "'");
  }
}
