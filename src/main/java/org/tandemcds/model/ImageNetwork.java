package org.tandemcds.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;

/**
 * Tandem's image network: a compact ResNet (basic blocks, He et al. 2016, one per stage) for
 * 1-channel chest radiographs letterboxed to a square.
 *
 * <p>Input: {@code (N, 1, S, S)} float32 in [0, 1] (0 black), normalised inside the network as
 * {@code (x - 0.5) / 0.25}. Output: an {@link NDList} of two arrays, the feature map {@code (N, C,
 * S/32, S/32)} (for cross-modal attention and Grad-CAM) and its global average {@code (N, C)} (the
 * pooled embedding). The block holds no state besides its parameters.
 */
public final class ImageNetwork {
  private static final float MEAN = 0.5f;
  private static final float SCALE = 4f;

  private ImageNetwork() {}

  /** A new, uninitialised block with the given shape. */
  public static Block build(ImageNetworkSpec spec) {
    SequentialBlock net = new SequentialBlock();
    net.add(LambdaBlock.singleton(x -> x.sub(MEAN).mul(SCALE), "normalise"));
    net.add(convBnRelu(spec.stemWidths().get(0), 2));
    net.add(convBnRelu(spec.stemWidths().get(1), 2));
    int in = spec.stemWidths().get(1);
    for (int stage = 0; stage < spec.stageWidths().size(); stage++) {
      int out = spec.stageWidths().get(stage);
      net.add(residual(out, stage == 0 ? 1 : 2, stage > 0 || in != out));
      in = out;
    }
    net.add(new LambdaBlock(ImageNetwork::mapAndPooled, "map-and-pooled"));
    return net;
  }

  /** The input shape of a batch of {@code batch} images. */
  public static Shape inputShape(ImageNetworkSpec spec, int batch) {
    return new Shape(batch, 1, spec.inputSize(), spec.inputSize());
  }

  private static NDList mapAndPooled(NDList list) {
    NDArray map = list.singletonOrThrow();
    return new NDList(map, Pool.globalAvgPool2d(map));
  }

  private static SequentialBlock convBnRelu(int filters, int stride) {
    return new SequentialBlock()
        .add(conv(filters, 3, stride))
        .add(BatchNorm.builder().build())
        .add(Activation.reluBlock());
  }

  private static Block residual(int filters, int stride, boolean project) {
    SequentialBlock main =
        new SequentialBlock()
            .add(conv(filters, 3, stride))
            .add(BatchNorm.builder().build())
            .add(Activation.reluBlock())
            .add(conv(filters, 3, 1))
            .add(BatchNorm.builder().build());
    Block shortcut =
        project
            ? new SequentialBlock().add(conv(filters, 1, stride)).add(BatchNorm.builder().build())
            : LambdaBlock.singleton(x -> x, "identity");
    return new SequentialBlock()
        .add(new ParallelBlock(ImageNetwork::sum, List.of(main, shortcut)))
        .add(Activation.reluBlock());
  }

  private static NDList sum(List<NDList> branches) {
    return new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
  }

  private static Conv2d conv(int filters, int kernel, int stride) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(kernel / 2, kernel / 2))
        .setFilters(filters)
        .optBias(false)
        .build();
  }
}
