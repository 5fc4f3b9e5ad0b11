package org.tandemcds.explain;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.Prediction;
import org.tandemcds.encode.Encodings;
import org.tandemcds.encode.ImageFeatures;
import org.tandemcds.encode.TokenFeatures;
import org.tandemcds.model.FusionGradients;
import org.tandemcds.model.ImageNetwork;
import org.tandemcds.parse.CaseParser;

/**
 * Measures the explain stage on this machine ({@code ./tandem bench explain}; not a test): the
 * class activation maps' gradient pass against one forward pass, integrated gradients on a
 * 256-token note, and parse → encode → fuse → explain → files for one radiograph and one note.
 * Medians (and p95) of warm runs.
 */
public final class ExplainBenchmark {
  /** One measured quantity. */
  public record Result(String name, double value, String unit) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-60s %10.2f %s", name, value, unit);
    }
  }

  private final ExplainModels models;
  private final CaseParser parser;

  public ExplainBenchmark(ExplainModels models, CaseParser parser) {
    this.models = models;
    this.parser = parser;
  }

  /** Runs every measurement on one image+note case; {@code out} receives scratch files. */
  public List<Result> run(AnalysisRequest request, int runs, Path out) {
    List<Result> results = new ArrayList<>();
    CaseInput input = parser.parse(request);
    Encodings enc = models.encode(input);
    FusionGradients g = new FusionGradients(models.fusion);
    FusionGradients.Inputs in = models.explain().inputs(enc, true, true);
    ImageFeatures f = enc.image().get();
    double image = median(runs, () -> imageForward(f));
    double fusion = median(runs, () -> g.logits(in));
    double last = median(runs, () -> g.mapGradients(in));
    double cam = median(runs, () -> models.explain().inputMaps(f, in));
    results.add(new Result("image network forward, batch 1, median", image, "ms"));
    results.add(new Result("fusion network forward, batch 1, median", fusion, "ms"));
    results.add(new Result("last feature map gradient pass, all 5 findings, median", last, "ms"));
    results.add(
        new Result(
            "CAM as the stage makes it ("
                + models.explain().settings().label()
                + ": the image network again, stage gradients), all 5 findings, median",
            cam,
            "ms"));
    results.add(new Result("CAM cost / (image + fusion forward)", cam / (image + fusion), "x"));
    FusionGradients.Inputs note256 = tokens256(in, enc.notes().get(0));
    double ig = median(Math.max(3, runs / 3), () -> g.integratedGradients(note256, 16));
    results.add(
        new Result("integrated gradients, 256 tokens, 16 steps, 5 findings, median", ig, "ms"));
    double[] whole = new double[runs];
    for (int i = -2; i < runs; i++) {
      long t0 = System.nanoTime();
      CaseInput c = parser.parse(request);
      Encodings e = models.encode(c);
      Prediction p = models.fuse(e);
      Explanation x = models.explain().explain(c, e, p);
      ExplanationFiles.write(x, p, out);
      if (i >= 0) {
        whole[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(whole);
    results.add(
        new Result(
            "parse+encode+fuse+explain+write, 1 image + 1 note, median", whole[runs / 2], "ms"));
    results.add(
        new Result(
            "parse+encode+fuse+explain+write, 1 image + 1 note, p95",
            whole[Math.min(runs - 1, (int) Math.ceil(0.95 * runs) - 1)],
            "ms"));
    double encodeFuse = median(runs, () -> models.fuse(models.encode(input)));
    results.add(
        new Result(
            "encode+fuse of the parsed case (letterbox, image network, MiniLM, fusion), median",
            encodeFuse,
            "ms"));
    results.add(new Result("note tokens of the case", enc.notes().get(0).size(), "tokens"));
    return results;
  }

  private Object imageForward(ImageFeatures f) {
    var spec = models.image.spec();
    try (NDManager m = models.image.model().getNDManager().newSubManager()) {
      float[] zeros = new float[spec.inputSize() * spec.inputSize()];
      NDList out =
          models
              .image
              .block()
              .forward(
                  new ParameterStore(m, false),
                  new NDList(m.create(zeros, ImageNetwork.inputShape(spec, 1))),
                  false);
      return out.get(1).toFloatArray();
    }
  }

  /** The case's inputs with the note's tokens repeated or cut to exactly 256. */
  private static FusionGradients.Inputs tokens256(FusionGradients.Inputs in, TokenFeatures note) {
    int dim = note.dimension();
    float[] tokens = new float[256 * dim];
    for (int i = 0; i < 256; i++) {
      System.arraycopy(note.features(), (i % note.size()) * dim, tokens, i * dim, dim);
    }
    return new FusionGradients.Inputs(in.map(), tokens, 256, true, true);
  }

  private static double median(int runs, Supplier<Object> work) {
    for (int i = 0; i < 2; i++) {
      work.get();
    }
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      work.get();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t[runs / 2];
  }
}
