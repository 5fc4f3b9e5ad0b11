package org.tandemcds.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tandemcds.samples.SampleOptions;
import org.tandemcds.samples.SampleSets;
import org.tandemcds.samples.SampleTransactions;
import org.tandemcds.samples.TransferSyntax;

/**
 * Small synthetic studies (64–96 pixel CR/DX images, explicit VR little endian, each with its
 * patient's FHIR note) written by Tandem's own sample generator, and helpers to send them.
 */
public final class TinyStudies {

  private TinyStudies() {}

  /** Writes {@code count} image+note studies under {@code out}; returns their folders. */
  static List<Path> write(Path out, int count, long seed) throws IOException {
    SampleOptions options =
        new SampleOptions(
            seed, 64, 96, List.of(TransferSyntax.EXPLICIT_LE), "mixed", new double[] {1, 0, 0});
    SampleSets.write(out, options, count, 2);
    List<Path> folders = new ArrayList<>();
    try (var list = Files.list(out)) {
      list.filter(Files::isDirectory).sorted().forEach(folders::add);
    }
    return folders;
  }

  /** The sample's collection Bundle turned into a transaction Bundle (each entry a POST). */
  public static byte[] transaction(Path studyFolder) throws IOException {
    return SampleTransactions.of(studyFolder);
  }

  static Path image(Path studyFolder) {
    return studyFolder.resolve("image.dcm");
  }
}
