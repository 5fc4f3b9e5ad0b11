package org.tandemcds.store;

import java.util.Optional;
import org.tandemcds.domain.ErrorCode;

/**
 * What a store call did with the bytes it received, with their size and sha256 (lower-case hex).
 */
public record StoreResult(Outcome outcome, long sizeBytes, String sha256) {

  /** The three outcomes of an idempotent store. */
  public enum Outcome {
    /** New key: the bytes are now stored. */
    STORED,
    /** The key was stored before with the same bytes: nothing changed. */
    DUPLICATE,
    /** The key was stored before with other bytes: recorded as a conflict, nothing replaced. */
    CONFLICT
  }

  /** {@link ErrorCode#STORE_CONFLICT} for a conflict (for DIMSE status or HTTP 409), else empty. */
  public Optional<ErrorCode> errorCode() {
    return outcome == Outcome.CONFLICT ? Optional.of(ErrorCode.STORE_CONFLICT) : Optional.empty();
  }
}
