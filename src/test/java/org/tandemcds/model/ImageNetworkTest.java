package org.tandemcds.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImageNetworkTest {

  @BeforeAll
  static void offline() {
    Engines.init();
  }

  @Test
  void standard_network_costs_the_hand_counted_multiply_accumulates() {
    long stem = 160L * 160 * 1 * 16 * 9 + 80L * 80 * 16 * 32 * 9;
    long stage1 = 80L * 80 * 32 * 32 * 9 * 2;
    long stage2 = 40L * 40 * (32 * 64 * 9 + 64 * 64 * 9 + 32 * 64);
    long stage3 = 20L * 20 * (64 * 128 * 9 + 128 * 128 * 9 + 64 * 128);
    long stage4 = 10L * 10 * (128 * 256 * 9 + 256 * 256 * 9 + 128 * 256);

    ImageNetworkSpec spec = ImageNetworkSpec.standard();

    assertThat(spec.multiplyAccumulates()).isEqualTo(stem + stage1 + stage2 + stage3 + stage4);
    assertThat(spec.featureMapSize()).isEqualTo(10);
  }

  @Test
  void a_few_sgd_steps_on_a_fixed_batch_lower_the_loss_and_reach_the_first_convolution() {
    ImageNetworkSpec spec = ImageNetworkSpec.standard().withInputSize(64);
    SequentialBlock classifier =
        new SequentialBlock()
            .add(ImageNetwork.build(spec))
            .add(new LambdaBlock(list -> new NDList(list.get(1))))
            .add(Linear.builder().setUnits(2).build());
    try (Model model = Model.newInstance("sgd-test", Device.cpu(), "PyTorch")) {
      model.setBlock(classifier);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build())
              .optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(ImageNetwork.inputShape(spec, 8));
        NDManager manager = trainer.getManager();
        manager.getEngine().setRandomSeed(5);
        NDArray images = manager.randomUniform(0, 1, new Shape(8, 1, 64, 64));
        NDArray labels = manager.create(new float[] {0, 1, 0, 1, 1, 0, 1, 0});
        // class 1 images are brighter in the top half
        NDArray bright = labels.reshape(8, 1, 1, 1).mul(0.5f);
        images.set(
            new ai.djl.ndarray.index.NDIndex(":, :, 0:32, :"),
            images.get(":, :, 0:32, :").add(bright));
        Parameter firstConv = firstConvolution(classifier);

        List<Float> losses = new ArrayList<>();
        float firstGradient = 0;
        for (int step = 0; step < 8; step++) {
          try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList predictions = trainer.forward(new NDList(images));
            NDArray loss = trainer.getLoss().evaluate(new NDList(labels), predictions);
            collector.backward(loss);
            losses.add(loss.getFloat());
          }
          if (step == 0) {
            firstGradient = firstConv.getArray().getGradient().abs().sum().getFloat();
          }
          trainer.step();
        }

        assertThat(firstGradient).isGreaterThan(0f);
        assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0) * 0.8f);
      }
    }
  }

  private static Parameter firstConvolution(SequentialBlock classifier) {
    return classifier.getParameters().stream()
        .map(ai.djl.util.Pair::getValue)
        .filter(
            p -> p.getType() == Parameter.Type.WEIGHT && p.getArray().getShape().dimension() == 4)
        .findFirst()
        .orElseThrow();
  }
}
