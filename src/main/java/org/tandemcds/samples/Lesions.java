package org.tandemcds.samples;

import java.util.List;

/**
 * The latent geometry of the findings, in anatomical units (1 unit = half the inner thoracic
 * width). The renderer places it on the pixel grid.
 *
 * @param trueCtr the cardiothoracic ratio of the patient (label: cardiomegaly iff {@code > 0.5})
 * @param effusions one per affected side
 * @param pneumothorax empty list or one
 * @param opacities nodules/masses and consolidations
 */
public record Lesions(
    double trueCtr,
    List<Effusion> effusions,
    List<Pneumothorax> pneumothorax,
    List<Opacity> opacities) {

  /** Fluid reaching {@code height} units above the costophrenic angle. */
  public record Effusion(Side side, double height) {}

  /** Pleural air of apical rim width {@code rim} units. */
  public record Pneumothorax(Side side, double rim) {}

  /**
   * A lung opacity. {@code morphology} runs from 0 (round, sharp, nodule-like) to 1 (patchy,
   * ill-defined, consolidation-like); ambiguous ones sit in the middle.
   */
  public record Opacity(
      Finding finding,
      Side side,
      double diameter,
      double morphology,
      double amplitude,
      boolean airBronchograms,
      boolean ambiguous,
      double placeU,
      double placeV) {}
}
