package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compressed files decoded by Tandem against an independent decoder: DCMTK's {@code dcmdjpeg}
 * (JPEG), {@code dcmdrle} (RLE) and GDCM's {@code gdcmconv --raw} (JPEG 2000) decompress each file
 * to native Explicit VR Little Endian, which Tandem then reads through its native path (itself
 * checked against pydicom in {@link PydicomCorpusIT}). Every frame is compared, stored values
 * masked to BitsStored and sign-extended as the normaliser does. Lossless files must be equal;
 * lossy ones may differ by the decoders' rounding (stated per case).
 *
 * <p>Besides pydicom's compressed test files, 16-bit JPEG lossless (process 14 and SV1), RLE and
 * JPEG 2000 lossless files are made here from pydicom's native MR_small.dcm and CT_small.dcm with
 * DCMTK's {@code dcmcjpeg}/{@code dcmcrle} and GDCM's {@code gdcmconv -K}, because pydicom's corpus
 * holds only one (8-bit RGB) JPEG lossless file; those must also equal the native original.
 */
class IndependentDecoderIT {
  private static final List<String> DJPEG = List.of("dcmdjpeg");
  private static final List<String> DRLE = List.of("dcmdrle");
  private static final List<String> GDCM_RAW = List.of("gdcmconv", "--raw");

  /** One file, the command that decompresses it, and the largest |difference| allowed. */
  private record Case(String file, List<String> decoder, int maxDifference, String original) {
    /** The point transform the encoder was told ({@code +pt n}), 0 when none. */
    int pointTransform() {
      List<String> words = List.of(file.split(" "));
      int at = words.indexOf("+pt");
      return at < 0 ? 0 : Integer.parseInt(words.get(at + 1));
    }
  }

  private static final List<Case> CORPUS =
      List.of(
          new Case("SC_rgb_jpeg_gdcm.dcm", DJPEG, 0, null),
          new Case("MR_small_RLE.dcm", DRLE, 0, null),
          new Case("SC_rgb_rle.dcm", DRLE, 0, null),
          new Case("SC_rgb_rle_2frame.dcm", DRLE, 0, null),
          new Case("MR_small_jp2klossless.dcm", GDCM_RAW, 0, null),
          new Case("J2K_pixelrep_mismatch.dcm", GDCM_RAW, 0, null),
          // lossy: IDCT / irreversible wavelet rounding differs between decoders
          new Case("JPEG2000.dcm", GDCM_RAW, 1, null),
          new Case("693_J2KI.dcm", GDCM_RAW, 1, null),
          new Case("SC_rgb_gdcm_KY.dcm", GDCM_RAW, 1, null),
          new Case("SC_rgb_jpeg_dcmtk.dcm", DJPEG, 2, null),
          new Case("SC_rgb_dcmtk_+eb+cr.dcm", DJPEG, 2, null),
          new Case("SC_rgb_dcmtk_+eb+cy+n1.dcm", DJPEG, 2, null),
          new Case("SC_rgb_dcmtk_+eb+cy+s4.dcm", DJPEG, 2, null),
          new Case("SC_rgb_small_odd_jpeg.dcm", DJPEG, 2, null));

  /** A 3-frame 12-bit greyscale image written here (pydicom has no native multi-frame one). */
  private static final String MULTIFRAME = "multiframe12.dcm";

  private static final List<Case> MADE = made();

  /**
   * Files compressed here: every JPEG lossless selection value 1-7 (dcmcjpeg +el +sv n), point
   * transforms, 8-bit (pydicom's deflated image_dfl.dcm), multi-frame with one fragment per frame
   * and with 1 kB fragments grouped by the Basic Offset Table (+fs 1), RLE of each.
   */
  private static List<Case> made() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case("dcmcjpeg +e1 MR_small.dcm", DJPEG, 0, "MR_small.dcm"));
    cases.add(new Case("dcmcjpeg +el MR_small.dcm", DJPEG, 0, "MR_small.dcm"));
    cases.add(new Case("dcmcjpeg +e1 CT_small.dcm", DJPEG, 0, "CT_small.dcm"));
    for (int sv = 1; sv <= 7; sv++) {
      cases.add(new Case("dcmcjpeg +el +sv " + sv + " CT_small.dcm", DJPEG, 0, "CT_small.dcm"));
      cases.add(new Case("dcmcjpeg +el +sv " + sv + " " + MULTIFRAME, DJPEG, 0, MULTIFRAME));
    }
    cases.add(new Case("dcmcjpeg +el +sv 1 +pt 2 CT_small.dcm", DJPEG, 0, "CT_small.dcm"));
    cases.add(new Case("dcmcjpeg +el +sv 6 +pt 4 MR_small.dcm", DJPEG, 0, "MR_small.dcm"));
    cases.add(new Case("dcmcjpeg +el +sv 7 +pt 3 " + MULTIFRAME, DJPEG, 0, MULTIFRAME));
    for (int sv : new int[] {2, 3, 4, 6, 7}) {
      cases.add(new Case("dcmcjpeg +el +sv " + sv + " image_dfl.dcm", DJPEG, 0, "image_dfl.dcm"));
    }
    cases.add(new Case("dcmcjpeg +e1 image_dfl.dcm", DJPEG, 0, "image_dfl.dcm"));
    cases.add(new Case("dcmcjpeg +e1 +fs 1 " + MULTIFRAME, DJPEG, 0, MULTIFRAME));
    cases.add(new Case("dcmcjpeg +e1 +fs 1 -ot " + MULTIFRAME, DJPEG, 0, MULTIFRAME));
    cases.add(new Case("dcmcjpeg +e1 +fs 1 CT_small.dcm", DJPEG, 0, "CT_small.dcm"));
    cases.add(new Case("dcmcrle MR_small.dcm", DRLE, 0, "MR_small.dcm"));
    cases.add(new Case("dcmcrle CT_small.dcm", DRLE, 0, "CT_small.dcm"));
    cases.add(new Case("dcmcrle image_dfl.dcm", DRLE, 0, "image_dfl.dcm"));
    cases.add(new Case("dcmcrle " + MULTIFRAME, DRLE, 0, MULTIFRAME));
    cases.add(new Case("gdcmconv -K MR_small.dcm", GDCM_RAW, 0, "MR_small.dcm"));
    return cases;
  }

  @TempDir static Path work;
  private static Path testFiles;
  private final DicomImageReader reader = new DicomImageReader(DicomLimits.defaults());

  @BeforeAll
  static void findTheCorpus() {
    String env = System.getenv("TANDEM_PYDICOM_DATA");
    if (env == null || !Files.isDirectory(Path.of(env, "test_files"))) {
      fail(
          "Set TANDEM_PYDICOM_DATA to pydicom's data folder (./tandem test does it), e.g. "
              + "export TANDEM_PYDICOM_DATA=/usr/lib/python3/dist-packages/pydicom/data");
    }
    testFiles = Path.of(env, "test_files");
  }

  @BeforeAll
  static void writeTheMultiFrameImage() throws Exception {
    int rows = 33;
    int columns = 17;
    short[] values = new short[3 * rows * columns];
    for (int f = 0; f < 3; f++) {
      short[] frame = JpegLosslessDecoderTest.noise(rows, columns, 12, f);
      System.arraycopy(frame, 0, values, f * frame.length, frame.length);
    }
    TestImages.cr(rows, columns, values)
        .bits(16, 12, 11, 0)
        .frames(3)
        .write(work.resolve(MULTIFRAME));
  }

  private static Path material(String name) {
    Path made = work.resolve(name);
    return Files.exists(made) ? made : testFiles.resolve(name);
  }

  @TestFactory
  Stream<DynamicTest> pydicom_compressed_files_equal_the_independent_decoders_output() {
    return CORPUS.stream()
        .map(c -> DynamicTest.dynamicTest(c.file(), () -> check(testFiles.resolve(c.file()), c)));
  }

  @TestFactory
  Stream<DynamicTest> files_compressed_here_equal_the_decoder_and_the_original() {
    return MADE.stream().map(c -> DynamicTest.dynamicTest(c.file(), () -> checkMade(c)));
  }

  private void checkMade(Case c) throws Exception {
    Path original = material(c.original());
    Path compressed = work.resolve(c.file().replaceAll("[^A-Za-z0-9.]", "_"));
    List<String> encoder = new ArrayList<>(List.of(c.file().split(" ")));
    encoder.set(encoder.size() - 1, original.toString());
    run(encoder, compressed);
    assertThat(reader.read(compressed).transferSyntaxUid()).isNotEqualTo("1.2.840.10008.1.2.1");
    check(compressed, c);
    assertThat(maxDifference(reader.read(compressed), reader.read(original), c.pointTransform()))
        .as(c.file() + " against the native original")
        .isZero();
  }

  private void check(Path compressed, Case c) throws Exception {
    Path decompressed = work.resolve(compressed.getFileName() + ".native.dcm");
    List<String> command = new ArrayList<>(c.decoder());
    command.add(compressed.toString());
    run(command, decompressed);
    DecodedImage ours = reader.read(compressed);
    DecodedImage theirs = reader.read(decompressed);
    assertThat(theirs.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
    long max = maxDifference(ours, theirs, 0);
    System.out.printf("independent %-34s max |diff| %d%n", compressed.getFileName(), max);
    assertThat(max).as(compressed + " max |difference|").isLessThanOrEqualTo(c.maxDifference());
  }

  /**
   * The largest |difference| of stored values over all frames, {@code b}'s with their low {@code
   * pt} bits cleared (what a point transform keeps); the shapes must agree.
   */
  private static long maxDifference(DecodedImage a, DecodedImage b, int pt) {
    assertThat(a.frames()).hasSameSizeAs(b.frames());
    assertThat(a.pixels().rows()).isEqualTo(b.pixels().rows());
    assertThat(a.pixels().columns()).isEqualTo(b.pixels().columns());
    long max = 0;
    for (int f = 0; f < a.frames().size(); f++) {
      short[] x = a.frames().get(f);
      short[] y = b.frames().get(f);
      assertThat(x).hasSameSizeAs(y);
      for (int i = 0; i < x.length; i++) {
        long expected = stored(y[i], b.pixels()) >> pt << pt;
        max = Math.max(max, Math.abs(stored(x[i], a.pixels()) - expected));
      }
    }
    return max;
  }

  private static long stored(short raw, PixelDescription p) {
    int value = (raw & 0xFFFF) >> (p.highBit() - p.bitsStored() + 1) & ((1 << p.bitsStored()) - 1);
    return p.pixelRepresentation() == 1
        ? (value << (32 - p.bitsStored())) >> (32 - p.bitsStored())
        : value;
  }

  private static void run(List<String> command, Path out) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(command);
    full.add(out.toString());
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", full) + ": " + output).isZero();
  }
}
