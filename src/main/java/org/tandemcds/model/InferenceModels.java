package org.tandemcds.model;

import ai.djl.Device;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * A trained case model loaded for inference: the image network (absent for a note-only variant) and
 * the fusion network with its card, on the device {@link Devices} chooses. Callers outside model
 * code never see a DJL device. Close once; closes both networks.
 */
public final class InferenceModels implements AutoCloseable {
  private final VerifiedModel verified;
  private final Optional<ImageModel> image;
  private final FusionModel fusion;

  private InferenceModels(VerifiedModel verified, Optional<ImageModel> image, FusionModel fusion) {
    this.verified = verified;
    this.image = image;
    this.fusion = fusion;
  }

  /**
   * Loads the networks of a verified case model directory.
   *
   * @throws CdsException {@link ErrorCode#MODEL_CARD_INVALID} when the card has no fusion section;
   *     see {@link VerifiedModel#loadParameters} and {@link Devices#choose()} for the others
   */
  public static InferenceModels load(VerifiedModel verified, Devices devices) {
    Device device = devices.choose();
    FusionCard card = FusionModel.fusionCard(verified);
    FusionModel fusion = FusionModel.load(verified, device);
    try {
      Optional<ImageModel> image =
          card.fusion().variant().usesImage()
              ? Optional.of(
                  ImageModel.load(verified, CaseModel.IMAGE_PARAMETERS, card.image(), device))
              : Optional.empty();
      return new InferenceModels(verified, image, fusion);
    } catch (RuntimeException e) {
      fusion.close();
      throw e;
    }
  }

  public VerifiedModel verified() {
    return verified;
  }

  public Optional<ImageModel> image() {
    return image;
  }

  public FusionModel fusion() {
    return fusion;
  }

  /** Whether the model reads notes (so the text encoder is needed). */
  public boolean readsNotes() {
    return fusion.card().fusion().variant().usesNote();
  }

  @Override
  public void close() {
    fusion.close();
    image.ifPresent(ImageModel::close);
  }
}
