package org.tandemcds.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.Frame;
import org.tandemcds.encode.LetterboxGeometry;

class MapsTest {
  private static float[] randomMap(int side, long seed) {
    Random r = new Random(seed);
    float[] m = new float[side * side];
    for (int i = 0; i < m.length; i++) {
      m[i] = r.nextFloat();
    }
    return m;
  }

  @Test
  void a_grid_at_full_resolution_equals_the_letterbox_geometry_resampling_to_the_source() {
    LetterboxGeometry g = LetterboxGeometry.of(37, 53, 32); // landscape: padding above and below
    float[] map = randomMap(10, 1);

    float[] grid = Maps.toSourceGrid(map, 10, g, 37, 53);
    Frame expected = g.resampleToSource(new Frame(10, 10, map));

    assertThat(grid).containsExactly(expected.pixels(), within(1e-6f));
  }

  @Test
  void a_compact_grid_samples_the_map_at_the_centres_of_its_cells_in_source_pixels() {
    // Portrait 100 × 50 in a 20 square: scale 0.2, 5 columns of padding on the left.
    LetterboxGeometry g = LetterboxGeometry.of(100, 50, 20);
    float[] map = new float[4 * 4];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        map[r * 4 + c] = 10 * r + c; // linear in (r, c): bilinear sampling is exact inside
      }
    }

    float[] grid = Maps.toSourceGrid(map, 4, g, 4, 2);

    // Cell (1, 0): source centre (37.5, 12.5) → input (7.5, 5 + 2.5) → map (1.5 − 0.5, 1.5 − 0.5)
    assertThat(grid[2]).isCloseTo(10 * 1.0f + 1.0f, within(1e-5f));
    // Cell (3, 1): source (87.5, 37.5) → input (17.5, 12.5) → map (3.0, 2.0), row clamped at 3
    assertThat(grid[7]).isCloseTo(30 + 2.0f, within(1e-5f));
  }

  @Test
  void a_map_resampled_to_the_input_square_is_bilinear_with_edges_held() {
    float[] map = {0, 1, 2, 3};
    float[] out = Maps.toInput(map, 2, 4);

    // row 0 → u = −0.25 → clamped to 0; columns: v = −0.25, 0.25, 0.75, 1.25 → 0, .25, .75, 1
    assertThat(java.util.Arrays.copyOfRange(out, 0, 4))
        .containsExactly(new float[] {0, 0.25f, 0.75f, 1}, within(1e-6f));
    // row 1 → u = 0.25: adds 0.25 · 2
    assertThat(out[4 + 3]).isCloseTo(1.5f, within(1e-6f));
  }

  @Test
  void grids_keep_the_aspect_and_never_exceed_the_pixels() {
    assertThat(Maps.gridSize(3000, 2500, 128)).containsExactly(128, 107);
    assertThat(Maps.gridSize(60, 90, 128)).containsExactly(60, 90);
  }
}
