package org.tandemcds.encode;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.model.PretrainedTextModel;

/**
 * The frozen text encoder: all-MiniLM-L6-v2 run by DJL's ONNX Runtime engine on the CPU, producing
 * a 384-d contextual embedding for every word-piece token of a note.
 *
 * <p>A note is tokenised whole ({@link NoteTokenizer}), split into windows of at most {@value
 * #WINDOW} tokens including {@code [CLS]} and {@code [SEP]} at sentence boundaries ({@link
 * TokenWindowing}), and every window is encoded; nothing is truncated. A token sees only the tokens
 * of its own window.
 *
 * <p>Thread-safe: {@link #encode} is synchronised around the one predictor (run one encoder per
 * worker thread for parallelism). Close once, with the application.
 */
public final class TextEncoder implements AutoCloseable {
  /** Tokens per window, special tokens included (the model's training sequence length). */
  public static final int WINDOW = 256;

  /** Embedding size of all-MiniLM-L6-v2. */
  public static final int DIMENSION = 384;

  private final NoteTokenizer tokenizer;
  private final TokenWindowing windowing;
  private final ZooModel<NDList, NDList> model;
  private final Predictor<NDList, NDList> predictor;
  private final long[] specials;

  private TextEncoder(NoteTokenizer tokenizer, ZooModel<NDList, NDList> model) {
    this.tokenizer = tokenizer;
    this.windowing = new TokenWindowing(WINDOW - 2);
    this.model = model;
    this.predictor = model.newPredictor();
    this.specials = tokenizer.specialIds();
  }

  /**
   * Loads the tokenizer and the ONNX graph.
   *
   * @throws CdsException {@link ErrorCode#MODEL_NOT_FOUND} when a file cannot be loaded
   */
  public static TextEncoder open(PretrainedTextModel.TextModelFiles files) {
    NoteTokenizer tokenizer = NoteTokenizer.open(files.tokenizer());
    Criteria<NDList, NDList> criteria =
        Criteria.builder()
            .setTypes(NDList.class, NDList.class)
            .optEngine("OnnxRuntime")
            .optModelPath(files.onnx())
            .optTranslator(new NoopTranslator())
            .build();
    try {
      return new TextEncoder(tokenizer, criteria.loadModel());
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      tokenizer.close();
      throw new CdsException(ErrorCode.MODEL_NOT_FOUND, "cannot load " + files.onnx(), e);
    }
  }

  /**
   * The token features of a note.
   *
   * @throws CdsException {@link ErrorCode#NOTE_WITHOUT_TEXT} when the note has no tokens; {@link
   *     ErrorCode#MODEL_FAILURE} when the model fails
   */
  public synchronized TokenFeatures encode(ClinicalNote note) {
    NoteTokens tokens = tokenizer.tokenize(note.text());
    if (tokens.size() == 0) {
      throw new CdsException(
          ErrorCode.NOTE_WITHOUT_TEXT, note.sourceReference() + " has no tokens");
    }
    List<TokenWindow> windows = windowing.split(tokens.starts(), note.sentences());
    float[] features = new float[tokens.size() * DIMENSION];
    int[] windowOf = new int[tokens.size()];
    for (int w = 0; w < windows.size(); w++) {
      TokenWindow window = windows.get(w);
      float[] out = encodeWindow(Arrays.copyOfRange(tokens.ids(), window.start(), window.end()));
      System.arraycopy(
          out, DIMENSION, features, window.start() * DIMENSION, window.length() * DIMENSION);
      Arrays.fill(windowOf, window.start(), window.end(), w);
    }
    return new TokenFeatures(DIMENSION, features, tokens.spans(), windows, windowOf);
  }

  /** last_hidden_state of {@code [CLS] ids [SEP]}, row-major {@code (ids + 2) × 384}. */
  private float[] encodeWindow(long[] ids) {
    long[] withSpecials = new long[ids.length + 2];
    withSpecials[0] = specials[0];
    System.arraycopy(ids, 0, withSpecials, 1, ids.length);
    withSpecials[ids.length + 1] = specials[1];
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDList output = predictor.predict(inputs(manager, withSpecials));
      NDArray hidden = output.get(0);
      if (!hidden.getShape().equals(new Shape(1, withSpecials.length, DIMENSION))) {
        throw new CdsException(ErrorCode.MODEL_FAILURE, "text model gave " + hidden.getShape());
      }
      return hidden.toFloatArray();
    } catch (TranslateException e) {
      throw new CdsException(ErrorCode.MODEL_FAILURE, "text model failed on a window", e);
    }
  }

  private static NDList inputs(NDManager manager, long[] ids) {
    Shape shape = new Shape(1, ids.length);
    NDArray inputIds = manager.create(ids, shape);
    inputIds.setName("input_ids");
    NDArray mask = manager.create(filled(ids.length, 1), shape);
    mask.setName("attention_mask");
    NDArray types = manager.create(filled(ids.length, 0), shape);
    types.setName("token_type_ids");
    return new NDList(inputIds, mask, types);
  }

  private static long[] filled(int length, long value) {
    long[] a = new long[length];
    Arrays.fill(a, value);
    return a;
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
    tokenizer.close();
  }
}
