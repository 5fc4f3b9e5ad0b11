package org.tandemcds.service;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.JobKey;
import org.tandemcds.store.JobQueue;
import org.tandemcds.store.StudyActivity;
import org.tandemcds.store.StudyStore;

/**
 * The automatic trigger: a study that has received no new instance for the quiet time is queued for
 * analysis with its current instance set (notes from the window, or image-only). A study that grows
 * afterwards goes quiet again with a new instance set and is queued once more; the job key (study,
 * instance set, model version) keeps any set from being analysed twice, also when several processes
 * run the trigger.
 */
public final class QuietStudyTrigger implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QuietStudyTrigger.class);
  private static final int BATCH = 100;

  private final StudyActivity activity;
  private final StudyStore studies;
  private final JobQueue queue;
  private final Runnable wakeWorkers;
  private final Clock clock;
  private final Duration quietTime;
  private final String modelVersion;
  private final ScheduledExecutorService timer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          AnalysisWorkers.named("tandem-trigger"));

  public QuietStudyTrigger(
      StudyActivity activity,
      StudyStore studies,
      JobQueue queue,
      Runnable wakeWorkers,
      Clock clock,
      Duration quietTime,
      String modelVersion) {
    this.activity = activity;
    this.studies = studies;
    this.queue = queue;
    this.wakeWorkers = wakeWorkers;
    this.clock = clock;
    this.quietTime = quietTime;
    this.modelVersion = modelVersion;
  }

  /**
   * Checks for quiet studies every quarter of the quiet time (at least every 2 s, at most 10/s).
   */
  public QuietStudyTrigger start() {
    long period = Math.min(2000, Math.max(100, quietTime.toMillis() / 4));
    timer.scheduleWithFixedDelay(this::checkSafely, period, period, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Queues every study quiet since the quiet time; returns how many were queued. */
  public int check() {
    List<String> quiet = activity.quietStudies(clock.instant().minus(quietTime), BATCH);
    for (String study : quiet) {
      List<InstanceKey> instances = studies.instances(study);
      long jobId =
          queue.enqueue(
              new JobKey(
                  study,
                  instances.stream().map(InstanceKey::sopInstanceUid).toList(),
                  modelVersion));
      activity.markQueued(study, instances.size());
      log.info("study {} quiet with {} instance(s): job {}", study, instances.size(), jobId);
    }
    if (!quiet.isEmpty()) {
      wakeWorkers.run();
    }
    return quiet.size();
  }

  private void checkSafely() {
    try {
      check();
    } catch (CdsException e) {
      log.warn("quiet-study check failed: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("quiet-study check failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
