package org.tandemcds.dicom;

import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.network.MultipleInstanceTransferStatusHandlerWithFileName;
import com.pixelmed.network.StorageSOPClassSCU;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * A DICOM Storage SCU: sends files to a {@link DicomDestination} with C-STORE over one association
 * (PixelMed's {@code StorageSOPClassSCU}, one presentation context per SOP class and transfer
 * syntax of the files, sent as stored). Stateless; thread-safe.
 */
public final class StorageSender {
  private static final Logger log = LoggerFactory.getLogger(StorageSender.class);

  /**
   * Sends {@code files} and says, per file, whether the destination stored it.
   *
   * @throws CdsException {@code PACS_UNREACHABLE} when no association could be established (the
   *     destination is down, refuses us, or accepts none of the objects' contexts)
   */
  public List<SendOutcome> send(DicomDestination destination, List<Path> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    Map<String, Boolean> stored = new HashMap<>();
    SetOfDicomFiles set = new SetOfDicomFiles();
    try {
      for (Path file : files) {
        set.add(file.toFile());
      }
      StorageSOPClassSCU scu =
          new StorageSOPClassSCU(
              destination.host(),
              destination.port(),
              destination.calledAeTitle(),
              destination.callingAeTitle(),
              set,
              0,
              new Recorder(stored));
      if (stored.isEmpty() && scu.encounteredTrappedExceptions()) {
        throw unreachable(destination, "association failed");
      }
    } catch (IOException e) {
      throw unreachable(destination, e.toString());
    }
    List<SendOutcome> outcomes = new ArrayList<>();
    for (Path file : files) {
      boolean ok = stored.getOrDefault(file.toFile().getPath(), false);
      outcomes.add(new SendOutcome(file, ok));
    }
    log.info(
        "{}: C-STORE {} of {} stored",
        destination.name(),
        outcomes.stream().filter(SendOutcome::stored).count(),
        files.size());
    return outcomes;
  }

  private static CdsException unreachable(DicomDestination destination, String why) {
    return new CdsException(
        ErrorCode.PACS_UNREACHABLE,
        destination.name()
            + " ("
            + destination.calledAeTitle()
            + "@"
            + destination.host()
            + ":"
            + destination.port()
            + "): "
            + why);
  }

  /** Records each file's outcome as PixelMed reports it. */
  private static final class Recorder extends MultipleInstanceTransferStatusHandlerWithFileName {
    private final Map<String, Boolean> stored;

    Recorder(Map<String, Boolean> stored) {
      this.stored = stored;
    }

    @Override
    public void updateStatus(
        int remaining,
        int completed,
        int failed,
        int warning,
        String sopInstanceUid,
        String fileName,
        boolean success) {
      stored.put(fileName, success);
    }
  }
}
