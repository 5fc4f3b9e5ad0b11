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
    float dropout) {

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
