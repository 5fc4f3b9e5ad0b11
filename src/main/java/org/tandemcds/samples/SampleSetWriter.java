package org.tandemcds.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import javax.imageio.ImageIO;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Writes a set of studies to a folder: per study {@code <id>/image.dcm}, {@code <id>/bundle.json},
 * {@code <id>/mask-<finding>.png} and {@code <id>/truth.json} (and, when asked, {@code
 * <id>/image-without-findings.dcm}: the image rendered again without its findings, the deletion
 * test's reference, ADR 0026), and one manifest for the run. The DICOM and FHIR writers are passed
 * in (they live in their adapter packages). Studies may be written by several threads; the files
 * and the manifest do not depend on the thread count, since each study depends only on the options
 * and its index. One {@code write} at a time per instance.
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

  /** The file name of a study's image rendered without findings. */
  public static final String WITHOUT_FINDINGS = "image-without-findings.dcm";

  private final boolean withoutFindings;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public SampleSetWriter(SampleGenerator generator, ImageWriter images, BundleWriter bundles) {
    this(generator, images, bundles, false);
  }

  /**
   * @param withoutFindings also write each study's image rendered without its findings, when it has
   *     an image and a finding present
   */
  public SampleSetWriter(
      SampleGenerator generator,
      ImageWriter images,
      BundleWriter bundles,
      boolean withoutFindings) {
    this.generator = generator;
    this.images = images;
    this.bundles = bundles;
    this.withoutFindings = withoutFindings;
  }

  /**
   * Writes studies {@code first .. first+count-1} under {@code out} and the manifest {@code
   * manifestName} on {@code threads} threads; reports the number of studies finished, in index
   * order, to {@code progress} (on the calling thread). Returns the manifest path.
   *
   * @throws CdsException {@code IO_FAILURE} when a file cannot be written, {@code INTERNAL} when a
   *     worker fails otherwise or the wait is interrupted
   */
  public Path write(
      Path out,
      int first,
      int count,
      String manifestName,
      SampleOptions options,
      int threads,
      IntConsumer progress) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<Map<String, Object>>> studies = new ArrayList<>();
      for (int i = first; i < first + count; i++) {
        int index = i;
        studies.add(pool.submit(() -> writeStudy(out, generator.generate(index))));
      }
      List<Map<String, Object>> entries = new ArrayList<>();
      for (Future<Map<String, Object>> f : studies) {
        entries.add(await(f));
        progress.accept(entries.size());
      }
      return writeManifest(out, first, count, manifestName, options, entries);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Map<String, Object> await(Future<Map<String, Object>> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CdsException c) {
        throw c;
      }
      throw new CdsException(ErrorCode.INTERNAL, "sample study failed: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CdsException(ErrorCode.INTERNAL, "interrupted while writing samples", e);
    }
  }

  private Path writeManifest(
      Path out,
      int first,
      int count,
      String manifestName,
      SampleOptions options,
      List<Map<String, Object>> entries) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", "tandem-sample-manifest/1");
    Map<String, Object> generatorOptions = Manifest.options(options, first, count);
    if (withoutFindings) {
      // only when asked: a set written without it keeps its manifest byte for byte
      generatorOptions.put("withoutFindings", true);
    }
    manifest.put("generator", generatorOptions);
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
    if (withoutFindings) {
      generator
          .dicomSpecWithoutFindings(s)
          .ifPresent(
              spec -> {
                images.write(spec, dir.resolve(WITHOUT_FINDINGS));
                entry.put("dicomWithoutFindings", s.id() + "/" + WITHOUT_FINDINGS);
              });
    }
    writeJson(dir.resolve("truth.json"), entry);
    return entry;
  }

  private static void writeMask(Path dir, LesionMask m) {
    BufferedImage b = new BufferedImage(m.columns(), m.rows(), BufferedImage.TYPE_BYTE_BINARY);
    byte[] raster = ((DataBufferByte) b.getRaster().getDataBuffer()).getData();
    m.pack(raster, (m.columns() + 7) / 8);
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
