package org.tandemcds.service;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.StageTiming;
import org.tandemcds.metrics.Metrics;
import org.tandemcds.store.AnalysisResults;
import org.tandemcds.store.AnalysisResults.StoredResult;
import org.tandemcds.store.Job;
import org.tandemcds.store.JobQueue;
import org.tandemcds.store.JobState;

/**
 * The worker pool: each thread claims a job from the durable queue under a lease (renewed while it
 * runs), lays out its inputs, runs the {@link Analyzer}, records the result (once per job) and
 * hands it to the {@link ResultSink}s, then completes the job. A coded failure is recorded on the
 * job (retried with backoff, failed after the last attempt); an uncoded one as {@link
 * ErrorCode#INTERNAL}. Closing stops claiming and waits for running analyses.
 */
public final class AnalysisWorkers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AnalysisWorkers.class);

  /** How the pool runs: its size, the lease and how long an idle worker waits between claims. */
  public record Settings(String processId, int threads, Duration lease, Duration idlePoll) {}

  private final JobQueue queue;
  private final CaseFiles files;
  private final Analyzer analyzer;
  private final AnalysisResults results;
  private final List<ResultSink> sinks;
  private final Metrics metrics;
  private final Settings settings;
  private final ExecutorService threads;
  private final ScheduledExecutorService heartbeats;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Object wake = new Object();

  public AnalysisWorkers(
      JobQueue queue,
      CaseFiles files,
      Analyzer analyzer,
      AnalysisResults results,
      List<ResultSink> sinks,
      Metrics metrics,
      Settings settings) {
    this.queue = queue;
    this.files = files;
    this.analyzer = analyzer;
    this.results = results;
    this.sinks = List.copyOf(sinks);
    this.metrics = metrics;
    this.settings = settings;
    this.threads = Executors.newFixedThreadPool(settings.threads(), named("tandem-worker"));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(named("tandem-lease"));
  }

  /** Starts the worker threads. */
  public AnalysisWorkers start() {
    for (int i = 0; i < settings.threads(); i++) {
      String workerId = settings.processId() + "/w" + i;
      threads.submit(() -> loop(workerId));
    }
    return this;
  }

  /** Tells idle workers that a job may be ready now. */
  public void wake() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private void loop(String workerId) {
    while (running.get()) {
      try {
        Optional<Job> job = queue.claim(workerId, settings.lease());
        if (job.isPresent()) {
          run(job.get());
        } else {
          idle();
        }
      } catch (CdsException e) {
        metrics.error(e.code());
        log.warn("{}: queue unavailable: {}", workerId, e.getMessage());
        idle();
      } catch (RuntimeException e) {
        metrics.error(ErrorCode.INTERNAL);
        log.error("{}: unexpected failure", workerId, e);
        idle();
      }
    }
  }

  private void idle() {
    synchronized (wake) {
      try {
        wake.wait(settings.idlePoll().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.set(false);
      }
    }
  }

  private void run(Job job) {
    long period = Math.max(1, settings.lease().toMillis() / 3);
    ScheduledFuture<?> heartbeat =
        heartbeats.scheduleAtFixedRate(() -> renew(job), period, period, TimeUnit.MILLISECONDS);
    try {
      Optional<StoredResult> recorded = results.forJob(job.id());
      if (recorded.isPresent()) {
        heartbeat.cancel(false);
        queue.complete(job.lease(), "run/" + recorded.get().runId());
        log.info("job {}: result recorded by an earlier attempt", job.id());
        return;
      }
      CaseFiles.Prepared prepared = files.prepare(job);
      AnalysisRun run = analyzer.analyse(prepared.request());
      String runId = results.record(stored(job, run, prepared.notesSource()));
      sinks.forEach(sink -> sink.accept(job.id(), runId, run));
      heartbeat.cancel(false);
      queue.complete(job.lease(), "run/" + runId);
      measure(run);
      log.info(
          "job {}: analysed study {} as {} (run {}; {})",
          job.id(),
          job.key().studyInstanceUid(),
          run.mode().label(),
          runId,
          prepared.notesSource());
    } catch (CdsException e) {
      heartbeat.cancel(false);
      metrics.error(e.code());
      failQuietly(job, e.code(), e.getMessage());
    } catch (RuntimeException e) {
      heartbeat.cancel(false);
      metrics.error(ErrorCode.INTERNAL);
      log.error("job {}: unexpected failure", job.id(), e);
      failQuietly(job, ErrorCode.INTERNAL, e.getClass().getName());
    } finally {
      heartbeat.cancel(false);
      files.delete(job);
    }
  }

  private void renew(Job job) {
    try {
      queue.heartbeat(job.lease(), settings.lease());
    } catch (CdsException e) {
      log.warn("job {}: lease not renewed: {}", job.id(), e.code().code());
    }
  }

  private void failQuietly(Job job, ErrorCode code, String detail) {
    try {
      JobState state = queue.fail(job.lease(), code, detail);
      log.warn(
          "job {}: attempt {} failed with {}; now {}",
          job.id(),
          job.lease().attempt(),
          code.code(),
          state);
    } catch (CdsException e) {
      log.warn("job {}: failure not recorded: {}", job.id(), e.code().code());
    }
  }

  private static StoredResult stored(Job job, AnalysisRun run, String notesSource) {
    return new StoredResult(
        run.runId(),
        job.id(),
        run.studyInstanceUid().orElse(null),
        run.mode().label(),
        run.prediction().modelName(),
        run.prediction().modelVersion(),
        run.report().bundleJson(),
        run.started(),
        run.finished(),
        notesSource);
  }

  private void measure(AnalysisRun run) {
    metrics.analysis(run.mode().label());
    for (StageTiming stage : run.stages()) {
      metrics.stageTime(stage.stage(), stage.nanos());
    }
  }

  @Override
  public void close() {
    running.set(false);
    wake();
    threads.shutdown();
    try {
      if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    heartbeats.shutdownNow();
  }

  static java.util.concurrent.ThreadFactory named(String prefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
