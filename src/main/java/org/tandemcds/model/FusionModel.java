package org.tandemcds.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The fusion network of a trained case model with its card (calibration and thresholds), loaded
 * from a verified model directory for the fuse stage. Owns a DJL {@link Model}: close it once. The
 * parameters are read-only; forward passes from several threads each need their own NDManager.
 */
public final class FusionModel implements AutoCloseable {
  private final Model model;
  private final FusionNetwork network;
  private final FusionCard card;
  private final String cardSha256;
  private final String version;

  private FusionModel(Model model, FusionNetwork network, VerifiedModel artifacts) {
    this.model = model;
    this.network = network;
    this.card = artifacts.card().fusion();
    this.cardSha256 = artifacts.cardSha256();
    this.version = artifacts.card().version();
  }

  /**
   * Loads {@code fusion.params} of a verified case model directory.
   *
   * @throws CdsException {@link ErrorCode#MODEL_CARD_INVALID} when the card has no fusion section;
   *     see {@link VerifiedModel#loadParameters} for the others
   */
  public static FusionModel load(VerifiedModel artifacts, Device device) {
    FusionCard card = fusionCard(artifacts);
    Model model = Model.newInstance(CaseModel.NAME + "-fusion", device, Devices.PYTORCH);
    try {
      FusionNetwork network = new FusionNetwork(card.fusion());
      network.initialize(model.getNDManager(), DataType.FLOAT32, inputShapes(card.fusion()));
      model.setBlock(network);
      artifacts.loadParameters(CaseModel.FUSION_PARAMETERS, network, model.getNDManager());
      return new FusionModel(model, network, artifacts);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  public static FusionCard fusionCard(VerifiedModel artifacts) {
    FusionCard card = artifacts.card().fusion();
    if (card == null
        || card.fusion() == null
        || card.image() == null
        || card.temperatures().size() != card.fusion().findingCount()
        || card.thresholds().size() != card.fusion().findingCount()
        || (card.biases() != null && card.biases().size() != card.fusion().findingCount())
        || (card.modes() != null
            && card.modes().values().stream()
                .anyMatch(
                    m ->
                        m.temperatures().size() != card.fusion().findingCount()
                            || m.biases().size() != card.fusion().findingCount()
                            || m.thresholds().size() != card.fusion().findingCount()))) {
      throw new CdsException(
          ErrorCode.MODEL_CARD_INVALID, artifacts.dir() + ": card has no complete fusion section");
    }
    return card;
  }

  private static Shape[] inputShapes(FusionSpec s) {
    return new Shape[] {
      new Shape(1, s.imageChannels(), s.mapRows(), s.mapRows()),
      new Shape(1, s.imageChannels()),
      new Shape(1, 1, s.textDimension()),
      new Shape(1, 1),
      new Shape(1, 2)
    };
  }

  /** The DJL model (for the fuse stage's NDManagers). */
  public Model model() {
    return model;
  }

  public FusionNetwork network() {
    return network;
  }

  public FusionCard card() {
    return card;
  }

  /** sha256 of the model card: pins every file of the model. */
  public String cardSha256() {
    return cardSha256;
  }

  public String version() {
    return version;
  }

  @Override
  public void close() {
    model.close();
  }
}
