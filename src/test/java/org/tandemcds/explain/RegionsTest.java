package org.tandemcds.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.SaliencyMap.Point;
import org.tandemcds.domain.SaliencyMap.Region;

class RegionsTest {
  @Test
  void a_peaked_map_gives_the_box_and_hull_of_the_cells_above_half_the_peak_in_pixels() {
    float[] grid = new float[10 * 10];
    grid[3 * 10 + 4] = 1f; // peak
    grid[3 * 10 + 5] = 0.6f; // joins
    grid[4 * 10 + 4] = 0.5f; // joins (exactly half)
    grid[8 * 10 + 8] = 0.9f; // high but not connected
    grid[2 * 10 + 4] = 0.4f; // below half

    Optional<Region> region = Regions.standard().find(grid, 10, 10, 200, 100);

    // cells rows 3–4, columns 4–5 of 10; image 200 rows × 100 columns → 20 × 10 pixels a cell
    assertThat(region).isPresent();
    Region r = region.get();
    assertThat(List.of(r.left(), r.top(), r.width(), r.height())).containsExactly(40, 60, 20, 40);
    assertThat(r.contour())
        .containsExactlyInAnyOrder(
            new Point(40, 60),
            new Point(60, 60),
            new Point(60, 80),
            new Point(50, 100),
            new Point(40, 100));
  }

  @Test
  void a_flat_or_empty_map_has_no_region() {
    float[] flat = new float[16];
    java.util.Arrays.fill(flat, 0.7f);

    assertThat(Regions.standard().find(flat, 4, 4, 40, 40)).isEmpty();
    assertThat(Regions.standard().find(new float[16], 4, 4, 40, 40)).isEmpty();
  }

  @Test
  void the_hull_drops_interior_and_collinear_points() {
    List<Point> hull =
        Regions.hull(
            List.of(
                new Point(0, 0),
                new Point(2, 0),
                new Point(4, 0),
                new Point(4, 4),
                new Point(0, 4),
                new Point(2, 2)));

    assertThat(hull)
        .containsExactlyInAnyOrder(
            new Point(0, 0), new Point(4, 0), new Point(4, 4), new Point(0, 4));
  }
}
