package org.tandemcds.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The one place that chooses the compute device for the PyTorch engine: the first GPU when the
 * engine sees one (and the preference allows it), else the CPU. The ONNX Runtime text encoder
 * always runs on the CPU (the project ships the CPU build of ONNX Runtime).
 *
 * <p>Immutable and thread-safe. Call {@link Engines#init()} before the first call to {@link
 * #choose()}, which loads the PyTorch engine.
 */
public final class Devices {
  static final String PYTORCH = "PyTorch";

  private final DevicePreference preference;

  public Devices(DevicePreference preference) {
    this.preference = preference;
  }

  /**
   * The device to run PyTorch blocks on.
   *
   * @throws CdsException {@link ErrorCode#DEVICE_UNAVAILABLE} when {@code gpu} is asked for and the
   *     engine sees none
   */
  public Device choose() {
    return switch (preference) {
      case CPU -> Device.cpu();
      case AUTO -> gpuCount() > 0 ? Device.gpu() : Device.cpu();
      case GPU -> requireGpu();
    };
  }

  private Device requireGpu() {
    if (gpuCount() == 0) {
      throw new CdsException(
          ErrorCode.DEVICE_UNAVAILABLE,
          "device gpu was requested but the PyTorch engine sees no GPU (CPU build of libtorch, or"
              + " no CUDA driver); build with -Pcuda on a GPU host or set device to auto/cpu");
    }
    return Device.gpu();
  }

  private static int gpuCount() {
    return Engine.getEngine(PYTORCH).getGpuCount();
  }
}
