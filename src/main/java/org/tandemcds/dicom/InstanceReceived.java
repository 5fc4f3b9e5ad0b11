package org.tandemcds.dicom;

import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.StoreResult;

/**
 * Told about every instance a {@link StorageReceiver} put into the study store (STORED, DUPLICATE
 * or CONFLICT), after the store call and before the C-STORE response is sent. Called from the
 * association's worker thread, so implementations must be thread-safe and quick; an exception
 * thrown here is logged and does not change the response (the instance is already stored).
 */
@FunctionalInterface
public interface InstanceReceived {
  void instanceReceived(InstanceKey key, StoreResult result, String callingAeTitle);
}
