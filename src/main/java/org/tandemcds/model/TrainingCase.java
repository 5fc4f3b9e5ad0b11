package org.tandemcds.model;

import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * One labelled case, encoded once before training and kept compact in memory: the letterboxed image
 * as 16-bit fixed point and the frozen note token features as bfloat16. Training never decodes
 * DICOM or runs the text transformer again.
 *
 * @param id the study id from the manifest (never a patient identifier)
 * @param inputSize side {@code S} of the square image, 0 when there is no image
 * @param image {@code S × S} values {@code round(v · 65535)} of the letterboxed image in [0, 1];
 *     empty when there is no image
 * @param content rows and columns of the input square covered by the image: {@code [row0, col0,
 *     row1, col1)} (photometric augmentation stays inside it, padding stays black)
 * @param tokens {@code tokenCount × dimension} bfloat16 token features of all the case's notes,
 *     concatenated in order; empty when there is no note
 * @param tokenCount number of note tokens
 * @param dimension token feature size (384)
 * @param labels one 0/1 label per finding, in the fusion spec's order
 * @param lesions per finding, the lesion map letterboxed like the image ({@code S × S} coverage
 *     {@code round(c · 255)}), an empty array when the finding is absent (no lesion anywhere), null
 *     when unknown; the whole array is null when the case has no localisation (lesion supervision
 *     of the image network, {@code
 *     docs/decisions/0017-lesion-supervision-and-platt-calibration.md})
 * @param negations per note token, a bit set {@code 1 << k} when the token lies in a mention that
 *     speaks against finding {@code k} ({@link LabelledStudy#negations}; first note only, at most 8
 *     findings); empty when the case has no such mentions or no note
 */
public record TrainingCase(
    String id,
    int inputSize,
    short[] image,
    int[] content,
    short[] tokens,
    int tokenCount,
    int dimension,
    float[] labels,
    byte[][] lesions,
    byte[] negations) {

  public TrainingCase {
    if (image.length != inputSize * inputSize
        || tokens.length != tokenCount * dimension
        || (lesions != null && lesions.length != labels.length)
        || (negations.length != 0 && negations.length != tokenCount)
        || (negations.length != 0 && labels.length > Byte.SIZE)) {
      throw new CdsException(ErrorCode.INTERNAL, "training case " + id + " has bad array sizes");
    }
    if (lesions != null) {
      for (byte[] map : lesions) {
        if (map != null && map.length != 0 && map.length != image.length) {
          throw new CdsException(
              ErrorCode.INTERNAL, "training case " + id + " has a bad lesion map");
        }
      }
    }
  }

  /** A case without negated mentions. */
  public TrainingCase(
      String id,
      int inputSize,
      short[] image,
      int[] content,
      short[] tokens,
      int tokenCount,
      int dimension,
      float[] labels,
      byte[][] lesions) {
    this(
        id, inputSize, image, content, tokens, tokenCount, dimension, labels, lesions, new byte[0]);
  }

  /** A case without lesion localisation. */
  public TrainingCase(
      String id,
      int inputSize,
      short[] image,
      int[] content,
      short[] tokens,
      int tokenCount,
      int dimension,
      float[] labels) {
    this(id, inputSize, image, content, tokens, tokenCount, dimension, labels, null, new byte[0]);
  }

  public boolean hasImage() {
    return image.length > 0;
  }

  public boolean hasNote() {
    return tokenCount > 0;
  }

  /** Encodes an image in [0, 1] as 16-bit fixed point. */
  public static short[] packImage(float[] pixels) {
    short[] out = new short[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      out[i] = (short) Math.round(Math.max(0f, Math.min(1f, pixels[i])) * 65535f);
    }
    return out;
  }

  /** The image back as floats in [0, 1]. */
  public float[] imagePixels() {
    float[] out = new float[image.length];
    for (int i = 0; i < image.length; i++) {
      out[i] = (image[i] & 0xffff) / 65535f;
    }
    return out;
  }

  /** Encodes features as bfloat16 (the top 16 bits of a float32, rounded to nearest even). */
  public static short[] packFeatures(float[] values) {
    short[] out = new short[values.length];
    for (int i = 0; i < values.length; i++) {
      int bits = Float.floatToRawIntBits(values[i]);
      int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
      out[i] = (short) (rounded >>> 16);
    }
    return out;
  }

  /** Writes the token features as floats into {@code target} from {@code offset}. */
  public void unpackTokens(float[] target, int offset) {
    for (int i = 0; i < tokens.length; i++) {
      target[offset + i] = Float.intBitsToFloat((tokens[i] & 0xffff) << 16);
    }
  }

  /** The same case without its note (modality dropout, image-only training). */
  public TrainingCase withoutNote() {
    return new TrainingCase(
        id, inputSize, image, content, new short[0], 0, dimension, labels, lesions, new byte[0]);
  }

  /** The same case without its image. */
  public TrainingCase withoutImage() {
    return new TrainingCase(
        id,
        0,
        new short[0],
        new int[] {0, 0, 0, 0},
        tokens,
        tokenCount,
        dimension,
        labels,
        null,
        negations);
  }
}
