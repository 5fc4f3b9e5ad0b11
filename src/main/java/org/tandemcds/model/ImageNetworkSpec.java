package org.tandemcds.model;

import java.util.List;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The shape of Tandem's image network ({@link ImageNetwork}): a square 1-channel input of {@code
 * inputSize} pixels, a stem of two stride-2 3×3 convolutions ({@code stemWidths}), then one
 * residual basic block per stage ({@code stageWidths}); the first stage keeps the resolution, every
 * later stage halves it. Total stride is {@code 4 · 2^(stages-1)}.
 */
public record ImageNetworkSpec(int inputSize, List<Integer> stemWidths, List<Integer> stageWidths) {

  public ImageNetworkSpec {
    stemWidths = List.copyOf(stemWidths);
    stageWidths = List.copyOf(stageWidths);
    if (inputSize < 16 || stemWidths.size() != 2 || stageWidths.isEmpty()) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "image network spec " + inputSize);
    }
  }

  /** The shipped network: 320×320 input, stem 16/32, stages 32/64/128/256 (10×10×256 map). */
  public static ImageNetworkSpec standard() {
    return new ImageNetworkSpec(320, List.of(16, 32), List.of(32, 64, 128, 256));
  }

  /** The same architecture on another input size (it is fully convolutional). */
  public ImageNetworkSpec withInputSize(int size) {
    return new ImageNetworkSpec(size, stemWidths, stageWidths);
  }

  /** Channels of the feature map and length of the pooled embedding. */
  public int channels() {
    return stageWidths.get(stageWidths.size() - 1);
  }

  /** Rows (= columns) of the output feature map. */
  public int featureMapSize() {
    int size = halve(halve(inputSize));
    for (int stage = 1; stage < stageWidths.size(); stage++) {
      size = halve(size);
    }
    return size;
  }

  /**
   * Multiply-accumulates of one forward pass of one image, counting convolutions only (batch norm,
   * ReLU, additions and pooling are below 1 % and left out). FLOPs are twice this.
   */
  public long multiplyAccumulates() {
    int size = halve(inputSize);
    long macs = conv(size, 1, stemWidths.get(0), 3);
    size = halve(size);
    macs += conv(size, stemWidths.get(0), stemWidths.get(1), 3);
    int in = stemWidths.get(1);
    for (int stage = 0; stage < stageWidths.size(); stage++) {
      int out = stageWidths.get(stage);
      size = stage == 0 ? size : halve(size);
      macs += conv(size, in, out, 3) + conv(size, out, out, 3);
      macs += (stage > 0 || in != out) ? conv(size, in, out, 1) : 0;
      in = out;
    }
    return macs;
  }

  private static long conv(int outSize, int in, int out, int kernel) {
    return (long) outSize * outSize * in * out * kernel * kernel;
  }

  /** Output size of a stride-2 convolution with "same" padding: ceil(n / 2). */
  static int halve(int n) {
    return (n + 1) / 2;
  }
}
