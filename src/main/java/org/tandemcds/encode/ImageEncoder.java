package org.tandemcds.encode;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Frame;
import org.tandemcds.model.ImageModel;
import org.tandemcds.model.ImageNetwork;
import org.tandemcds.model.ImageNetworkSpec;

/**
 * The image encoder: letterboxes frames to the network's square input and runs the image network
 * (inference mode, on the model's device) over them as one batch.
 *
 * <p>Thread-safe: {@link #encode} is synchronised around the one predictor (run one encoder per
 * worker thread for parallelism). Closing it closes the predictor, not the {@link ImageModel}.
 */
public final class ImageEncoder implements AutoCloseable {
  private final ImageModel model;
  private final Letterbox letterbox;
  private final Predictor<NDList, NDList> predictor;

  public ImageEncoder(ImageModel model) {
    this.model = model;
    this.letterbox = new Letterbox(model.spec().inputSize());
    this.predictor = model.model().newPredictor(new NoopTranslator());
  }

  /**
   * Features of each frame, in order.
   *
   * @throws CdsException {@link ErrorCode#MODEL_FAILURE} when the network fails
   */
  public synchronized List<ImageFeatures> encode(List<Frame> frames) {
    if (frames.isEmpty()) {
      return List.of();
    }
    List<LetterboxedImage> inputs = frames.stream().map(letterbox::apply).toList();
    ImageNetworkSpec spec = model.spec();
    try (NDManager manager = model.model().getNDManager().newSubManager()) {
      Shape shape = ImageNetwork.inputShape(spec, inputs.size());
      NDList out = predictor.predict(new NDList(manager.create(batch(inputs), shape)));
      return split(inputs, out.get(0).toFloatArray(), out.get(1).toFloatArray());
    } catch (TranslateException e) {
      throw new CdsException(ErrorCode.MODEL_FAILURE, "image network failed", e);
    }
  }

  private static float[] batch(List<LetterboxedImage> inputs) {
    int plane = inputs.get(0).image().pixels().length;
    float[] all = new float[inputs.size() * plane];
    for (int i = 0; i < inputs.size(); i++) {
      System.arraycopy(inputs.get(i).image().pixels(), 0, all, i * plane, plane);
    }
    return all;
  }

  private List<ImageFeatures> split(List<LetterboxedImage> inputs, float[] maps, float[] pooled) {
    int channels = model.spec().channels();
    int rows = model.spec().featureMapSize();
    int mapLength = channels * rows * rows;
    List<ImageFeatures> features = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      features.add(
          new ImageFeatures(
              channels,
              rows,
              Arrays.copyOfRange(maps, i * mapLength, (i + 1) * mapLength),
              Arrays.copyOfRange(pooled, i * channels, (i + 1) * channels),
              inputs.get(i).geometry(),
              inputs.get(i).image().pixels()));
    }
    return features;
  }

  @Override
  public void close() {
    predictor.close();
  }
}
