package org.tandemcds.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.SaliencyMap;
import org.tandemcds.domain.TextSpan;

class ExplainEvaluationTest {
  /** A 100 × 200 frame; a 10 × 10 grid with its peak in cell (row 2, column 7). */
  private static SaliencyMap peakAt(int row, int column) {
    float[] values = new float[100];
    values[row * 10 + column] = 1f;
    values[0] = 0.5f;
    return new SaliencyMap("t", "1.2.3", 1, 100, 200, 10, 10, values, 1, Optional.empty());
  }

  /** A mask with one inside pixel. */
  private static GroundTruth.Mask dot(int row, int column) {
    boolean[] inside = new boolean[100 * 200];
    inside[row * 200 + column] = true;
    return new GroundTruth.Mask(100, 200, inside);
  }

  @Test
  void
      the_pointing_game_hits_within_five_percent_of_the_image_width_of_the_mask_and_misses_beyond() {
    // the peak cell (2, 7) has its centre at row 25, column 150; 5 % of 200 columns is 10 pixels
    SaliencyMap map = peakAt(2, 7);

    assertThat(ExplainEvaluation.pointing(map, dot(25, 150))).isTrue();
    assertThat(ExplainEvaluation.pointing(map, dot(25, 158))).isTrue(); // 8.5 px from the centre
    assertThat(ExplainEvaluation.pointing(map, dot(25, 161))).isFalse(); // 11.5 px
    assertThat(ExplainEvaluation.pointing(map, dot(33, 150))).isTrue(); // rows count as columns do
    assertThat(ExplainEvaluation.pointing(map, dot(5, 5))).isFalse(); // the second-highest cell

    ExplainEvaluation.Pointing miss = ExplainEvaluation.Pointing.of(map, dot(25, 161));
    assertThat(miss.peakRow()).isEqualTo(25.0);
    assertThat(miss.peakColumn()).isEqualTo(150.0);
    assertThat(miss.distance())
        .isEqualTo(Math.hypot(0.5, 11.5)); // to the pixel centre (25.5, 161.5)
    assertThat(miss.tolerance()).isEqualTo(10.0);
  }

  @Test
  void a_mask_reports_its_centroid_and_the_distance_to_its_nearest_pixel() {
    boolean[] inside = new boolean[100 * 200];
    for (int r = 40; r < 50; r++) {
      for (int c = 20; c < 40; c++) {
        inside[r * 200 + c] = true;
      }
    }
    GroundTruth.Mask box = new GroundTruth.Mask(100, 200, inside);

    assertThat(box.centroid()).containsExactly(45.0, 30.0);
    assertThat(box.distance(45, 30)).isLessThan(1);
    assertThat(box.distance(45.5, 60.5)).isEqualTo(21.0); // to the centre of pixel (45, 39)
    assertThat(box.near(45.5, 60.5, 21)).isTrue();
    assertThat(box.near(45.5, 60.5, 20.9)).isFalse();
    assertThat(new GroundTruth.Mask(2, 2, new boolean[4]).distance(0, 0)).isInfinite();
  }

  @Test
  void a_generator_span_is_found_at_its_offset_or_at_the_nearest_occurrence_of_its_text() {
    String text = "no effusion. Small effusion on the left. effusion";
    GroundTruth.Span exact = new GroundTruth.Span(19, 27, "effusion", "affirmed", "supporting");
    GroundTruth.Span shifted = new GroundTruth.Span(17, 25, "effusion", "affirmed", "supporting");
    GroundTruth.Span missing = new GroundTruth.Span(0, 5, "edema", "negated", "negated");

    assertThat(ExplainEvaluation.locate(text, exact)).isEqualTo(new TextSpan(19, 27));
    assertThat(ExplainEvaluation.locate(text, shifted)).isEqualTo(new TextSpan(19, 27));
    assertThat(ExplainEvaluation.locate(text, missing)).isNull();
    assertThat(ExplainEvaluation.overlaps(new TextSpan(0, 5), new TextSpan(4, 9))).isTrue();
    assertThat(ExplainEvaluation.overlaps(new TextSpan(0, 5), new TextSpan(5, 9))).isFalse();
  }
}
