package org.tandemcds.deliver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.dicom.DicomDestination;
import org.tandemcds.dicom.ResultObject;
import org.tandemcds.dicom.SendOutcome;
import org.tandemcds.dicom.StorageSender;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.store.Outbox;
import org.tandemcds.store.OutboxItem;

/**
 * Delivers DICOM result objects to the configured PACS destinations through the persistent {@link
 * Outbox}: {@link #enqueue} puts each object in the outbox once per destination; {@link
 * #deliverDue} (called every poll interval by the background thread {@link #start} starts, or
 * directly) claims due items per destination and sends them with C-STORE over one association. A
 * stored object is marked sent; one the destination did not store, or every claimed one when the
 * destination cannot be reached, is retried after the outbox's backoff. Nothing is lost: an item
 * stays in the outbox until it is sent or given up (then its file is kept).
 *
 * <p>Thread-safe; several processes may deliver from the same outbox (claims are leased).
 */
public final class PacsDelivery implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PacsDelivery.class);

  private final Outbox outbox;
  private final StorageSender sender;
  private final List<DicomDestination> destinations;
  private final String owner;
  private final Duration lease;
  private final int batchSize;
  private final ScheduledExecutorService timer;

  public PacsDelivery(
      Outbox outbox,
      StorageSender sender,
      List<DicomDestination> destinations,
      String owner,
      Duration lease,
      int batchSize) {
    this.outbox = outbox;
    this.sender = sender;
    this.destinations = List.copyOf(destinations);
    this.owner = owner;
    this.lease = lease;
    this.batchSize = batchSize;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "pacs-delivery");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Puts every object in the outbox of every destination (idempotent). */
  public void enqueue(List<ResultObject> objects) {
    for (DicomDestination destination : destinations) {
      for (ResultObject object : objects) {
        outbox.enqueue(
            destination.name(), object.file(), object.studyInstanceUid(), object.sopInstanceUid());
      }
    }
  }

  /** Starts delivering every {@code interval} in the background until {@link #close()}. */
  public void start(Duration interval) {
    timer.scheduleWithFixedDelay(
        this::deliverQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * One round: for each destination, claims and sends due items until none is due.
   *
   * @return how many objects the destinations stored in this round
   */
  public int deliverDue() {
    int stored = 0;
    for (DicomDestination destination : destinations) {
      stored += deliverTo(destination);
    }
    return stored;
  }

  private int deliverTo(DicomDestination destination) {
    int stored = 0;
    List<OutboxItem> batch;
    while (!(batch = outbox.claim(destination.name(), owner, batchSize, lease)).isEmpty()) {
      int sent = send(destination, batch);
      stored += sent;
      if (sent < batch.size()) {
        break;
      }
    }
    return stored;
  }

  private int send(DicomDestination destination, List<OutboxItem> batch) {
    Map<Path, OutboxItem> byFile =
        batch.stream().collect(Collectors.toMap(OutboxItem::file, Function.identity()));
    try {
      int stored = 0;
      for (SendOutcome outcome : sender.send(destination, List.copyOf(byFile.keySet()))) {
        OutboxItem item = byFile.get(outcome.file());
        if (outcome.stored()) {
          outbox.sent(item);
          stored++;
        } else {
          outbox.failed(item, ErrorCode.PACS_STORE_REFUSED.code() + ": C-STORE not successful");
        }
      }
      return stored;
    } catch (CdsException e) {
      log.warn(
          "{}: {} objects wait for a retry: {}", destination.name(), batch.size(), e.getMessage());
      batch.forEach(item -> outbox.failed(item, e.getMessage()));
      return 0;
    }
  }

  private void deliverQuietly() {
    try {
      deliverDue();
    } catch (RuntimeException e) {
      log.error("PACS delivery round failed; the next round retries", e);
    }
  }

  @Override
  public void close() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      timer.shutdownNow();
    }
  }
}
