package org.tandemcds.explain;

/**
 * Class activation maps from a feature map {@code A} ({@code C × H × W}) and the gradient {@code G}
 * of a finding's logit with respect to it.
 *
 * <ul>
 *   <li>{@link #HIRES_CAM} (Draelos &amp; Carin 2020): {@code ReLU(Σ_c G_c ⊙ A_c)}, the gradient
 *       times the activation at each location. Tandem's default: where the fused logit is linear in
 *       the map (the image head reads its global average) it is exactly each location's share of
 *       the logit, and where it is not (the joint head reads each patch with its own position
 *       embedding) it keeps the gradient's spatial detail, which Grad-CAM averages away.
 *   <li>{@link #GRAD_CAM} (Selvaraju et al. 2017): {@code ReLU(Σ_c mean(G_c) · A_c)}, as in
 *       pytorch-grad-cam's {@code GradCAM.get_cam_weights}.
 * </ul>
 */
public enum CamMethod {
  HIRES_CAM("hires-cam"),
  GRAD_CAM("grad-cam");

  private final String label;

  CamMethod(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The method with this label. */
  public static CamMethod parse(String label) {
    for (CamMethod m : values()) {
      if (m.label.equals(label)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown CAM method " + label + " (hires-cam or grad-cam)");
  }

  /**
   * The map, {@code H × W} row-major, non-negative.
   *
   * @param activations {@code C × H × W} row-major
   * @param gradients same layout
   */
  public float[] map(float[] activations, float[] gradients, int channels, int plane) {
    float[] cam = new float[plane];
    for (int c = 0; c < channels; c++) {
      double weight = this == GRAD_CAM ? mean(gradients, c * plane, plane) : 0;
      for (int i = 0; i < plane; i++) {
        int at = c * plane + i;
        double g = this == GRAD_CAM ? weight : gradients[at];
        cam[i] += (float) (g * activations[at]);
      }
    }
    for (int i = 0; i < plane; i++) {
      cam[i] = Math.max(0f, cam[i]);
    }
    return cam;
  }

  private static double mean(float[] values, int from, int length) {
    double s = 0;
    for (int i = from; i < from + length; i++) {
      s += values[i];
    }
    return s / length;
  }
}
