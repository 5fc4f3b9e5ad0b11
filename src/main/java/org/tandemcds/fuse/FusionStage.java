package org.tandemcds.fuse;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Prediction;
import org.tandemcds.encode.Encodings;
import org.tandemcds.encode.ImageFeatures;
import org.tandemcds.encode.TokenFeatures;
import org.tandemcds.model.CaseModel;
import org.tandemcds.model.FusionCard;
import org.tandemcds.model.FusionModel;
import org.tandemcds.model.FusionSpec;
import org.tandemcds.model.FusionVariant;

/**
 * The fuse stage: runs the trained fusion network over a case's encodings and turns its logits into
 * calibrated probabilities ({@code sigmoid(logit / T)} per finding), positive calls at the model's
 * thresholds, and the gate weight of each head. All windows of all notes are read; the image head,
 * note head and joint head are weighted by the learned gate for the inputs present.
 *
 * <p>Thread-safe: each call opens its own NDManager; the model's parameters are only read.
 */
public final class FusionStage {
  private final FusionModel model;

  public FusionStage(FusionModel model) {
    this.model = model;
  }

  /**
   * The prediction for one case.
   *
   * @throws CdsException {@link ErrorCode#MODEL_MODE_UNSUPPORTED} when the model reads none of the
   *     inputs given (e.g. an image-only model and a note-only case); {@link
   *     ErrorCode#MODEL_FAILURE} when the encodings do not fit the network, or when the network
   *     gives a non-finite logit or gate (never read as a negative finding)
   */
  public Prediction fuse(Encodings encodings) {
    FusionSpec spec = model.card().fusion();
    FusionVariant variant = spec.variant();
    boolean image = encodings.image().isPresent() && variant.usesImage();
    boolean note = !encodings.notes().isEmpty() && variant.usesNote();
    if (!variant.serves(image, note)) {
      throw new CdsException(
          ErrorCode.MODEL_MODE_UNSUPPORTED,
          "model variant "
              + variant.label()
              + " cannot serve a "
              + encodings.mode().label()
              + " case");
    }
    try (NDManager manager = model.model().getNDManager().newSubManager()) {
      NDList out =
          model
              .network()
              .forward(
                  new ParameterStore(manager, false),
                  inputs(manager, spec, encodings, image, note),
                  false);
      return prediction(out.get(0).toFloatArray(), out.get(2).toFloatArray(), mode(image, note));
    }
  }

  private static Mode mode(boolean image, boolean note) {
    return image && note ? Mode.IMAGE_AND_NOTE : image ? Mode.IMAGE_ONLY : Mode.NOTE_ONLY;
  }

  private static NDList inputs(
      NDManager manager, FusionSpec spec, Encodings e, boolean image, boolean note) {
    int c = spec.imageChannels();
    int h = spec.mapRows();
    float[] map = new float[c * h * h];
    float[] pooled = new float[c];
    if (image) {
      ImageFeatures f = e.image().get();
      if (f.channels() != c || f.mapRows() != h) {
        throw new CdsException(
            ErrorCode.MODEL_FAILURE,
            "image features "
                + f.channels()
                + "x"
                + f.mapRows()
                + " do not fit the fusion network");
      }
      map = f.featureMap();
      pooled = f.embedding();
    }
    float[] tokens =
        note ? concatenated(e.notes(), spec.textDimension()) : new float[spec.textDimension()];
    int t = tokens.length / spec.textDimension();
    float[] mask = new float[t];
    Arrays.fill(mask, note ? 1f : 0f);
    return new NDList(
        manager.create(map, new Shape(1, c, h, h)),
        manager.create(pooled, new Shape(1, c)),
        manager.create(tokens, new Shape(1, t, spec.textDimension())),
        manager.create(mask, new Shape(1, t)),
        manager.create(new float[] {image ? 1 : 0, note ? 1 : 0}, new Shape(1, 2)));
  }

  private static float[] concatenated(List<TokenFeatures> notes, int dimension) {
    int total = 0;
    for (TokenFeatures n : notes) {
      if (n.dimension() != dimension) {
        throw new CdsException(
            ErrorCode.MODEL_FAILURE, "token features of " + n.dimension() + " values");
      }
      total += n.features().length;
    }
    float[] all = new float[Math.max(total, dimension)];
    int at = 0;
    for (TokenFeatures n : notes) {
      System.arraycopy(n.features(), 0, all, at, n.features().length);
      at += n.features().length;
    }
    return all;
  }

  private Prediction prediction(float[] logits, float[] gates, Mode mode) {
    FusionCard card = model.card();
    List<String> findings = card.fusion().findings();
    List<FindingPrediction> out = new ArrayList<>();
    for (int k = 0; k < findings.size(); k++) {
      double p = card.probability(k, logits[k], mode);
      double threshold = card.threshold(k, mode);
      if (!Double.isFinite(p)
          || !Float.isFinite(gates[3 * k] + gates[3 * k + 1] + gates[3 * k + 2])) {
        // NaN >= threshold is false: without this check a broken network would read as "absent"
        throw new CdsException(
            ErrorCode.MODEL_FAILURE,
            "the model gave no finite probability for "
                + findings.get(k)
                + "; no suggestion is made for this case");
      }
      out.add(
          new FindingPrediction(
              findings.get(k),
              p,
              threshold,
              p >= threshold,
              gates[3 * k],
              gates[3 * k + 1],
              gates[3 * k + 2]));
    }
    return new Prediction(out, mode, CaseModel.NAME, model.version(), model.cardSha256());
  }
}
