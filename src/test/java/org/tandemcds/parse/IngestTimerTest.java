package org.tandemcds.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.dicom.DicomDirectory;
import org.tandemcds.dicom.DicomImageReader;
import org.tandemcds.dicom.DicomLimits;
import org.tandemcds.dicom.TestImages;

class IngestTimerTest {
  @TempDir Path dir;
  private final IngestTimer timer =
      new IngestTimer(
          new StudyReader(
              new DicomImageReader(DicomLimits.defaults()),
              new DicomDirectory(DicomLimits.defaults()),
              new PixelNormaliser(0.5, 99.5)));

  @Test
  void the_median_of_an_odd_count_is_the_middle_value_and_of_an_even_count_the_mean_of_two() {
    assertThat(IngestTimer.median(new long[] {1, 5, 9})).isEqualTo(5);
    assertThat(IngestTimer.median(new long[] {1, 5, 9, 20})).isEqualTo(7);
  }

  @Test
  void each_file_gets_one_timing_in_order_with_its_pixel_count() throws Exception {
    Path a = TestImages.cr(4, 5, new short[20]).write(dir.resolve("a.dcm"));
    Path b = TestImages.cr(3, 3, new short[18]).frames(2).write(dir.resolve("b.dcm"));
    List<IngestTimer.FileTiming> timings = timer.time(List.of(a, b), 1, 3);
    assertThat(timings).extracting(IngestTimer.FileTiming::file).containsExactly(a, b);
    assertThat(timings).extracting(IngestTimer.FileTiming::pixels).containsExactly(20L, 18L);
    timings.forEach(t -> assertThat(t.medianNanos()).isBetween(t.minNanos(), t.maxNanos()));
  }

  @Test
  void repeats_must_be_positive() {
    assertThatThrownBy(() -> timer.time(List.of(), 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
