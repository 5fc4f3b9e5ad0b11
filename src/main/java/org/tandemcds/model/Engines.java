package org.tandemcds.model;

/**
 * The one place that prepares DJL before any engine loads. The composition root calls {@link
 * #init()} first; the launcher and the test runners also pass {@code -Dai.djl.offline=true} so that
 * nothing can load an engine before this runs.
 *
 * <p>Offline mode makes DJL take every native library from the classpath jars ({@code
 * pytorch-native-cpu} or {@code pytorch-native-cu124}, ONNX Runtime, tokenizers), extracting them
 * to {@code ~/.djl.ai}, and never download anything.
 */
public final class Engines {
  static final String OFFLINE = "ai.djl.offline";

  private Engines() {}

  /** Sets {@code ai.djl.offline=true}. Idempotent and thread-safe. */
  public static void init() {
    System.setProperty(OFFLINE, "true");
  }

  /** Whether DJL is in offline mode in this process. */
  public static boolean offline() {
    return Boolean.parseBoolean(System.getProperty(OFFLINE));
  }
}
