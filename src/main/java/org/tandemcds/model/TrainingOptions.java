package org.tandemcds.model;

import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * How to train the case network.
 *
 * @param seed seeds the split, the data order, augmentation, modality dropout and the engine
 * @param epochs most epochs to run (early stopping may end sooner)
 * @param batchSize cases per step (≥ 8 keeps BatchNorm statistics sane)
 * @param image the image network's shape
 * @param fusion the fusion network's shape (its variant selects the ablation)
 * @param learningRate AdamW peak learning rate, decayed by a cosine schedule to 5 % of it
 * @param weightDecay AdamW decoupled weight decay
 * @param validationFraction share of cases held out for validation, calibration and thresholds
 * @param patience epochs without a better validation macro AUROC before stopping
 * @param modalityDropout probability of dropping the note, and separately of dropping the image, of
 *     a training case that has both (never both)
 * @param auxiliaryWeight weight of the per-head auxiliary losses beside the fused loss
 * @param invertProbability probability of photometric inversion during augmentation
 * @param augment whether to augment training images
 * @param maxStepsPerEpoch 0 for every batch, else at most this many steps per epoch (tests)
 * @param lesionWeight weight of the lesion loss on the image feature map for cases whose manifest
 *     localises lesions (0: off; {@code
 *     docs/decisions/0017-lesion-supervision-and-platt-calibration.md})
 * @param camWeight weight of the CAM localisation loss, which teaches the class activation map of
 *     each head that reads the image feature map and trains to peak on the lesion, for the same
 *     cases: the image head's while the image network trains, the joint head's when it trains on a
 *     frozen image network (0: off; {@code docs/decisions/0022-cam-localisation-loss.md}, {@code
 *     docs/decisions/0023-joint-head-cam-localisation.md})
 * @param negationWeight weight of the negation loss, which teaches the trained model that a mention
 *     speaking against a finding ("no effusion", "afebrile") lowers the finding's fused logit: for
 *     each case whose note has such a mention (the manifest's negated note spans), a hinge on the
 *     logit with the note minus the logit with the mention's tokens at the case's mean token
 *     embedding (0: off; {@code docs/decisions/0024-negation-loss.md})
 */
public record TrainingOptions(
    long seed,
    int epochs,
    int batchSize,
    ImageNetworkSpec image,
    FusionSpec fusion,
    float learningRate,
    float weightDecay,
    double validationFraction,
    int patience,
    double modalityDropout,
    float auxiliaryWeight,
    float invertProbability,
    boolean augment,
    int maxStepsPerEpoch,
    float lesionWeight,
    float camWeight,
    float negationWeight) {

  public TrainingOptions {
    require(epochs >= 1, "--epochs must be at least 1");
    require(batchSize >= 1, "--batch-size must be at least 1");
    require(
        validationFraction >= 0 && validationFraction < 1, "validation share must be in [0, 1)");
    require(modalityDropout >= 0 && modalityDropout <= 0.5, "modality dropout must be in [0, 0.5]");
    require(patience >= 1, "patience must be at least 1");
    require(learningRate > 0, "learning rate must be positive");
    require(lesionWeight >= 0, "--lesion-weight must not be negative");
    require(camWeight >= 0, "--cam-weight must not be negative");
    require(negationWeight >= 0, "--negation-weight must not be negative");
    require(
        negationWeight == 0 || fusion.variant().usesNote(),
        "--negation-weight needs a variant that reads the note, not " + fusion.variant().label());
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, message);
    }
  }

  /**
   * The standard recipe at 320² for a variant: 30 epochs, batch 16, AdamW 1e-3, lesion weight 1.
   */
  public static TrainingOptions standard(long seed, FusionVariant variant) {
    ImageNetworkSpec image = ImageNetworkSpec.standard();
    return new TrainingOptions(
        seed,
        30,
        16,
        image,
        FusionSpec.standard(variant, image),
        1e-3f,
        1e-4f,
        0.15,
        5,
        0.2,
        0.5f,
        0.05f,
        true,
        0,
        1f,
        0f,
        0f);
  }

  public TrainingOptions withEpochs(int n) {
    return with(b -> b.epochs = n);
  }

  public TrainingOptions withBatchSize(int n) {
    return with(b -> b.batchSize = n);
  }

  public TrainingOptions withMaxStepsPerEpoch(int n) {
    return with(b -> b.maxStepsPerEpoch = n);
  }

  public TrainingOptions withNetworks(ImageNetworkSpec image, FusionSpec fusion) {
    return with(
        b -> {
          b.image = image;
          b.fusion = fusion;
        });
  }

  public TrainingOptions withLearningRate(float rate) {
    return with(b -> b.learningRate = rate);
  }

  public TrainingOptions withAugment(boolean on) {
    return with(b -> b.augment = on);
  }

  public TrainingOptions withLesionWeight(float weight) {
    return with(b -> b.lesionWeight = weight);
  }

  public TrainingOptions withCamWeight(float weight) {
    return with(b -> b.camWeight = weight);
  }

  public TrainingOptions withNegationWeight(float weight) {
    return with(b -> b.negationWeight = weight);
  }

  /** A copy with {@code change} applied to its fields. */
  private TrainingOptions with(java.util.function.Consumer<Fields> change) {
    Fields f = new Fields(this);
    change.accept(f);
    return f.build();
  }

  /** The fields of a copy being changed. */
  private static final class Fields {
    long seed;
    int epochs;
    int batchSize;
    ImageNetworkSpec image;
    FusionSpec fusion;
    float learningRate;
    float weightDecay;
    double validationFraction;
    int patience;
    double modalityDropout;
    float auxiliaryWeight;
    float invertProbability;
    boolean augment;
    int maxStepsPerEpoch;
    float lesionWeight;
    float camWeight;
    float negationWeight;

    Fields(TrainingOptions o) {
      seed = o.seed;
      epochs = o.epochs;
      batchSize = o.batchSize;
      image = o.image;
      fusion = o.fusion;
      learningRate = o.learningRate;
      weightDecay = o.weightDecay;
      validationFraction = o.validationFraction;
      patience = o.patience;
      modalityDropout = o.modalityDropout;
      auxiliaryWeight = o.auxiliaryWeight;
      invertProbability = o.invertProbability;
      augment = o.augment;
      maxStepsPerEpoch = o.maxStepsPerEpoch;
      lesionWeight = o.lesionWeight;
      camWeight = o.camWeight;
      negationWeight = o.negationWeight;
    }

    TrainingOptions build() {
      return new TrainingOptions(
          seed,
          epochs,
          batchSize,
          image,
          fusion,
          learningRate,
          weightDecay,
          validationFraction,
          patience,
          modalityDropout,
          auxiliaryWeight,
          invertProbability,
          augment,
          maxStepsPerEpoch,
          lesionWeight,
          camWeight,
          negationWeight);
    }
  }
}
