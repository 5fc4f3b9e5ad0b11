package org.tandemcds.model;

import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The shape of the fusion network ({@link FusionNetwork}).
 *
 * @param findings the findings predicted, in output order
 * @param variant which heads exist
 * @param width model width {@code d} of the trainable transformer layers
 * @param heads attention heads ({@code width} must be a multiple)
 * @param noteLayers trainable transformer encoder layers over the frozen note token features
 * @param textDimension size of the frozen token features (384 for all-MiniLM-L6-v2)
 * @param imageChannels channels {@code C} of the image feature map
 * @param mapRows rows {@code H} of the (square) image feature map: {@code H²} patch tokens
 * @param dropout dropout rate inside the transformer layers during training
 * @param imagePooling how the image head reads the feature map: 0 (the default, and what a card
 *     without the field means) a linear map of the pooled embedding (the map's global average),
 *     equivalently the mean of per-cell linear scores; {@code r > 0} the same per-cell scores
 *     pooled by log-sum-exp with sharpness {@code r}, {@code (1/r)·log(mean(exp(r·s)))}, which lies
 *     between the mean ({@code r → 0}) and the maximum ({@code r → ∞}) of the cells (Wang et al.
 *     2017, ChestX-ray8), so a finding's score comes from the cells that show it
 */
public record FusionSpec(
    List<String> findings,
    FusionVariant variant,
    int width,
    int heads,
    int noteLayers,
    int textDimension,
    int imageChannels,
    int mapRows,
    float dropout,
    float imagePooling) {

  /** The five findings of Tandem's chest model, in output order. */
  public static final List<String> CHEST_FINDINGS =
      List.of("cardiomegaly", "pleural_effusion", "pneumothorax", "nodule_mass", "consolidation");

  public FusionSpec {
    findings = List.copyOf(findings);
    if (findings.isEmpty() || width < 8 || heads < 1 || width % heads != 0 || noteLayers < 0) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "fusion spec width " + width);
    }
    if (textDimension < 1 || imageChannels < 1 || mapRows < 1 || dropout < 0 || dropout >= 1) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "fusion spec inputs");
    }
    if (!(imagePooling >= 0) || imagePooling > 100) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "image pooling " + imagePooling);
    }
  }

  /** A spec whose image head reads the pooled embedding (mean pooling). */
  public FusionSpec(
      List<String> findings,
      FusionVariant variant,
      int width,
      int heads,
      int noteLayers,
      int textDimension,
      int imageChannels,
      int mapRows,
      float dropout) {
    this(
        findings,
        variant,
        width,
        heads,
        noteLayers,
        textDimension,
        imageChannels,
        mapRows,
        dropout,
        0f);
  }

  /** This spec with the image head's pooling set (see the record). */
  public FusionSpec withImagePooling(float r) {
    return new FusionSpec(
        findings,
        variant,
        width,
        heads,
        noteLayers,
        textDimension,
        imageChannels,
        mapRows,
        dropout,
        r);
  }

  /** d = 128, 4 heads, one note layer, dropout 0.1, over the given image network's output. */
  public static FusionSpec standard(FusionVariant variant, ImageNetworkSpec image) {
    return new FusionSpec(
        CHEST_FINDINGS, variant, 128, 4, 1, 384, image.channels(), image.featureMapSize(), 0.1f);
  }

  public int findingCount() {
    return findings.size();
  }

  /** Patch tokens of the image: {@code mapRows²}. */
  public int patches() {
    return mapRows * mapRows;
  }
}
