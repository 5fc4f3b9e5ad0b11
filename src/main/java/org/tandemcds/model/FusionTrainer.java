package org.tandemcds.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Trains the case network end to end on precomputed cases (CPU or GPU, single-threaded data order
 * from a seeded RNG, so a seed gives the same parameters on the same machine and engine build).
 *
 * <p>Loss per step: BCE with logits on the gated fused output, plus {@code auxiliaryWeight} × the
 * BCE of each head on the cases where that head can see its inputs, each with per-finding positive
 * weights {@code clamp(negatives / positives, 1, 10)} from the training split, plus, when the image
 * network trains and {@code lesionWeight > 0}, {@code lesionWeight} × the BCE of the lesion logits
 * against the share of each feature-map cell a finding's lesion covers, over the (case, finding)
 * pairs whose lesion map is known, plus, when {@code camWeight > 0}, {@code camWeight} × the CAM
 * localisation loss: for each (case, finding) whose lesion the image shows, the cross-entropy
 * between the lesion's coverage over the cells (normalised to sum to 1) and the softmax over the
 * cells of the image head's class activation map ({@code
 * docs/decisions/0022-cam-localisation-loss.md}); and when the joint head trains on a frozen image
 * network's cached features, {@code camWeight} × the same cross-entropy for the joint head's
 * HiResCAM over that feature map, a second-order loss ({@code
 * docs/decisions/0023-joint-head-cam-localisation.md}); plus, when {@code negationWeight > 0},
 * {@code negationWeight} × the negation loss over the (case, finding) pairs whose shown note has a
 * mention against the finding ({@link NegationLoss}, {@code docs/decisions/0024-negation-loss.md}).
 * AdamW with a cosine schedule (5 % floor) over all planned steps; after each epoch the validation
 * split is scored and the parameters with the best validation macro AUROC (or, while it is
 * undefined, the lowest validation loss) are kept; training stops after {@code patience} epochs
 * without improvement.
 *
 * <p>Not thread-safe; one training at a time per instance.
 */
public final class FusionTrainer {
  private static final float MAX_POSITIVE_WEIGHT = 10f;
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(FusionTrainer.class);

  private final Devices devices;

  /** A trainer on the device {@code devices} chooses. */
  public FusionTrainer(Devices devices) {
    this.devices = devices;
  }

  /** What training produced: the best network (not yet calibrated) and the split it used. */
  public record Trained(
      CaseModel model,
      TrainingSplit split,
      int epochsRun,
      int bestEpoch,
      int skippedSteps,
      String imageFrom,
      List<String> frozenExperts) {
    public List<TrainingCase> validation() {
      return split.validation();
    }

    public List<TrainingCase> train() {
      return split.train();
    }
  }

  /**
   * Trains on {@code cases}.
   *
   * @throws CdsException {@link ErrorCode#INVALID_ARGUMENT} when there are no usable training cases
   *     or a case's image size differs from the network's input; {@link ErrorCode#MODEL_FAILURE}
   *     when the engine fails
   */
  public Trained train(List<TrainingCase> cases, TrainingOptions o, TrainingListener listener) {
    return train(cases, o, listener, null);
  }

  /**
   * Trains on {@code cases}; with {@code frozenImage} set, the image network's parameters come from
   * that verified model directory (its {@code image.params}) and stay fixed: every case's feature
   * map is computed once, in inference mode, and only the fusion network is trained on the cached
   * features (stage (b) of the two-stage recipe, {@code
   * docs/decisions/0007-two-stage-training.md}).
   *
   * @throws CdsException as {@link #train(List, TrainingOptions, TrainingListener)}; {@link
   *     ErrorCode#INVALID_ARGUMENT} when the variant reads no image or the image network's spec
   *     differs from {@code o.image()}
   */
  public Trained train(
      List<TrainingCase> cases,
      TrainingOptions o,
      TrainingListener listener,
      VerifiedModel frozenImage) {
    return train(cases, o, listener, frozenImage, null);
  }

  /**
   * Trains on {@code cases} with single-modality experts: as {@link #train(List, TrainingOptions,
   * TrainingListener, VerifiedModel)}, and when {@code frozenImage} is an {@code image-only} model
   * and the variant has an image head, that head is copied from it and frozen; when {@code
   * noteExpert} (a {@code note-only} model) is set, its note path (projection and layers) and, when
   * the variant has one, its note head are copied and frozen. With both, the late-fusion heads of a
   * hybrid model are exactly the single-modality models, and only the joint head and the gate train
   * ({@code docs/decisions/0017-lesion-supervision-and-platt-calibration.md}).
   *
   * @throws CdsException {@link ErrorCode#INVALID_ARGUMENT} when {@code noteExpert} is not a
   *     note-only model or its note path has another shape
   */
  public Trained train(
      List<TrainingCase> cases,
      TrainingOptions o,
      TrainingListener listener,
      VerifiedModel frozenImage,
      VerifiedModel noteExpert) {
    return train(cases, o, listener, frozenImage, noteExpert, null);
  }

  /**
   * As {@link #train(List, TrainingOptions, TrainingListener, VerifiedModel, VerifiedModel)}, and
   * when {@code jointExpert} (an {@code early} model: intermediate fusion alone) is set and the
   * variant has a joint head, its cross-attention path and joint head are copied and frozen too;
   * with all three experts a hybrid trains only its gate.
   *
   * @throws CdsException {@link ErrorCode#INVALID_ARGUMENT} when {@code jointExpert} is not an
   *     early model or its joint path has another shape
   */
  public Trained train(
      List<TrainingCase> cases,
      TrainingOptions o,
      TrainingListener listener,
      VerifiedModel frozenImage,
      VerifiedModel noteExpert,
      VerifiedModel jointExpert) {
    TrainingSplit split =
        TrainingSplit.of(cases, o.fusion().variant(), o.validationFraction(), o.seed());
    check(split, o);
    Engine.getEngine(Devices.PYTORCH).setRandomSeed((int) o.seed());
    CaseModel model = CaseModel.initialised(o.image(), o.fusion(), devices.choose());
    try {
      if (frozenImage != null) {
        loadFrozenImage(model, frozenImage, o);
      }
      return new Run(model, split, o, listener, frozenImage, noteExpert, jointExpert).run();
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static void loadFrozenImage(CaseModel model, VerifiedModel from, TrainingOptions o) {
    if (model.network().image() == null) {
      throw new CdsException(
          ErrorCode.INVALID_ARGUMENT, "a frozen image network needs a variant that reads images");
    }
    ImageNetworkSpec spec = FusionModel.fusionCard(from).image();
    if (!spec.equals(o.image())) {
      throw new CdsException(
          ErrorCode.INVALID_ARGUMENT,
          "image network of " + from.dir() + " is " + spec + ", this training uses " + o.image());
    }
    from.loadParameters(
        CaseModel.IMAGE_PARAMETERS, model.network().image(), model.model().getNDManager());
  }

  private static void check(TrainingSplit split, TrainingOptions o) {
    if (split.train().isEmpty()) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "no training case for this variant");
    }
    for (TrainingCase c : split.train()) {
      if (c.hasImage() && c.inputSize() != o.image().inputSize()) {
        throw new CdsException(
            ErrorCode.INVALID_ARGUMENT,
            "case "
                + c.id()
                + " was encoded at "
                + c.inputSize()
                + ", the network reads "
                + o.image().inputSize());
      }
    }
  }

  /** One training run's state. */
  private static final class Run {
    final CaseModel model;
    final TrainingSplit split;
    final TrainingOptions o;
    final TrainingListener listener;
    final float[] positiveWeights;
    final Augmentation augmentation;
    final int stepsPerEpoch;
    final VerifiedModel frozenImage;
    final VerifiedModel noteExpert;
    final VerifiedModel jointExpert;
    final List<String> frozenExperts = new ArrayList<>();
    final ImageFeatureCache cache;
    final int lesionGrid;

    /**
     * Whether the joint head trains with the CAM localisation loss on its HiResCAM (on cached
     * features of a frozen image network; ADR 0023).
     */
    final boolean jointCam;

    /** Whether the negation loss runs (ADR 0024). */
    final boolean negation;

    ArraySweeper sweeper;

    Run(
        CaseModel model,
        TrainingSplit split,
        TrainingOptions o,
        TrainingListener listener,
        VerifiedModel frozenImage,
        VerifiedModel noteExpert,
        VerifiedModel jointExpert) {
      this.model = model;
      this.frozenImage = frozenImage;
      this.noteExpert = noteExpert;
      this.jointExpert = jointExpert;
      this.cache =
          frozenImage == null
              ? null
              : ImageFeatureCache.compute(model, split.train(), split.validation(), o.batchSize());
      this.split = split;
      this.o = o;
      this.jointCam =
          cache != null
              && o.camWeight() > 0
              && o.fusion().variant().jointHead()
              && jointExpert == null;
      this.negation = o.negationWeight() > 0;
      this.lesionGrid =
          (frozenImage == null
                      && model.network().image() != null
                      && (o.lesionWeight() > 0 || o.camWeight() > 0))
                  || jointCam
              ? o.image().featureMapSize()
              : 0;
      this.listener = listener;
      this.positiveWeights = positiveWeights(split.train(), o.fusion().findingCount());
      this.augmentation =
          o.augment() && frozenImage == null ? new Augmentation(o.invertProbability()) : null;
      int batches = (split.train().size() + o.batchSize() - 1) / o.batchSize();
      this.stepsPerEpoch =
          o.maxStepsPerEpoch() > 0 ? Math.min(batches, o.maxStepsPerEpoch()) : batches;
    }

    Trained run() {
      if (cache == null) {
        return run(model.model(), model.network().inputShapes(1, 1));
      }
      try (ai.djl.Model fusionOnly =
          ai.djl.Model.newInstance(
              "fusion-stage", model.model().getNDManager().getDevice(), Devices.PYTORCH)) {
        fusionOnly.setBlock(model.network().fusion());
        return run(fusionOnly, model.network().fusionInputShapes(1, 1));
      }
    }

    private Trained run(ai.djl.Model trained, Shape[] inputShapes) {
      try (Trainer trainer = trained.newTrainer(config())) {
        trainer.initialize(inputShapes);
        loadExperts();
        Best best = new Best(snapshot());
        int epoch = 0;
        while (epoch < o.epochs() && epoch - best.epoch < o.patience()) {
          epoch++;
          EpochStats stats = trainEpoch(trainer, epoch);
          Validation v = validate();
          boolean better = best.offer(v.score(), epoch);
          listener.onEpoch(
              new TrainingListener.EpochResult(
                  epoch,
                  stats.loss,
                  v.loss,
                  v.macroAuroc,
                  stats.casesPerSecond,
                  stats.seconds,
                  better));
        }
        restore(best.parameters);
        return new Trained(
            model,
            split,
            epoch,
            best.epoch,
            skippedSteps,
            frozenImage == null ? null : frozenImage.cardSha256(),
            List.copyOf(frozenExperts));
      }
    }

    /**
     * A joint head reads the image network's features and the note path's tokens: it fits only the
     * experts it was trained on, which its card names.
     */
    private void requireSameExperts(VerifiedModel joint) {
      Map<String, Object> recipe = FusionModel.fusionCard(joint).training();
      String image = String.valueOf(recipe.get("imageNetwork"));
      String note = String.valueOf(recipe.get("frozenExperts"));
      boolean sameImage = frozenImage != null && image.contains(frozenImage.cardSha256());
      boolean sameNote = noteExpert != null && note.contains(noteExpert.cardSha256());
      if (!sameImage || !sameNote) {
        throw new CdsException(
            ErrorCode.INVALID_ARGUMENT,
            "the joint head of "
                + joint.dir()
                + " was trained on another image network or note path than the experts given");
      }
    }

    /** Copies and freezes the experts' heads (after the trainer initialised the parameters). */
    private void loadExperts() {
      FusionNetwork target = model.network().fusion();
      FusionVariant v = o.fusion().variant();
      Device device = model.model().getNDManager().getDevice();
      if (frozenImage != null
          && v.imageHead()
          && FusionVariant.parse(FusionModel.fusionCard(frozenImage).variant())
              == FusionVariant.IMAGE_ONLY) {
        float pooling = FusionModel.fusionCard(frozenImage).fusion().imagePooling();
        if (pooling != o.fusion().imagePooling()) {
          throw new CdsException(
              ErrorCode.INVALID_ARGUMENT,
              "the image head of "
                  + frozenImage.dir()
                  + " pools the feature map with r = "
                  + pooling
                  + ", this model with r = "
                  + o.fusion().imagePooling());
        }
        copyFrozen(frozenImage, device, target, List.of("image_head"));
        frozenExperts.add("image head from " + frozenImage.cardSha256());
      }
      if (noteExpert != null) {
        if (FusionVariant.parse(FusionModel.fusionCard(noteExpert).variant())
            != FusionVariant.NOTE_ONLY) {
          throw new CdsException(
              ErrorCode.INVALID_ARGUMENT, noteExpert.dir() + " is not a note-only model");
        }
        List<String> parts = new ArrayList<>(List.of("note_projection", "note_layer_"));
        if (v.noteHead()) {
          parts.addAll(List.of("note_queries", "note_readout", "note_bias"));
        }
        copyFrozen(noteExpert, device, target, parts);
        frozenExperts.add(
            (v.noteHead() ? "note path and note head" : "note path")
                + " from "
                + noteExpert.cardSha256());
      }
      if (jointExpert != null && v.jointHead()) {
        if (FusionVariant.parse(FusionModel.fusionCard(jointExpert).variant())
            != FusionVariant.EARLY) {
          throw new CdsException(
              ErrorCode.INVALID_ARGUMENT, jointExpert.dir() + " is not an early-fusion model");
        }
        requireSameExperts(jointExpert);
        copyFrozen(
            jointExpert,
            device,
            target,
            List.of(
                "image_projection",
                "image_positions",
                "null_image",
                "null_note",
                "image_to_note",
                "note_to_image",
                "joint_hidden",
                "joint_out"));
        frozenExperts.add("joint head from " + jointExpert.cardSha256());
      }
    }

    /**
     * Copies every parameter of {@code from}'s fusion network whose name (child numbering aside)
     * starts with one of {@code prefixes} into the same parameter of {@code target}, and freezes
     * it.
     */
    private static void copyFrozen(
        VerifiedModel from, Device device, FusionNetwork target, List<String> prefixes) {
      Map<String, ai.djl.nn.Parameter> targets = new HashMap<>();
      target.getParameters().forEach(p -> targets.put(key(p.getKey()), p.getValue()));
      int copied = 0;
      try (FusionModel source = FusionModel.load(from, device)) {
        for (var p : source.network().getParameters()) {
          String key = key(p.getKey());
          if (prefixes.stream().noneMatch(key::startsWith)) {
            continue;
          }
          ai.djl.nn.Parameter to = targets.get(key);
          NDArray value = p.getValue().getArray();
          if (to == null || !to.getArray().getShape().equals(value.getShape())) {
            throw new CdsException(
                ErrorCode.INVALID_ARGUMENT,
                "expert " + from.dir() + ": parameter " + key + " does not fit this network");
          }
          to.getArray().set(value.toFloatArray());
          to.freeze(true);
          copied++;
        }
      }
      if (copied == 0) {
        throw new CdsException(
            ErrorCode.INVALID_ARGUMENT, "expert " + from.dir() + " has no parameter " + prefixes);
      }
    }

    /** A parameter's name without the child-block numbering DJL puts in front of it. */
    private static String key(String name) {
      return name.replaceFirst("^\\d+", "");
    }

    /** The best parameters so far (early stopping). */
    private final class Best {
      double score = Double.NEGATIVE_INFINITY;
      byte[] parameters;
      int epoch;

      Best(byte[] initial) {
        parameters = initial;
      }

      boolean offer(double candidate, int at) {
        if (candidate <= score) {
          return false;
        }
        score = candidate;
        parameters = snapshot();
        epoch = at;
        return true;
      }
    }

    private DefaultTrainingConfig config() {
      int total = Math.max(1, stepsPerEpoch * o.epochs());
      CosineTracker schedule =
          CosineTracker.builder()
              .setBaseValue(o.learningRate())
              .optFinalValue(o.learningRate() * 0.05f)
              .setMaxUpdates(total)
              .build();
      return new DefaultTrainingConfig(Loss.l2Loss())
          .optOptimizer(
              Optimizer.adamW()
                  .optLearningRateTracker(schedule)
                  .optWeightDecays(o.weightDecay())
                  .optClipGrad(5f)
                  .build())
          .optDevices(new Device[] {model.model().getNDManager().getDevice()});
    }

    private record EpochStats(double loss, double casesPerSecond, double seconds) {}

    private EpochStats trainEpoch(Trainer trainer, int epoch) {
      Random rng = new Random(o.seed() * 1_000_003L + epoch);
      List<TrainingCase> order = new ArrayList<>(split.train());
      java.util.Collections.shuffle(order, rng);
      long start = System.nanoTime();
      double lossSum = 0;
      int seen = 0;
      for (int step = 0; step < stepsPerEpoch; step++) {
        List<TrainingCase> part =
            order.subList(step * o.batchSize(), Math.min(order.size(), (step + 1) * o.batchSize()));
        int[] hidden = part.stream().mapToInt(c -> dropModality(c, rng)).toArray();
        CaseBatch batch =
            CaseBatch.of(
                part,
                hidden,
                cache == null ? o.image().inputSize() : 0,
                o.fusion().textDimension(),
                lesionGrid,
                augmentation,
                rng);
        double loss = step(trainer, batch, part);
        sweep(trainer);
        if (Double.isFinite(loss)) {
          lossSum += loss * part.size();
          seen += part.size();
        }
        listener.onStep(epoch, o.epochs(), step + 1, stepsPerEpoch, loss);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new EpochStats(lossSum / Math.max(1, seen), seen / seconds, seconds);
    }

    /** 0 to keep both modalities, 2 to hide the note, 1 to hide the image (see CaseBatch). */
    private int dropModality(TrainingCase c, Random rng) {
      double u = rng.nextDouble();
      FusionVariant v = o.fusion().variant();
      if (!c.hasImage() || !c.hasNote()) {
        return 0;
      }
      if (u < o.modalityDropout() && v.serves(true, false)) {
        return 2;
      }
      if (u >= o.modalityDropout() && u < 2 * o.modalityDropout() && v.serves(false, true)) {
        return 1;
      }
      return 0;
    }

    /** Closes what the last step left in long-lived managers (baseline after the first step). */
    private void sweep(Trainer trainer) {
      if (sweeper == null) {
        sweeper = ArraySweeper.of(model.model().getNDManager());
        trainerSweeper = ArraySweeper.of(trainer.getManager());
      } else {
        sweeper.sweep();
        trainerSweeper.sweep();
      }
    }

    ArraySweeper trainerSweeper;

    private double step(Trainer trainer, CaseBatch batch, List<TrainingCase> part) {
      try (NDManager manager = trainer.getManager().newSubManager();
          GradientCollector collector = trainer.newGradientCollector()) {
        NDList inputs =
            cache == null
                ? CaseModel.inputs(manager, batch)
                : cache.inputs(manager, batch, part, model.imageSpec());
        NDArray joint =
            jointCam
                ? CamLocalisation.jointLoss(manager, model.network().fusion(), inputs, batch)
                : null;
        NDArray negated =
            negation
                ? NegationLoss.loss(manager, trainer.getModel().getBlock(), inputs, batch)
                : null;
        NDList out = trainer.forward(inputs);
        NDArray loss = loss(manager, out, batch);
        NDArray main = loss;
        if (joint != null) {
          loss = loss.add(joint.mul(o.camWeight()));
        }
        if (negated != null) {
          loss = loss.add(negated.mul(o.negationWeight()));
        }
        collector.backward(loss);
        float value = loss.getFloat();
        if (!Float.isFinite(value) || !gradientsFinite(trainer)) {
          // A non-finite loss or gradient would turn every parameter into NaN at the update, and
          // the run would go on with a dead network; the batch is dropped instead and counted.
          LOG.warn(
              "training step dropped (non-finite): loss {} = classification {} + CAM {} +"
                  + " negation {}; gradients finite: {}; cases {}",
              value,
              main.getFloat(),
              joint == null ? "-" : joint.getFloat(),
              negated == null ? "-" : negated.getFloat(),
              gradientsFinite(trainer),
              part.stream().map(TrainingCase::id).toList());
          clearGradients(trainer);
          skippedSteps++;
          return Double.NaN;
        }
        stepUnlessNoGradient(trainer);
        return value;
      } catch (ai.djl.engine.EngineException e) {
        throw new CdsException(ErrorCode.MODEL_FAILURE, "training step failed", e);
      }
    }

    /** Steps whose loss or gradients were not finite, dropped without an update. */
    private int skippedSteps;

    /** Whether every gradient of the trainable parameters is finite. */
    private static boolean gradientsFinite(Trainer trainer) {
      // the sum is NaN or infinite exactly when an element is (or when they overflow)
      return eachGradient(
          trainer,
          g -> {
            try (NDArray sum = g.sum()) {
              return Float.isFinite(sum.getFloat());
            }
          });
    }

    /**
     * Sets every trainable parameter's gradient to 0 (PyTorch accumulates gradients; DJL's own
     * zeroing subtracts a gradient from itself, which leaves a NaN a NaN).
     */
    private static void clearGradients(Trainer trainer) {
      eachGradient(
          trainer,
          g -> {
            g.set(new ai.djl.ndarray.index.NDIndex("..."), 0f);
            return true;
          });
    }

    /**
     * Visits the gradient of every trainable parameter that has one, until {@code visit} returns
     * false; returns whether it never did.
     */
    private static boolean eachGradient(
        Trainer trainer, java.util.function.Predicate<NDArray> visit) {
      for (var p : trainer.getModel().getBlock().getParameters().values()) {
        if (p.requiresGradient() && p.isInitialized() && p.getArray().hasGradient()) {
          try (NDArray g = p.getArray().getGradient()) {
            if (!visit.test(g)) {
              return false;
            }
          }
        }
      }
      return true;
    }

    /**
     * Updates the parameters, except when no trainable parameter got a gradient: a gate-only
     * training whose batch holds only cases reduced to one head (modality dropout) has nothing to
     * learn from it, and DJL refuses such a step.
     */
    private static void stepUnlessNoGradient(Trainer trainer) {
      try {
        trainer.step();
      } catch (IllegalStateException e) {
        if (e.getMessage() == null || !e.getMessage().startsWith("Gradient values are all zeros")) {
          throw e;
        }
      }
    }

    private NDArray loss(NDManager manager, NDList out, CaseBatch batch) {
      int f = o.fusion().findingCount();
      NDArray labels = manager.create(batch.labels(), new Shape(batch.size(), f));
      NDArray weights = manager.create(positiveWeights);
      NDArray total = bce(out.get(0), labels, weights).mean();
      NDArray masks = manager.create(headMasks(batch), new Shape(batch.size(), 3));
      for (int h = 0; h < 3; h++) {
        NDArray m = masks.get(":, " + h + ":" + (h + 1));
        NDArray head = out.get(1).get(":, :, " + h);
        NDArray sum = bce(head, labels, weights).mul(m).sum();
        total = total.add(sum.div(m.sum().mul(f).maximum(1f)).mul(o.auxiliaryWeight()));
      }
      if (batch.lesionGrid() > 0 && out.size() > CaseNetwork.LESION_OUTPUT) {
        total = total.add(lesionLoss(manager, out.get(CaseNetwork.LESION_OUTPUT), batch));
      }
      if (batch.lesionGrid() > 0 && o.camWeight() > 0 && out.size() > CaseNetwork.CAM_OUTPUT) {
        NDArray cells = out.get(CaseNetwork.CAM_OUTPUT);
        total = total.add(CamLocalisation.loss(manager, cells, batch).mul(o.camWeight()));
      }
      return total;
    }

    /** Weighted mean cell BCE of the lesion logits against the lesion coverage targets. */
    private NDArray lesionLoss(NDManager manager, NDArray logits, CaseBatch batch) {
      int f = o.fusion().findingCount();
      int g = batch.lesionGrid();
      NDArray targets = manager.create(batch.lesionTargets(), new Shape(batch.size(), f, g, g));
      NDArray weights = manager.create(batch.lesionWeights(), new Shape(batch.size(), f, 1, 1));
      // the same BCE with logits as the classification loss, without positive weighting
      NDArray cells = bce(logits, targets, manager.create(1f)).mul(weights);
      return cells.sum().div(weights.sum().mul(g * g).maximum(1f)).mul(o.lesionWeight());
    }

    /** Which heads see their inputs per case: image, note, joint. */
    private float[] headMasks(CaseBatch b) {
      FusionVariant v = o.fusion().variant();
      float[] m = new float[b.size() * 3];
      for (int i = 0; i < b.size(); i++) {
        boolean image = b.presence()[2 * i] > 0;
        boolean note = b.presence()[2 * i + 1] > 0;
        m[3 * i] = v.imageHead() && image ? 1 : 0;
        m[3 * i + 1] = v.noteHead() && note ? 1 : 0;
        boolean joint = v == FusionVariant.EARLY ? image || note : image && note;
        m[3 * i + 2] = v.jointHead() && joint ? 1 : 0;
      }
      return m;
    }

    private record Validation(double loss, double macroAuroc) {
      double score() {
        return Double.isNaN(macroAuroc) ? -loss : macroAuroc;
      }
    }

    private Validation validate() {
      List<TrainingCase> val = split.validation().isEmpty() ? split.train() : split.validation();
      CaseModel.Outputs out =
          cache == null ? model.run(val, o.batchSize()) : cache.run(model, val, o.batchSize());
      if (sweeper != null) {
        sweeper.sweep();
      }
      float[][] labels = TrainingMetrics.labels(val, o.fusion().findingCount());
      double loss = 0;
      for (int k = 0; k < out.f(); k++) {
        loss += Calibration.nll(out.fused(k), labels[k], 1) / out.f();
      }
      return new Validation(loss, TrainingMetrics.macroAuroc(out, labels));
    }

    private byte[] snapshot() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        model.network().saveParameters(out);
      } catch (IOException e) {
        throw new CdsException(ErrorCode.INTERNAL, "cannot snapshot parameters", e);
      }
      return bytes.toByteArray();
    }

    private void restore(byte[] best) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(best))) {
        model.network().loadParameters(model.model().getNDManager(), in);
      } catch (IOException | ai.djl.MalformedModelException e) {
        throw new CdsException(ErrorCode.INTERNAL, "cannot restore the best parameters", e);
      }
    }
  }

  static NDArray bce(NDArray x, NDArray y, NDArray positiveWeight) {
    NDArray logWeight = positiveWeight.sub(1f).mul(y).add(1f);
    NDArray softplus = x.abs().neg().exp().add(1f).log().add(x.neg().maximum(0f));
    return x.mul(y.neg().add(1f)).add(logWeight.mul(softplus));
  }

  static float[] positiveWeights(List<TrainingCase> cases, int findings) {
    float[] w = new float[findings];
    for (int k = 0; k < findings; k++) {
      int pos = 0;
      for (TrainingCase c : cases) {
        pos += c.labels()[k] > 0.5f ? 1 : 0;
      }
      int neg = cases.size() - pos;
      w[k] = pos == 0 ? 1f : Math.max(1f, Math.min(MAX_POSITIVE_WEIGHT, (float) neg / pos));
    }
    return w;
  }
}
