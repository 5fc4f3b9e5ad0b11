package org.tandemcds.model;

/**
 * The one place that sets {@code ai.djl.offline=true}, before any engine loads: the composition
 * root ({@code App}) calls {@link #init()} first, and so does every other entry that opens an
 * engine ({@link Devices}). (The test runners pass the same flag on their command line, so that a
 * test touching DJL directly cannot load an engine online either.)
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
