package org.tandemcds.explain;

import java.util.ArrayList;
import java.util.List;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FindingPrediction;
import org.tandemcds.domain.Mode;
import org.tandemcds.domain.Prediction;
import org.tandemcds.domain.SaliencyMap;
import org.tandemcds.encode.Encodings;
import org.tandemcds.encode.ImageFeatures;
import org.tandemcds.model.FusionGradients;
import org.tandemcds.model.ImageProbe;

/**
 * The second image method, for cross-checking the class activation maps: occlusion sensitivity
 * (Zeiler &amp; Fergus 2014) in the network input. The input square is cut into {@code cells ×
 * cells} patches; each patch in turn is replaced by a blurred copy of the image (the deletion
 * test's fill), and the cell's value is how much the finding's fused logit drops, {@code max(0,
 * logit − logit_occluded)}. One image + fusion forward per patch, batched. Not thread-safe.
 */
public final class OcclusionSaliency {
  private final ImageProbe probe;
  private final ExplainStage stage;
  private final int cells;

  public OcclusionSaliency(ImageProbe probe, ExplainStage stage, int cells) {
    this.probe = probe;
    this.stage = stage;
    this.cells = cells;
  }

  /**
   * The occlusion map of one finding, on the original frame like the CAM.
   *
   * @throws CdsException {@link ErrorCode#EXPLAIN_INPUT_MISSING} without an image; {@link
   *     ErrorCode#EXPLAIN_FINDING_UNKNOWN} for a finding the prediction lacks
   */
  public SaliencyMap map(CaseInput input, Encodings enc, Prediction p, String finding) {
    int k = index(p, finding);
    if (enc.image().isEmpty() || p.mode() == Mode.NOTE_ONLY) {
      throw new CdsException(ErrorCode.EXPLAIN_INPUT_MISSING, "occlusion needs the image");
    }
    boolean note = p.mode() != Mode.IMAGE_ONLY && !enc.notes().isEmpty();
    ImageFeatures f = enc.image().get();
    int size = probe.inputSize();
    float[] pixels = f.input();
    float[] blurred = Deletion.blur(pixels, size);
    List<float[]> images = new ArrayList<>();
    images.add(pixels);
    for (int r = 0; r < cells; r++) {
      for (int c = 0; c < cells; c++) {
        images.add(occluded(pixels, blurred, size, r, c));
      }
    }
    FusionGradients.Inputs in = stage.inputs(enc, true, note);
    float[][] logits = probe.logits(images, in.tokens(), in.tokenCount(), note);
    float[] map = new float[cells * cells];
    for (int i = 0; i < map.length; i++) {
      map[i] = Math.max(0f, logits[0][k] - logits[i + 1][k]);
    }
    return stage.onSource("occlusion", input, f, map, cells, Maps.Placement.BLOCKS);
  }

  private float[] occluded(float[] pixels, float[] blurred, int size, int row, int column) {
    float[] copy = pixels.clone();
    int r0 = row * size / cells;
    int r1 = (row + 1) * size / cells;
    int c0 = column * size / cells;
    int c1 = (column + 1) * size / cells;
    for (int r = r0; r < r1; r++) {
      for (int c = c0; c < c1; c++) {
        copy[r * size + c] = blurred[r * size + c];
      }
    }
    return copy;
  }

  private static int index(Prediction p, String finding) {
    for (int k = 0; k < p.findings().size(); k++) {
      FindingPrediction fp = p.findings().get(k);
      if (fp.finding().equals(finding)) {
        return k;
      }
    }
    throw new CdsException(ErrorCode.EXPLAIN_FINDING_UNKNOWN, finding);
  }
}
