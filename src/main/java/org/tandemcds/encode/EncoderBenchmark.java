package org.tandemcds.encode;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ClinicalNote;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.Frame;
import org.tandemcds.domain.TextSpan;
import org.tandemcds.model.DevicePreference;
import org.tandemcds.model.Devices;
import org.tandemcds.model.Engines;
import org.tandemcds.model.ImageModel;
import org.tandemcds.model.ImageNetworkSpec;
import org.tandemcds.model.ModelArtifactWriter;
import org.tandemcds.model.ModelArtifacts;
import org.tandemcds.model.PretrainedTextModel;
import org.tandemcds.model.VerifiedModel;

/**
 * Measures the encoders on this machine (for {@code ./tandem bench}; not a test): the PyTorch fp32
 * matmul rate as the machine's practical peak, the image network's cost and forward time at batch 1
 * and 8, and the text encoder's time on a 256-token note. Medians of warm runs.
 *
 * <p>Run as {@code ./tandem bench encoders}.
 */
public final class EncoderBenchmark {
  private static final String NOTE_SENTENCE =
      "The chest radiograph shows patchy consolidation in the right lower lobe with air"
          + " bronchograms, no pleural effusion and a normal cardiac silhouette. ";

  /** One measured quantity. */
  public record Result(String name, double value, String unit) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-44s %10.2f %s", name, value, unit);
    }
  }

  private EncoderBenchmark() {}

  /** Runs every measurement and returns the results in order. */
  public static List<Result> run(Path modelCache, DevicePreference preference) {
    Engines.init();
    Device device = new Devices(preference).choose();
    List<Result> results = new ArrayList<>();
    double peak = matmulGflops(device, 2048);
    results.add(new Result("fp32 matmul 2048x2048, best of 10 (" + device + ")", peak, "GFLOP/s"));
    results.addAll(image(device, peak));
    Frame radiograph = frame(2500, 2048, 9);
    Letterbox letterbox = new Letterbox(ImageNetworkSpec.standard().inputSize());
    double boxing = median(10, 2, () -> letterbox.apply(radiograph).image().rows());
    results.add(new Result("letterbox 2500x2048 -> 320x320, median", boxing, "ms"));
    results.addAll(text(modelCache));
    results.add(
        new Result(
            "image model verify + load (from its directory)", imageLoadMillis(device), "ms"));
    results.add(
        new Result(
            "encode one 2500x2048 CR + one 256-token note", pairMillis(modelCache, device), "ms"));
    return results;
  }

  private static double matmulGflops(Device device, int n) {
    try (NDManager manager = NDManager.newBaseManager(device, "PyTorch")) {
      NDArray a = manager.randomUniform(-1, 1, new Shape(n, n));
      NDArray b = manager.randomUniform(-1, 1, new Shape(n, n));
      double ms = fastest(10, 3, () -> a.matMul(b).toFloatArray().length);
      return 2.0 * n * n * n / (ms * 1e6);
    }
  }

  private static List<Result> image(Device device, double peak) {
    ImageNetworkSpec spec = ImageNetworkSpec.standard();
    double gflop = 2.0 * spec.multiplyAccumulates() / 1e9;
    try (ImageModel model = ImageModel.initialised(spec, device);
        ImageEncoder encoder = new ImageEncoder(model)) {
      List<Frame> eight = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        eight.add(frame(320, 320, i));
      }
      double one = median(15, 3, () -> encoder.encode(eight.subList(0, 1)).size());
      double batch = median(10, 2, () -> encoder.encode(eight).size());
      double rate = 8 * gflop / (batch / 1e3);
      return List.of(
          new Result("image network GFLOPs per 320x320 image", gflop, "GFLOP"),
          new Result("image encoder batch 1 (incl. letterbox), median", one, "ms"),
          new Result("image encoder batch 8 (incl. letterbox), median", batch, "ms"),
          new Result("image encoder batch 8 rate", rate, "GFLOP/s"),
          new Result("image encoder batch 8 share of matmul rate", 100 * rate / peak, "%"));
    }
  }

  private static List<Result> text(Path modelCache) {
    long start = System.nanoTime();
    PretrainedTextModel.TextModelFiles files = new PretrainedTextModel().extract(modelCache);
    try (TextEncoder encoder = TextEncoder.open(files);
        NoteTokenizer tokenizer = NoteTokenizer.open(files.tokenizer())) {
      double load = (System.nanoTime() - start) / 1e6;
      ClinicalNote note = noteOf(tokenizer, TextEncoder.WINDOW - 2);
      double encode = median(30, 5, () -> encoder.encode(note).size());
      return List.of(
          new Result("text encoder load (verify + open)", load, "ms"),
          new Result("text encoder, 256-token note, median", encode, "ms"));
    }
  }

  private static double imageLoadMillis(Device device) {
    ImageNetworkSpec spec = ImageNetworkSpec.standard();
    try {
      Path dir = Files.createTempDirectory("tandem-bench-model").resolve("image");
      try (ImageModel fresh = ImageModel.initialised(spec, device)) {
        new ModelArtifactWriter()
            .write(dir, "bench", "0", Map.of("image.params", fresh.block()), Map.of());
      }
      long start = System.nanoTime();
      VerifiedModel verified = new ModelArtifacts().open(dir);
      try (ImageModel loaded = ImageModel.load(verified, "image.params", spec, device)) {
        return (System.nanoTime() - start) / 1e6;
      }
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot create a temporary model directory", e);
    }
  }

  private static double pairMillis(Path modelCache, Device device) {
    PretrainedTextModel.TextModelFiles files = new PretrainedTextModel().extract(modelCache);
    Frame radiograph = frame(2500, 2048, 4);
    try (ImageModel model = ImageModel.initialised(ImageNetworkSpec.standard(), device);
        ImageEncoder images = new ImageEncoder(model);
        TextEncoder text = TextEncoder.open(files);
        NoteTokenizer tokenizer = NoteTokenizer.open(files.tokenizer())) {
      ClinicalNote note = noteOf(tokenizer, TextEncoder.WINDOW - 2);
      return median(
          15, 3, () -> images.encode(List.of(radiograph)).size() + text.encode(note).size());
    }
  }

  /** A one-sentence note of exactly {@code tokens} word pieces. */
  static ClinicalNote noteOf(NoteTokenizer tokenizer, int tokens) {
    String text = NOTE_SENTENCE.repeat(1 + tokens / 10);
    text = text.substring(0, tokenizer.tokenize(text).spans().get(tokens - 1).end());
    return new ClinicalNote(
        text,
        List.of(),
        List.of(new TextSpan(0, text.length())),
        List.of(),
        "benchmark",
        List.of(),
        List.of(),
        "",
        "");
  }

  private static Frame frame(int rows, int columns, long seed) {
    Random random = new Random(seed);
    float[] pixels = new float[rows * columns];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat();
    }
    return new Frame(rows, columns, pixels);
  }

  /** Median wall time in ms of {@code runs} calls after {@code warmup} calls. */
  private static double median(int runs, int warmup, Supplier<Integer> work) {
    return times(runs, warmup, work)[runs / 2];
  }

  /** Shortest wall time in ms: the machine's practical peak for a fixed kernel. */
  private static double fastest(int runs, int warmup, Supplier<Integer> work) {
    return times(runs, warmup, work)[0];
  }

  private static double[] times(int runs, int warmup, Supplier<Integer> work) {
    for (int i = 0; i < warmup; i++) {
      work.get();
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      work.get();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }
}
