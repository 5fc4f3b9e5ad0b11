package org.tandemcds.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import javax.imageio.ImageIO;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Writes a set of studies to a folder: per study {@code <id>/image.dcm}, {@code <id>/bundle.json},
 * {@code <id>/mask-<finding>.png} and {@code <id>/truth.json}, and one manifest for the run. The
 * DICOM and FHIR writers are passed in (they live in their adapter packages). Not thread-safe.
 */
public final class SampleSetWriter {
  /** Writes a DICOM file. */
  public interface ImageWriter {
    void write(DicomImageSpec spec, Path file);
  }

  /** Writes a FHIR Bundle file. */
  public interface BundleWriter {
    void write(SampleStudy.BundleSpec spec, Path file);
  }

  private final SampleGenerator generator;
  private final ImageWriter images;
  private final BundleWriter bundles;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public SampleSetWriter(SampleGenerator generator, ImageWriter images, BundleWriter bundles) {
    this.generator = generator;
    this.images = images;
    this.bundles = bundles;
  }

  /**
   * Writes studies {@code first .. first+count-1} under {@code out} and the manifest {@code
   * manifestName}; reports each finished study to {@code progress}. Returns the manifest path.
   */
  public Path write(
      Path out,
      int first,
      int count,
      String manifestName,
      SampleOptions options,
      IntConsumer progress) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      entries.add(writeStudy(out, generator.generate(i)));
      progress.accept(i - first + 1);
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", "tandem-sample-manifest/1");
    manifest.put("generator", Manifest.options(options, first, count));
    manifest.put("studies", entries);
    Path file = out.resolve(manifestName);
    writeJson(file, manifest);
    return file;
  }

  private Map<String, Object> writeStudy(Path out, SampleStudy s) {
    Path dir = out.resolve(s.id());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, dir + ": " + e.getMessage(), e);
    }
    s.image().ifPresent(im -> images.write(SampleGenerator.dicomSpec(s), dir.resolve("image.dcm")));
    bundles.write(s.bundleSpec(), dir.resolve("bundle.json"));
    s.image().ifPresent(im -> im.masks().values().forEach(m -> writeMask(dir, m)));
    Map<String, Object> entry = Manifest.entry(s);
    writeJson(dir.resolve("truth.json"), entry);
    return entry;
  }

  private static void writeMask(Path dir, LesionMask m) {
    BufferedImage b = new BufferedImage(m.columns(), m.rows(), BufferedImage.TYPE_BYTE_BINARY);
    int[] row = new int[m.columns()];
    for (int y = 0; y < m.rows(); y++) {
      for (int x = 0; x < m.columns(); x++) {
        row[x] = m.contains(x, y) ? 1 : 0;
      }
      b.getRaster().setPixels(0, y, m.columns(), 1, row);
    }
    Path file = dir.resolve("mask-" + m.finding().key() + ".png");
    try {
      ImageIO.write(b, "png", file.toFile());
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, file + ": " + e.getMessage(), e);
    }
  }

  private void writeJson(Path file, Object value) {
    try {
      json.writeValue(file.toFile(), value);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, file + ": " + e.getMessage(), e);
    }
  }
}
