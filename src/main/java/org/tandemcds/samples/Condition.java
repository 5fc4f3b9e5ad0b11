package org.tandemcds.samples;

/** The latent disease states from which findings, image and note are all drawn. */
public enum Condition {
  HEART_FAILURE,
  LUNG_MALIGNANCY,
  PNEUMONIA,
  PLEURAL_AIR_LEAK
}
