package org.tandemcds.model;

/** Hears training progress (the command line draws a progress bar from it). */
public interface TrainingListener {

  /** After each optimiser step; {@code loss} is the step's total loss. */
  void onStep(int epoch, int epochs, int step, int steps, double loss);

  /** After each epoch's validation. */
  void onEpoch(EpochResult result);

  /**
   * One epoch's outcome.
   *
   * @param validationMacroAuroc NaN when the validation split lacks a class for every finding
   * @param casesPerSecond training cases processed per second in this epoch (steps only)
   * @param best whether these are the best parameters so far
   */
  record EpochResult(
      int epoch,
      double trainLoss,
      double validationLoss,
      double validationMacroAuroc,
      double casesPerSecond,
      double seconds,
      boolean best) {}

  /** A listener that ignores everything. */
  TrainingListener NONE =
      new TrainingListener() {
        @Override
        public void onStep(int epoch, int epochs, int step, int steps, double loss) {}

        @Override
        public void onEpoch(EpochResult result) {}
      };
}
