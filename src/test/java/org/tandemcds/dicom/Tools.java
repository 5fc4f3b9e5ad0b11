package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real DICOM tools the tests check against (DCMTK, dicom3tools, Orthanc). */
final class Tools {
  private Tools() {}

  record Result(int exit, String output) {}

  static Process start(List<String> command) {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run " + command.get(0) + " (./tandem test installs the test packages)", e);
    }
  }

  static Result run(List<String> command) {
    Process process = start(command);
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("hang guard").isTrue();
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
