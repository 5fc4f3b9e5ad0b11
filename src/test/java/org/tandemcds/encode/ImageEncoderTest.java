package org.tandemcds.encode;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tandemcds.domain.Frame;
import org.tandemcds.model.Engines;
import org.tandemcds.model.ImageModel;
import org.tandemcds.model.ImageNetworkSpec;

class ImageEncoderTest {
  private static ImageModel model;
  private static ImageEncoder encoder;

  @BeforeAll
  static void open() {
    Engines.init();
    model = ImageModel.initialised(ImageNetworkSpec.standard(), Device.cpu());
    encoder = new ImageEncoder(model);
  }

  @AfterAll
  static void close() {
    encoder.close();
    model.close();
  }

  @Test
  void one_frame_gives_a_10_by_10_map_of_256_channels_and_their_spatial_mean() {
    ImageFeatures f = encoder.encode(List.of(frame(2500, 2048, 1))).get(0);

    assertThat(f.channels()).isEqualTo(256);
    assertThat(f.mapRows()).isEqualTo(10);
    assertThat(f.featureMap()).hasSize(256 * 10 * 10);
    for (int c = 0; c < 256; c += 51) {
      double mean = 0;
      for (float v : f.channel(c)) {
        mean += v / 100.0;
      }
      assertThat(f.embedding()[c])
          .isCloseTo((float) mean, org.assertj.core.data.Offset.offset(1e-4f));
    }
    assertThat(f.geometry()).isEqualTo(LetterboxGeometry.of(2500, 2048, 320));
  }

  @Test
  void a_batch_of_eight_frames_of_different_sizes_gives_eight_results_matching_single_runs() {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      frames.add(frame(200 + 37 * i, 300 - 11 * i, i));
    }

    List<ImageFeatures> batch = encoder.encode(frames);
    ImageFeatures alone = encoder.encode(List.of(frames.get(5))).get(0);

    assertThat(batch).hasSize(8);
    assertThat(batch).allSatisfy(f -> assertThat(f.featureMap()).hasSize(256 * 100));
    assertThat(batch.get(5).embedding())
        .containsExactly(alone.embedding(), org.assertj.core.data.Offset.offset(1e-4f));
    assertThat(batch.get(3).geometry().sourceRows()).isEqualTo(200 + 37 * 3);
  }

  private static Frame frame(int rows, int columns, long seed) {
    Random random = new Random(seed);
    float[] pixels = new float[rows * columns];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    return new Frame(rows, columns, pixels);
  }
}
