package org.tandemcds.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.dicom.DicomDirectory;
import org.tandemcds.dicom.DicomImageReader;
import org.tandemcds.dicom.DicomLimits;
import org.tandemcds.dicom.TestImages;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.StudyScan;

class StudyReaderTest {
  @TempDir Path dir;
  private final StudyReader reader =
      new StudyReader(
          new DicomImageReader(DicomLimits.defaults()),
          new DicomDirectory(DicomLimits.defaults()),
          new PixelNormaliser(0.5, 99.5));

  @Test
  void a_folder_gives_one_study_and_records_every_file_it_did_not_use() throws Exception {
    Files.createDirectories(dir.resolve("a/b"));
    TestImages.cr(4, 4, new short[16]).write(dir.resolve("a/one.dcm"));
    TestImages.cr(4, 4, new short[16]).write(dir.resolve("a/b/two.dcm"));
    TestImages.cr(1, 1, new short[1])
        .sopClass(TestImages.BASIC_TEXT_SR)
        .withoutPixelData()
        .write(dir.resolve("sr.dcm"));
    Files.writeString(dir.resolve("notes.txt"), "not DICOM");
    StudyScan scan = reader.scan(dir);
    assertThat(scan.studies()).hasSize(1);
    assertThat(scan.studies().get(0).instances()).hasSize(2);
    assertThat(scan.rejections())
        .extracting(r -> r.code())
        .containsExactlyInAnyOrder(ErrorCode.DICOM_NOT_AN_IMAGE, ErrorCode.DICOM_NOT_READABLE);
  }

  @Test
  void a_folder_without_images_is_an_empty_study_with_the_rejections_counted() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "not DICOM");
    assertThatThrownBy(() -> reader.readStudy(dir))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.STUDY_EMPTY);
              assertThat(e.detail()).contains("TDM-101=1");
            });
  }

  @Test
  void a_scan_past_its_pixel_budget_fails_as_too_large_naming_the_file() throws Exception {
    for (String name : List.of("1.dcm", "2.dcm", "3.dcm")) {
      TestImages.cr(4, 4, new short[16]).write(dir.resolve(name));
    }
    StudyReader smallBudget = readerWithBudget(47);
    assertThatThrownBy(() -> smallBudget.scan(dir))
        .isInstanceOfSatisfying(
            CdsException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.STUDY_TOO_LARGE);
              assertThat(e.detail())
                  .isEqualTo(
                      dir
                          + ": "
                          + dir.resolve("3.dcm")
                          + " brings the scan to 48 pixels > budget 47");
            });
    assertThat(readerWithBudget(48).scan(dir).studies().get(0).instances()).hasSize(3);
  }

  private static StudyReader readerWithBudget(long pixels) {
    return new StudyReader(
        new DicomImageReader(DicomLimits.defaults()),
        new DicomDirectory(DicomLimits.defaults()),
        new PixelNormaliser(0.5, 99.5),
        pixels);
  }
}
