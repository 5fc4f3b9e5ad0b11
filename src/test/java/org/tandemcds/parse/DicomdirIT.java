package org.tandemcds.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.dicom.DicomDirectory;
import org.tandemcds.dicom.DicomImageReader;
import org.tandemcds.dicom.DicomLimits;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FileRejection;
import org.tandemcds.domain.ImageInstance;
import org.tandemcds.domain.ImageSeries;
import org.tandemcds.domain.ImagingStudy;
import org.tandemcds.domain.StudyScan;

/**
 * Reads pydicom's DICOMDIR sets ({@code test_files/dicomdirtests/}) through {@link
 * DicomDirectory#referencedFiles} and {@link StudyReader#scan}, and compares what is found with
 * what pydicom finds ({@code oracle/dicomdir_facts.py}: every record's ReferencedFileID, and the
 * StudyInstanceUID / SeriesInstanceUID / SOPInstanceUID read from each referenced file).
 */
class DicomdirIT {
  private static final String PYTHON = "/usr/bin/python3";
  private static Path sets;

  @TempDir Path copy;
  private final DicomLimits limits = DicomLimits.defaults();
  private final DicomDirectory directories = new DicomDirectory(limits);
  private final StudyReader reader =
      new StudyReader(new DicomImageReader(limits), directories, new PixelNormaliser(0.5, 99.5));

  /** One referenced file as pydicom sees it. */
  private record Referenced(
      Path file, boolean exists, boolean image, String study, String series, String sop) {}

  @BeforeAll
  static void findTheSets() {
    String env = System.getenv("TANDEM_PYDICOM_DATA");
    if (env == null || !Files.isDirectory(Path.of(env, "test_files", "dicomdirtests"))) {
      fail(
          "Set TANDEM_PYDICOM_DATA to pydicom's data folder (./tandem test does it), e.g. "
              + "export TANDEM_PYDICOM_DATA=/usr/lib/python3/dist-packages/pydicom/data");
    }
    sets = Path.of(env, "test_files", "dicomdirtests");
  }

  @Test
  void every_dicomdir_encoding_lists_the_files_pydicom_finds() throws Exception {
    for (String name :
        List.of("DICOMDIR", "DICOMDIR-reordered", "DICOMDIR-implicit", "DICOMDIR-bigEnd")) {
      Path dicomdir = sets.resolve(name);
      List<Path> expected = oracle(dicomdir).stream().map(Referenced::file).sorted().toList();
      assertThat(expected).as(name + " per pydicom").hasSize(31);
      assertThat(directories.referencedFiles(dicomdir)).as(name).isEqualTo(expected);
    }
  }

  @Test
  void a_dicomdir_and_its_folder_give_the_studies_series_and_instances_pydicom_finds()
      throws Exception {
    Path dicomdir = copyOfTheSet();
    Map<String, Map<String, Set<String>>> expected = tree(oracle(dicomdir));
    // the DICOMDIR itself holds 6 STUDY, 13 SERIES and 31 IMAGE records
    assertThat(expected).as("studies per pydicom").hasSize(6);
    assertThat(expected.values().stream().mapToInt(Map::size).sum()).as("series").isEqualTo(13);
    assertThat(count(expected)).as("instances per pydicom").isEqualTo(31);
    for (Path input : List.of(dicomdir, dicomdir.getParent())) {
      StudyScan scan = reader.scan(input);
      assertThat(scan.rejections()).as(input.toString()).isEmpty();
      assertThat(tree(scan)).as(input.toString()).isEqualTo(expected);
    }
  }

  @Test
  void a_dicomdir_whose_files_hold_no_pixel_data_rejects_each_of_them() throws Exception {
    Path dicomdir = sets.resolve("TINY_ALPHA/DICOMDIR");
    List<Referenced> referenced = oracle(dicomdir);
    assertThat(referenced).hasSize(50).noneMatch(Referenced::image);
    StudyScan scan = reader.scan(dicomdir.getParent());
    assertThat(scan.studies()).isEmpty();
    assertThat(scan.rejections())
        .extracting(FileRejection::file)
        .containsExactlyInAnyOrderElementsOf(
            referenced.stream().map(r -> r.file().toString()).toList());
    assertThat(scan.rejections())
        .extracting(FileRejection::code)
        .containsOnly(ErrorCode.DICOM_NOT_AN_IMAGE);
  }

  @Test
  void a_file_the_dicomdir_references_but_the_folder_lacks_is_a_rejection_naming_it()
      throws Exception {
    Path dicomdir = copyOfTheSet();
    Path gone = dicomdir.resolveSibling("98892003/MR700/4648");
    Files.delete(gone);
    List<Referenced> referenced = oracle(dicomdir);
    assertThat(referenced)
        .filteredOn(r -> !r.exists())
        .extracting(Referenced::file)
        .containsExactly(gone);
    StudyScan scan = reader.scan(dicomdir);
    assertThat(scan.rejections())
        .containsExactly(
            new FileRejection(gone.toString(), ErrorCode.INPUT_NOT_FOUND, gone + ": no such file"));
    assertThat(count(tree(scan))).isEqualTo(30);
  }

  @Test
  void a_referenced_file_id_leading_outside_the_folder_refuses_the_dicomdir() throws Exception {
    byte[] bytes = Files.readAllBytes(sets.resolve("DICOMDIR"));
    byte[] id = "77654033\\CR1\\6154".getBytes(StandardCharsets.US_ASCII);
    byte[] escape = "..\\..\\..\\..\\ab154".getBytes(StandardCharsets.US_ASCII); // same length
    int at = indexOf(bytes, id);
    System.arraycopy(escape, 0, bytes, at, escape.length);
    Path dicomdir = Files.write(copy.resolve("DICOMDIR"), bytes);
    assertThatThrownBy(() -> reader.scan(dicomdir))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.DICOM_NOT_READABLE);
              assertThat(e.detail())
                  .isEqualTo(
                      dicomdir
                          + ": a ReferencedFileID leads outside the DICOMDIR's folder: "
                          + copy.resolve("../../../../ab154").normalize());
            });
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    for (int i = 0; i + part.length <= bytes.length; i++) {
      if (java.util.Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  /** The DICOMDIR and the three folders it references, copied into a temporary folder. */
  private Path copyOfTheSet() throws Exception {
    Files.copy(sets.resolve("DICOMDIR"), copy.resolve("DICOMDIR"));
    for (String folder : List.of("77654033", "98892001", "98892003")) {
      try (Stream<Path> files = Files.walk(sets.resolve(folder))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          Path to = copy.resolve(sets.relativize(f).toString());
          Files.createDirectories(to.getParent());
          Files.copy(f, to);
        }
      }
    }
    return copy.resolve("DICOMDIR");
  }

  private static List<Referenced> oracle(Path dicomdir) throws Exception {
    Path script = Path.of(DicomdirIT.class.getResource("/oracle/dicomdir_facts.py").toURI());
    Process p = new ProcessBuilder(PYTHON, script.toString(), dicomdir.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("oracle on " + dicomdir + ": " + err).isZero();
    List<Referenced> referenced = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] c = line.split("\t", -1);
      referenced.add(
          new Referenced(
              Path.of(c[0]), c[1].equals("True"), c[2].equals("True"), c[3], c[4], c[5]));
    }
    return referenced;
  }

  /** StudyInstanceUID → SeriesInstanceUID → SOPInstanceUIDs of the files with pixel data. */
  private static Map<String, Map<String, Set<String>>> tree(List<Referenced> referenced) {
    Map<String, Map<String, Set<String>>> tree = new TreeMap<>();
    referenced.stream()
        .filter(Referenced::image)
        .forEach(
            r ->
                tree.computeIfAbsent(r.study(), k -> new TreeMap<>())
                    .computeIfAbsent(r.series(), k -> new TreeSet<>())
                    .add(r.sop()));
    return tree;
  }

  private static Map<String, Map<String, Set<String>>> tree(StudyScan scan) {
    Map<String, Map<String, Set<String>>> tree = new TreeMap<>();
    for (ImagingStudy study : scan.studies()) {
      Map<String, Set<String>> series = new TreeMap<>();
      for (ImageSeries s : study.series()) {
        series.put(
            s.seriesInstanceUid(),
            new TreeSet<>(s.instances().stream().map(ImageInstance::sopInstanceUid).toList()));
      }
      tree.put(study.studyInstanceUid(), series);
    }
    return tree;
  }

  private static long count(Map<String, Map<String, Set<String>>> tree) {
    return tree.values().stream().flatMap(s -> s.values().stream()).mapToLong(Set::size).sum();
  }
}
