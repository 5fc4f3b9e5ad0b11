package org.tandemcds.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.tandemcds.encode.LetterboxGeometry;
import org.tandemcds.model.Engines;
import org.tandemcds.model.ImageNetwork;
import org.tandemcds.model.ImageNetworkSpec;

class MapsTest {
  @org.junit.jupiter.api.BeforeAll
  static void offline() {
    Engines.init();
  }

  @Test
  void a_map_cell_is_placed_at_the_centre_of_what_it_sees_in_the_real_image_network() {
    // Tandem's image network with every kernel constant and positive (symmetric blurs), fed a flat
    // grey image with one bright pixel: the feature map's response is centred on the cell
    // coordinate Maps places that pixel at, and half a cell from the pyramid convention.
    int size = 192;
    ImageNetworkSpec spec = ImageNetworkSpec.standard().withInputSize(size);
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block net = ImageNetwork.build(spec);
      net.initialize(manager, DataType.FLOAT32, ImageNetwork.inputShape(spec, 1));
      for (Pair<String, Parameter> p : net.getParameters()) {
        NDArray a = p.getValue().getArray();
        Shape shape = a.getShape();
        Parameter.Type type = p.getValue().getType();
        float value =
            type == Parameter.Type.WEIGHT
                ? 1f / (shape.get(1) * shape.get(2) * shape.get(3))
                : type == Parameter.Type.GAMMA || type == Parameter.Type.RUNNING_VAR ? 1f : 0f;
        float[] values = new float[(int) shape.size()];
        java.util.Arrays.fill(values, value);
        a.set(java.nio.FloatBuffer.wrap(values));
      }
      int side = spec.featureMapSize();
      double step = (double) side / size;
      float[] base = response(manager, net, size, -1, -1);
      for (int[] at : new int[][] {{70, 101}, {96, 96}, {117, 83}, {60, 130}}) {
        float[] hit = response(manager, net, size, at[0], at[1]);
        double sum = 0;
        double row = 0;
        double column = 0;
        for (int i = 0; i < side * side; i++) {
          double d = hit[i] - base[i];
          sum += d;
          row += d * (i / side);
          column += d * (i % side);
        }
        assertThat(sum).isPositive();
        double expectedRow = Maps.Placement.RECEPTIVE_FIELD.cell(at[0] + 0.5, step);
        double expectedColumn = Maps.Placement.RECEPTIVE_FIELD.cell(at[1] + 0.5, step);
        assertThat(row / sum).isCloseTo(expectedRow, within(0.1));
        assertThat(column / sum).isCloseTo(expectedColumn, within(0.1));
        assertThat(Math.abs((at[0] + 0.5) * step - 0.5 - row / sum)).isGreaterThan(0.35);
      }
    }
  }

  /** The feature map summed over channels, for a grey image with one white pixel (or none). */
  private static float[] response(NDManager manager, Block net, int size, int row, int column) {
    float[] image = new float[size * size];
    java.util.Arrays.fill(image, 0.5f);
    if (row >= 0) {
      image[row * size + column] = 1f;
    }
    NDList out =
        net.forward(
            new ParameterStore(manager, false),
            new NDList(manager.create(image, new Shape(1, 1, size, size))),
            false);
    return out.get(0).sum(new int[] {1}).toFloatArray();
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

    MapInterpolation linear = MapInterpolation.BILINEAR;
    float[] grid = Maps.toSourceGrid(map, 4, linear, Maps.Placement.RECEPTIVE_FIELD, g, 4, 2);
    float[] blocks = Maps.toSourceGrid(map, 4, linear, Maps.Placement.BLOCKS, g, 4, 2);
    // a cubic through samples of a plane is that plane too
    float[] cubic =
        Maps.toSourceGrid(
            map, 4, MapInterpolation.BICUBIC, Maps.Placement.RECEPTIVE_FIELD, g, 4, 2);
    assertThat(cubic[2]).isCloseTo(grid[2], within(1e-5f));

    // 5 input pixels per cell. Cell (1, 0): source centre (37.5, 12.5) → input (7.5, 5 + 2.5)
    // → map ((7.5 − 0.5) / 5, (7.5 − 0.5) / 5) = (1.4, 1.4)
    assertThat(grid[2]).isCloseTo(10 * 1.4f + 1.4f, within(1e-5f));
    // Cell (3, 1): source (87.5, 37.5) → input (17.5, 12.5) → map (3.4, 2.4), row clamped at 3
    assertThat(grid[7]).isCloseTo(30 + 2.4f, within(1e-5f));
    // blocks (occlusion patches): cell (1, 0) → map (7.5 / 5 − 0.5, 7.5 / 5 − 0.5) = (1.0, 1.0)
    assertThat(blocks[2]).isCloseTo(11f, within(1e-5f));
  }

  @Test
  void a_map_resampled_to_a_finer_square_reads_the_coarse_map_at_the_same_input_points() {
    float[] map = {0, 1, 2, 3};
    float[] out = Maps.toInput(map, 2, 4, MapInterpolation.BILINEAR);

    // fine cell j reads coarse coordinate j / 2: columns 0, .5, 1, 1.5 → 0, .5, 1, 1 (held)
    assertThat(java.util.Arrays.copyOfRange(out, 0, 4))
        .containsExactly(new float[] {0, 0.5f, 1, 1}, within(1e-6f));
    // row 1 → u = 0.5: adds 0.5 · 2
    assertThat(out[4 + 3]).isCloseTo(2f, within(1e-6f));
  }

  @Test
  void bicubic_sampling_passes_through_the_cells_and_peaks_between_two_strong_neighbours() {
    // one row of six cells: the evidence spans cells 2 and 3, cell 3 a little weaker
    float[] row = {0, 0.1f, 1f, 0.9f, 0.1f, 0};
    for (int c = 0; c < 6; c++) {
      assertThat(Maps.bicubic(row, 1, 6, 0, c)).isCloseTo(row[c], within(1e-6));
      assertThat(Maps.bilinear(row, 1, 6, 0, c)).isCloseTo(row[c], within(1e-6));
    }
    double bestCubic = 0;
    double bestLinear = 0;
    double atCubic = 0;
    double atLinear = 0;
    for (int i = 0; i <= 500; i++) {
      double v = i / 100.0;
      double cubic = Maps.bicubic(row, 1, 6, 0, v);
      double linear = Maps.bilinear(row, 1, 6, 0, v);
      if (cubic > bestCubic) {
        bestCubic = cubic;
        atCubic = v;
      }
      if (linear > bestLinear) {
        bestLinear = linear;
        atLinear = v;
      }
    }

    // bilinear: the peak is the cell centre itself; bicubic: between the two, nearer the stronger
    assertThat(atLinear).isEqualTo(2.0);
    assertThat(atCubic).isStrictlyBetween(2.2, 2.5);
  }

  @Test
  void grids_keep_the_aspect_and_never_exceed_the_pixels() {
    assertThat(Maps.gridSize(3000, 2500, 128)).containsExactly(128, 107);
    assertThat(Maps.gridSize(60, 90, 128)).containsExactly(60, 90);
  }
}
