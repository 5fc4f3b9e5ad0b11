package org.tandemcds.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Closes arrays that appeared in a long-lived manager (the model's) after a baseline was taken.
 *
 * <p>DJL attaches the result of an operation to the manager of its first operand; when that operand
 * is a parameter (or a gradient, or an optimizer state) the result lands in the model's manager and
 * lives until the model is closed. A training step leaves ~20 such arrays behind (gradient views,
 * optimizer temporaries, broadcast parameters), and with the autograd graph they keep alive the
 * process grew by gigabytes per epoch. The trainer takes the baseline once the first step created
 * the optimizer state, then sweeps after every step and every validation.
 *
 * <p>Not thread-safe.
 */
final class ArraySweeper {
  private final NDManager manager;
  private final Set<NDArray> baseline = Collections.newSetFromMap(new IdentityHashMap<>());

  private ArraySweeper(NDManager manager) {
    this.manager = manager;
    baseline.addAll(manager.getManagedArrays());
  }

  /** A sweeper whose baseline is every array {@code manager} (and its sub-managers) holds now. */
  static ArraySweeper of(NDManager manager) {
    return new ArraySweeper(manager);
  }

  /** Closes every array created in the manager since the baseline; returns how many. */
  int sweep() {
    int closed = 0;
    for (NDArray a : manager.getManagedArrays()) {
      if (!baseline.contains(a)) {
        a.close();
        closed++;
      }
    }
    return closed;
  }
}
