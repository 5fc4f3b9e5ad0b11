package org.tandemcds.parse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tandemcds.dicom.DecodedImage;
import org.tandemcds.dicom.DicomDirectory;
import org.tandemcds.dicom.DicomImageReader;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FileRejection;
import org.tandemcds.domain.ImageInstance;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.StudyScan;

/**
 * The parse stage's DICOM half: reads image instances from a file, a folder (recursively) or a
 * DICOMDIR into {@link ImagingStudy} records with normalised frames.
 *
 * <p>A folder whose top level holds a file named {@code DICOMDIR} is read through it (only the
 * files it references); otherwise every regular file under the folder is read (a {@code DICOMDIR}
 * found deeper is then one more file, rejected as not an image; the files it references are read by
 * the walk). Every file that is not used becomes a {@link FileRejection}; nothing is skipped
 * silently. Instances are grouped by StudyInstanceUID, then SeriesInstanceUID (series ordered by
 * SeriesNumber, then SeriesInstanceUID; instances by InstanceNumber, then SOPInstanceUID).
 *
 * <p>Memory: a scan keeps every normalised frame (4 bytes per pixel) until it returns, which suits
 * CR/DX studies of a few images. A scan therefore stops with {@code STUDY_TOO_LARGE} as soon as the
 * pixels of the frames read so far (Rows × Columns × NumberOfFrames, summed) would exceed {@code
 * maxScanPixels}, checked after each file is decoded and before it is normalised; a large CT or MR
 * series needs a streaming reader instead. Thread-safe when its collaborators are (they are).
 */
public final class StudyReader {
  private static final String DICOMDIR = "DICOMDIR";

  /** 256 M pixels: 1 GiB of normalised floats. */
  public static final long DEFAULT_MAX_SCAN_PIXELS = 256L << 20;

  private final DicomImageReader images;
  private final DicomDirectory directories;
  private final PixelNormaliser normaliser;
  private final long maxScanPixels;

  /** A reader with {@link #DEFAULT_MAX_SCAN_PIXELS}. */
  public StudyReader(
      DicomImageReader images, DicomDirectory directories, PixelNormaliser normaliser) {
    this(images, directories, normaliser, DEFAULT_MAX_SCAN_PIXELS);
  }

  /**
   * @param maxScanPixels the most pixels (all frames of all instances) one {@link #scan} keeps
   */
  public StudyReader(
      DicomImageReader images,
      DicomDirectory directories,
      PixelNormaliser normaliser,
      long maxScanPixels) {
    if (maxScanPixels <= 0) {
      throw new IllegalArgumentException("maxScanPixels " + maxScanPixels);
    }
    this.images = images;
    this.directories = directories;
    this.normaliser = normaliser;
    this.maxScanPixels = maxScanPixels;
  }

  /**
   * One image instance with normalised frames.
   *
   * @throws CdsException with a {@code DICOM_*}, {@code INPUT_NOT_FOUND} or {@code IO_FAILURE} code
   */
  public ImageInstance readInstance(Path file) {
    return read(file, new PixelBudget(maxScanPixels)).instance();
  }

  private Instances.Read read(Path file, PixelBudget budget) {
    DecodedImage image = images.read(file);
    budget.take(image, file);
    return Instances.read(image, normaliser.normalise(image));
  }

  /**
   * Every study in a file, folder or DICOMDIR, and every file rejected.
   *
   * @throws CdsException {@code INPUT_NOT_FOUND} when the path does not exist, {@code IO_FAILURE}
   *     when a folder cannot be listed, a DICOMDIR code when the given DICOMDIR is unreadable,
   *     {@code STUDY_TOO_LARGE} when the images exceed the scan's pixel budget
   */
  public StudyScan scan(Path input) {
    List<Instances.Read> read = new ArrayList<>();
    List<FileRejection> rejections = new ArrayList<>();
    PixelBudget budget = new PixelBudget(maxScanPixels);
    for (Path file : filesOf(input)) {
      try {
        read.add(read(file, budget));
      } catch (CdsException e) {
        if (e.code() == ErrorCode.STUDY_TOO_LARGE) {
          throw new CdsException(e.code(), input + ": " + e.detail(), e);
        }
        rejections.add(new FileRejection(file.toString(), e.code(), e.detail()));
      }
    }
    return new StudyScan(Instances.studies(read), rejections);
  }

  /**
   * Exactly one study.
   *
   * @throws CdsException {@code STUDY_EMPTY} (no image; the detail counts the rejections by code; a
   *     single file given that is rejected fails with its own code instead), {@code STUDY_MIXED}
   *     (more than one StudyInstanceUID), or what {@link #scan} throws
   */
  public ImagingStudy readStudy(Path input) {
    StudyScan scan = scan(input);
    if (scan.studies().isEmpty() && Files.isRegularFile(input) && scan.rejections().size() == 1) {
      // one file given: its own reason is clearer than "no image found"
      FileRejection only = scan.rejections().get(0);
      throw new CdsException(only.code(), only.file() + ": " + only.detail());
    }
    if (scan.studies().isEmpty()) {
      throw new CdsException(ErrorCode.STUDY_EMPTY, input + ": " + summary(scan.rejections()));
    }
    if (scan.studies().size() > 1) {
      throw new CdsException(
          ErrorCode.STUDY_MIXED, input + ": " + scan.studies().size() + " StudyInstanceUIDs");
    }
    return scan.studies().get(0);
  }

  private static String summary(List<FileRejection> rejections) {
    if (rejections.isEmpty()) {
      return "no files";
    }
    Map<String, Long> byCode =
        rejections.stream()
            .collect(
                Collectors.groupingBy(r -> r.code().code(), TreeMap::new, Collectors.counting()));
    return rejections.size() + " file(s) rejected: " + byCode;
  }

  private List<Path> filesOf(Path input) {
    if (!Files.exists(input)) {
      throw new CdsException(ErrorCode.INPUT_NOT_FOUND, input + ": does not exist");
    }
    if (!Files.isDirectory(input)) {
      return isDicomdir(input) ? directories.referencedFiles(input) : List.of(input);
    }
    Path top = input.resolve(DICOMDIR);
    if (Files.isRegularFile(top)) {
      return directories.referencedFiles(top);
    }
    return walk(input);
  }

  private List<Path> walk(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      return paths.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, folder + ": cannot list: " + e.getMessage(), e);
    }
  }

  /** The pixels one scan may still keep. Not thread-safe: one per scan. */
  private static final class PixelBudget {
    private final long max;
    private long used;

    PixelBudget(long max) {
      this.max = max;
    }

    void take(DecodedImage image, Path file) {
      long pixels = (long) image.pixels().rows() * image.pixels().columns() * image.frames().size();
      if (used + pixels > max) {
        throw new CdsException(
            ErrorCode.STUDY_TOO_LARGE,
            file + " brings the scan to " + (used + pixels) + " pixels > budget " + max);
      }
      used += pixels;
    }
  }

  private static boolean isDicomdir(Path file) {
    return file.getFileName() != null && DICOMDIR.equalsIgnoreCase(file.getFileName().toString());
  }
}
