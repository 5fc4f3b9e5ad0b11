package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Every file of pydicom's test_files/ (recursively) and charset_files/ either decodes to frames of
 * the size pydicom reports or fails with the code expected for its category. The oracle is pydicom
 * 2.3.1 itself ({@code oracle/pydicom_facts.py}, run with /usr/bin/python3).
 */
class PydicomCorpusIT {
  private static final String PYTHON = "/usr/bin/python3";
  private static final Duration HANG_GUARD = Duration.ofSeconds(30);
  private static final String STORAGE = "1.2.840.10008.5.1.4.1.1.";
  private static final List<String> NOT_IMAGE_CLASSES =
      List.of(
          STORAGE + "88.",
          STORAGE + "9.",
          STORAGE + "11.",
          STORAGE + "66",
          STORAGE + "104.",
          STORAGE + "481.2",
          STORAGE + "481.3",
          STORAGE + "481.4",
          STORAGE + "481.5",
          STORAGE + "481.6",
          STORAGE + "481.7",
          STORAGE + "481.8",
          STORAGE + "481.9",
          "1.2.840.10008.1.3.10");

  /** Files whose outcome differs from their category, each with the reason. */
  private static final Map<String, ErrorCode> KNOWN =
      Map.ofEntries(
          // the data set is implicit VR although the meta information says JPEG Baseline
          // (explicit): pydicom reads it with a warning, PixelMed refuses it
          Map.entry("SC_rgb_jpeg.dcm", ErrorCode.DICOM_NOT_READABLE),
          // PixelMed's RLE decoder does not handle 16-bit colour
          Map.entry("SC_rgb_rle_16bit.dcm", ErrorCode.DICOM_DECODE_FAILED),
          Map.entry("SC_rgb_rle_16bit_2frame.dcm", ErrorCode.DICOM_DECODE_FAILED),
          // a sequence delimiter inside the J2K fragment's SIZ segment: the Xsiz it declares
          // (0xDDE00100) exceeds Columns 256, so FrameHeaders refuses it before decoding
          Map.entry("JPEG2000-embedded-sequence-delimiter.dcm", ErrorCode.DICOM_PIXEL_DATA_INVALID),
          // a JP2 file in the fragment, not a bare codestream: JAI's decoding of it differs from
          // GDCM's (IndependentDecoderIT found up to 60 levels), so FrameHeaders refuses it
          Map.entry("GDCMJ2K_TextGBR.dcm", ErrorCode.DICOM_DECODE_FAILED),
          // file meta information without TransferSyntaxUID (type 1 in PS3.10): refused by
          // ElementScanner rather than guessed (PixelMed guesses, printing to stderr)
          Map.entry("meta_missing_tsyntax.dcm", ErrorCode.DICOM_NOT_READABLE),
          // cut inside a sequence; pydicom reads lazily and does not notice
          Map.entry("rtplan_truncated.dcm", ErrorCode.DICOM_TRUNCATED),
          // an item declares 248 bytes inside a sequence with 224 left; pydicom reads lazily
          Map.entry("DICOMDIR-nooffset", ErrorCode.DICOM_TRUNCATED),
          // PixelData declares 8192 bytes, 8130 are present
          Map.entry("MR_truncated.dcm", ErrorCode.DICOM_TRUNCATED));

  private static Path data;
  private static final Map<String, String[]> FACTS = new TreeMap<>();
  private static final Map<String, String> OUTCOMES = new ConcurrentSkipListMap<>();
  private final DicomImageReader reader = new DicomImageReader(DicomLimits.defaults());

  @BeforeAll
  static void askTheOracle() throws Exception {
    String env = System.getenv("TANDEM_PYDICOM_DATA");
    if (env == null || !Files.isDirectory(Path.of(env, "test_files"))) {
      fail(
          "Set TANDEM_PYDICOM_DATA to pydicom's data folder (./tandem test does it), e.g. "
              + "export TANDEM_PYDICOM_DATA=/usr/lib/python3/dist-packages/pydicom/data");
    }
    data = Path.of(env);
    List<Path> files = corpus();
    Process p = new ProcessBuilder(PYTHON, oracleScript().toString()).start();
    try (var in = p.getOutputStream()) {
      for (Path f : files) {
        in.write((f + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    for (String line :
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      String[] cols = line.split("\t", -1);
      FACTS.put(cols[0], cols);
    }
    assertThat(p.waitFor()).as("oracle exit status").isZero();
    assertThat(FACTS).as("oracle answered for every file").hasSize(files.size());
  }

  private static Path oracleScript() throws Exception {
    return Path.of(PydicomCorpusIT.class.getResource("/oracle/pydicom_facts.py").toURI());
  }

  private static List<Path> corpus() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String folder : List.of("test_files", "charset_files")) {
      try (Stream<Path> s = Files.walk(data.resolve(folder))) {
        s.filter(Files::isRegularFile).sorted().forEach(files::add);
      }
    }
    return files;
  }

  @TestFactory
  Stream<DynamicTest> every_file_decodes_or_fails_with_the_code_of_its_category() throws Exception {
    return corpus().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    data.relativize(f).toString(),
                    () -> assertTimeoutPreemptively(HANG_GUARD, () -> check(f))));
  }

  private void check(Path file) {
    String[] facts = FACTS.get(file.toString());
    ErrorCode expected = expectedCode(file, facts);
    try {
      DecodedImage image = reader.read(file);
      OUTCOMES.put(file.toString(), "decoded");
      assertThat(expected).as("expected failure " + expected + " for " + file).isNull();
      assertThat(image.frames()).hasSize(Integer.parseInt(facts[5]));
      int size = Integer.parseInt(facts[3]) * Integer.parseInt(facts[4]);
      image.frames().forEach(frame -> assertThat(frame).hasSize(size));
    } catch (CdsException e) {
      OUTCOMES.put(file.toString(), e.code().code() + " " + e.code().name());
      assertThat(e.detail()).contains(file.toString());
      assertThat(e.code()).as(file + ": " + e.getMessage()).isEqualTo(expected);
    }
  }

  /** The code expected from the oracle's facts; null when the file must decode. */
  private static ErrorCode expectedCode(Path file, String[] f) {
    if (KNOWN.containsKey(file.getFileName().toString())) {
      return KNOWN.get(file.getFileName().toString());
    }
    if (f[1].equals("unreadable")) {
      return ErrorCode.DICOM_NOT_READABLE;
    }
    boolean notImageClass = NOT_IMAGE_CLASSES.stream().anyMatch(f[10]::startsWith);
    if (f[2].equals("False") || notImageClass) {
      return ErrorCode.DICOM_NOT_AN_IMAGE;
    }
    if (f[3].isEmpty() || f[4].isEmpty()) {
      return ErrorCode.DICOM_PIXEL_DATA_INVALID;
    }
    if (!f[7].equals("8") && !f[7].equals("16")) {
      return ErrorCode.DICOM_UNSUPPORTED_BIT_DEPTH;
    }
    boolean jpegLs = f[9].equals("1.2.840.10008.1.2.4.80") || f[9].equals("1.2.840.10008.1.2.4.81");
    boolean jpeg12 = f[9].equals("1.2.840.10008.1.2.4.51") && Integer.parseInt(f[8]) > 8;
    return jpegLs || jpeg12 ? ErrorCode.DICOM_UNSUPPORTED_TRANSFER_SYNTAX : null;
  }

  @Test
  void lossless_files_hold_exactly_the_values_pydicom_decodes() throws Exception {
    for (String name :
        List.of(
            "MR_small.dcm",
            "MR_small_implicit.dcm",
            "MR_small_bigendian.dcm",
            "MR_small_RLE.dcm",
            "MR_small_jp2klossless.dcm",
            "CT_small.dcm",
            "image_dfl.dcm",
            "SC_rgb_rle.dcm",
            "SC_rgb_small_odd.dcm",
            "dicomdirtests/77654033/CR1/6154")) {
      Comparison c = compare(data.resolve("test_files").resolve(name));
      assertThat(c.maxDifference).as(name + " max |difference|").isZero();
    }
  }

  /** Lossy codecs: decoders may differ by rounding (IDCT, wavelet); at most 2 levels on average. */
  @Test
  void lossy_files_match_pydicom_within_rounding() throws Exception {
    for (String name :
        List.of(
            "SC_rgb_jpeg_dcmtk.dcm",
            "SC_rgb_dcmtk_+eb+cy+np.dcm",
            "JPEG2000.dcm",
            "693_J2KI.dcm",
            "SC_rgb_gdcm_KY.dcm")) {
      Comparison c = compare(data.resolve("test_files").resolve(name));
      System.out.printf(
          "lossy %-32s mean |diff| %.3f max %d%n", name, c.meanDifference, c.maxDifference);
      assertThat(c.meanDifference).as(name + " mean |difference|").isLessThanOrEqualTo(2.0);
    }
  }

  private record Comparison(double meanDifference, long maxDifference) {}

  /**
   * Our stored values (masked, sign-extended) against pydicom's pixel_array (luminance for RGB).
   */
  private Comparison compare(Path file) throws Exception {
    Path out = Files.createTempFile("pydicom", ".bin");
    Process p =
        new ProcessBuilder(
                PYTHON, oracleScript().toString(), "--array", file.toString(), out.toString())
            .redirectErrorStream(true)
            .start();
    String shape = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(file + ": " + shape).isZero();
    ByteBuffer theirs = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
    Files.delete(out);
    DecodedImage image = reader.read(file);
    PixelDescription px = image.pixels();
    short[] ours = image.frames().get(0);
    boolean colour = px.samplesPerPixel() == 3;
    long max = 0;
    double sum = 0;
    for (int i = 0; i < ours.length; i++) {
      long theirValue = colour ? luminance(theirs, i) : theirs.getInt(4 * i);
      long diff = Math.abs(stored(ours[i], px) - theirValue);
      max = Math.max(max, diff);
      sum += diff;
    }
    return new Comparison(sum / ours.length, max);
  }

  private static long luminance(ByteBuffer rgb, int i) {
    return Math.round(
        0.299 * rgb.getInt(12 * i)
            + 0.587 * rgb.getInt(12 * i + 4)
            + 0.114 * rgb.getInt(12 * i + 8));
  }

  private static long stored(short raw, PixelDescription p) {
    int value = (raw & 0xFFFF) >> (p.highBit() - p.bitsStored() + 1) & ((1 << p.bitsStored()) - 1);
    return p.pixelRepresentation() == 1
        ? (value << (32 - p.bitsStored())) >> (32 - p.bitsStored())
        : value;
  }

  @AfterAll
  static void printSummary() {
    Map<String, Integer> counts = new TreeMap<>();
    OUTCOMES.values().forEach(o -> counts.merge(o, 1, Integer::sum));
    System.out.println("PydicomCorpusIT summary over " + OUTCOMES.size() + " files:");
    counts.forEach((k, v) -> System.out.printf("  %-55s %4d%n", k, v));
  }
}
