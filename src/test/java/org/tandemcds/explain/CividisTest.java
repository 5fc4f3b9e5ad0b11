package org.tandemcds.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CividisTest {
  @Test
  void the_colour_map_runs_from_dark_blue_to_yellow_through_its_stops() {
    assertThat(Cividis.rgb(0)).isEqualTo(0x00224E);
    assertThat(Cividis.rgb(0.5)).isEqualTo(0x7C7B78);
    assertThat(Cividis.rgb(1)).isEqualTo(0xFDE737);
    assertThat(Cividis.rgb(-3)).isEqualTo(Cividis.rgb(0));
    assertThat(Cividis.rgb(7)).isEqualTo(Cividis.rgb(1));
  }

  @Test
  void luminance_rises_strictly_so_the_map_also_reads_in_grey() {
    double previous = -1;
    for (int i = 0; i <= 100; i++) {
      double l = Cividis.luminance(Cividis.rgb(i / 100.0));
      assertThat(l).isGreaterThan(previous);
      previous = l;
    }
  }

  @Test
  void overlay_blending_leaves_low_saliency_untinted_and_tints_the_peak_by_the_opacity() {
    assertThat(OverlayRenderer.blend(100, 0.1)).isEqualTo(0x646464);
    int peak = OverlayRenderer.blend(100, 1.0);
    // 0.4 · 100 + 0.6 · (0xFD, 0xE7, 0x37) = (191.8, 178.6, 73)
    assertThat((peak >> 16) & 0xff).isEqualTo(192);
    assertThat((peak >> 8) & 0xff).isEqualTo(179);
    assertThat(peak & 0xff).isEqualTo(73);
  }
}
