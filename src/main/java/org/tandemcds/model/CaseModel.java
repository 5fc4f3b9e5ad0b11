package org.tandemcds.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Mode;

/**
 * The whole case network ({@link CaseNetwork}) on a device with, once trained, its card
 * (calibration, thresholds, data, metrics). Training, evaluation and the artifact round trip use
 * it; the pipeline's encode and fuse stages load the same files as {@link ImageModel} and {@link
 * FusionModel}.
 *
 * <p>Owns a DJL {@link Model}: close it once. Inference methods are not thread-safe.
 */
public final class CaseModel implements AutoCloseable {
  /** Parameter file of the image network inside a model directory. */
  public static final String IMAGE_PARAMETERS = "image.params";

  /** Parameter file of the fusion network inside a model directory. */
  public static final String FUSION_PARAMETERS = "fusion.params";

  /** Model name as outputs cite it. */
  public static final String NAME = "tandem-cxr-fusion";

  private final Model model;
  private final CaseNetwork network;
  private final ImageNetworkSpec imageSpec;
  private final FusionSpec fusionSpec;
  private FusionCard card;

  private CaseModel(Model model, CaseNetwork network, ImageNetworkSpec image, FusionSpec fusion) {
    this.model = model;
    this.network = network;
    this.imageSpec = image;
    this.fusionSpec = fusion;
  }

  /** A network with fresh parameters (the engine's current random seed decides them). */
  public static CaseModel initialised(ImageNetworkSpec image, FusionSpec fusion, Device device) {
    Model model = Model.newInstance(NAME, device, Devices.PYTORCH);
    CaseNetwork network = new CaseNetwork(image, fusion);
    network.initialize(model.getNDManager(), DataType.FLOAT32, network.inputShapes(1, 1));
    model.setBlock(network);
    return new CaseModel(model, network, image, fusion);
  }

  /**
   * Loads a trained case model from a verified directory onto the device {@code devices} chooses
   * (for callers outside the model code, which do not handle DJL devices).
   *
   * @throws CdsException as {@link #load(VerifiedModel, Device)} and {@link Devices#choose()}
   */
  public static CaseModel load(VerifiedModel artifacts, Devices devices) {
    return load(artifacts, devices.choose());
  }

  /**
   * Loads a trained case model from a verified directory.
   *
   * @throws CdsException {@link ErrorCode#MODEL_CARD_INVALID} when the card has no fusion section;
   *     see {@link VerifiedModel#loadParameters} for the others
   */
  public static CaseModel load(VerifiedModel artifacts, Device device) {
    FusionCard card = FusionModel.fusionCard(artifacts);
    CaseModel loaded = initialised(card.image(), card.fusion(), device);
    try {
      NDManager manager = loaded.model.getNDManager();
      if (loaded.network.image() != null) {
        artifacts.loadParameters(IMAGE_PARAMETERS, loaded.network.image(), manager);
      }
      artifacts.loadParameters(FUSION_PARAMETERS, loaded.network.fusion(), manager);
      loaded.card = card;
      return loaded;
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  Model model() {
    return model;
  }

  CaseNetwork network() {
    return network;
  }

  public ImageNetworkSpec imageSpec() {
    return imageSpec;
  }

  public FusionSpec fusionSpec() {
    return fusionSpec;
  }

  /** The card, or null before training finished. */
  public FusionCard card() {
    return card;
  }

  void setCard(FusionCard card) {
    this.card = card;
  }

  /**
   * Raw outputs over cases in inference mode, in batches of {@code batchSize}: fused logits {@code
   * n × F} and head logits {@code n × F × 3}, row-major.
   */
  public Outputs run(List<TrainingCase> cases, int batchSize) {
    int f = fusionSpec.findingCount();
    float[] fused = new float[cases.size() * f];
    float[] heads = new float[cases.size() * f * 3];
    for (int from = 0; from < cases.size(); from += batchSize) {
      List<TrainingCase> part = cases.subList(from, Math.min(cases.size(), from + batchSize));
      CaseBatch batch =
          CaseBatch.of(part, imageSpec.inputSize(), fusionSpec.textDimension(), null, null);
      try (NDManager manager = model.getNDManager().newSubManager()) {
        NDList out =
            network.forward(new ParameterStore(manager, false), inputs(manager, batch), false);
        System.arraycopy(out.get(0).toFloatArray(), 0, fused, from * f, part.size() * f);
        System.arraycopy(out.get(1).toFloatArray(), 0, heads, from * f * 3, part.size() * f * 3);
      }
    }
    return new Outputs(cases.size(), f, fused, heads);
  }

  /**
   * As {@link #run(List, int)}, but the image network's outputs come from {@code images} (computed
   * there first for images it lacks); {@code images} must belong to this model's image network
   * (e.g. one cache per {@code image.params} sha256). Falls back to {@link #run(List, int)} for a
   * variant without image network.
   */
  public Outputs run(List<TrainingCase> cases, int batchSize, ImageFeatureCache images) {
    if (images == null || network.image() == null) {
      return run(cases, batchSize);
    }
    images.add(this, cases, batchSize);
    return images.run(this, cases, batchSize);
  }

  /** As {@link #probabilities(List, int)}, with image features from {@code images}. */
  public double[][] probabilities(
      List<TrainingCase> cases, int batchSize, ImageFeatureCache images) {
    if (card == null) {
      throw new CdsException(ErrorCode.INTERNAL, "model is not calibrated yet");
    }
    return probabilities(run(cases, batchSize, images), cases);
  }

  /** Fused logits and head logits of {@code n} cases and {@code f} findings. */
  public record Outputs(int n, int f, float[] fused, float[] heads) {
    /** Fused logits of one finding over all cases. */
    public float[] fused(int finding) {
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = fused[i * f + finding];
      }
      return out;
    }

    /** Logits of one head (0 image, 1 note, 2 joint) for one finding over all cases. */
    public float[] head(int finding, int head) {
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        out[i] = heads[(i * f + finding) * 3 + head];
      }
      return out;
    }
  }

  /**
   * Calibrated probabilities {@code n × F} of cases.
   *
   * @throws CdsException {@link ErrorCode#INTERNAL} before the model is calibrated
   */
  public double[][] probabilities(List<TrainingCase> cases, int batchSize) {
    if (card == null) {
      throw new CdsException(ErrorCode.INTERNAL, "model is not calibrated yet");
    }
    return probabilities(run(cases, batchSize), cases);
  }

  private double[][] probabilities(Outputs out, List<TrainingCase> cases) {
    double[][] p = new double[out.n()][out.f()];
    for (int i = 0; i < out.n(); i++) {
      Mode mode = FusionCard.mode(cases.get(i).hasImage(), cases.get(i).hasNote());
      for (int k = 0; k < out.f(); k++) {
        p[i][k] = card.probability(k, out.fused()[i * out.f() + k], mode);
      }
    }
    return p;
  }

  static NDList inputs(NDManager manager, CaseBatch b) {
    return new NDList(
        manager.create(b.images(), new Shape(b.size(), 1, b.inputSize(), b.inputSize())),
        manager.create(b.features(), new Shape(b.size(), b.tokens(), b.dimension())),
        manager.create(b.mask(), new Shape(b.size(), b.tokens())),
        manager.create(b.presence(), new Shape(b.size(), 2)));
  }

  /**
   * Writes the model directory: {@code image.params} (when the variant reads images), {@code
   * fusion.params} and {@code model-card.json} with the fusion section.
   *
   * @throws CdsException see {@link ModelArtifactWriter#write}; {@link ErrorCode#INTERNAL} before
   *     calibration
   */
  public ModelCard write(Path dir, String version) {
    if (card == null) {
      throw new CdsException(ErrorCode.INTERNAL, "model is not calibrated yet");
    }
    Map<String, Block> parameters = new LinkedHashMap<>();
    if (network.image() != null) {
      parameters.put(IMAGE_PARAMETERS, network.image());
    }
    parameters.put(FUSION_PARAMETERS, network.fusion());
    return new ModelArtifactWriter().write(dir, NAME, version, parameters, Map.of(), card);
  }

  /** Copies of every parameter array's values, in order (for determinism checks). */
  public List<float[]> parameterValues() {
    List<float[]> values = new ArrayList<>();
    network.getParameters().values().forEach(p -> values.add(p.getArray().toFloatArray()));
    return values;
  }

  @Override
  public void close() {
    model.close();
  }
}
