package org.tandemcds.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.tandemcds.model.TrainingListener;

/**
 * A one-line text progress bar on stderr for training: epoch, steps, loss, the last validation
 * macro AUROC, throughput and time left (remaining planned steps × mean step time so far; early
 * stopping can end sooner). Each finished epoch leaves one summary line.
 */
final class TrainingProgress implements TrainingListener {
  private static final int WIDTH = 24;
  private final PrintWriter err;
  private final int batchSize;
  private final long start = System.nanoTime();
  private long steps;
  private double lastAuroc = Double.NaN;

  TrainingProgress(PrintWriter err, int batchSize) {
    this.err = err;
    this.batchSize = batchSize;
  }

  @Override
  public void onStep(int epoch, int epochs, int step, int stepsPerEpoch, double loss) {
    steps++;
    double perStep = (System.nanoTime() - start) / 1e9 / steps;
    long left = (long) (epochs - epoch) * stepsPerEpoch + (stepsPerEpoch - step);
    int filled = step * WIDTH / stepsPerEpoch;
    err.printf(
        Locale.ROOT,
        "\rtrain epoch %d/%d [%s%s] %d/%d loss %.4f | val AUROC %s | %.1f cases/s | left %s   ",
        epoch,
        epochs,
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        step,
        stepsPerEpoch,
        loss,
        Double.isNaN(lastAuroc) ? "-" : String.format(Locale.ROOT, "%.3f", lastAuroc),
        batchSize / perStep,
        duration(left * perStep));
    err.flush();
  }

  @Override
  public void onEpoch(EpochResult r) {
    lastAuroc = r.validationMacroAuroc();
    err.printf(
        Locale.ROOT,
        "\repoch %d: train loss %.4f, val loss %.4f, val macro AUROC %.4f, %.1f cases/s, %s%s%n",
        r.epoch(),
        r.trainLoss(),
        r.validationLoss(),
        r.validationMacroAuroc(),
        r.casesPerSecond(),
        duration(r.seconds()),
        r.best() ? " (best)" : "");
    err.flush();
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
        : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
