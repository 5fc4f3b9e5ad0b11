package org.tandemcds.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JobQueueConcurrencyIT {
  private static final int JOBS = 50;
  private static final Duration LEASE = Duration.ofMinutes(10);
  private static final RetryPolicy RETRIES = new RetryPolicy(3, Duration.ZERO, Duration.ZERO);
  // In the past, so that worker processes on the system clock see every job as ready.
  private final TestClock clock = new TestClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final Map<Long, AtomicInteger> completions = new ConcurrentHashMap<>();

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void fifty_jobs_are_each_completed_exactly_once_by_competing_workers(TestDatabase target)
      throws Exception {
    try (TestDatabase.Instance instance = target.create(dir)) {
      JobQueue setup = new JobQueue(instance.open(2), clock, RETRIES);
      List<Long> ids = new ArrayList<>();
      for (int i = 1; i <= JOBS; i++) {
        ids.add(setup.enqueue(new JobKey("1.2.840.7", List.of("1.2.840.7." + i), "m1")));
      }
      List<Process> processes =
          target == TestDatabase.POSTGRESQL ? startProcesses(instance) : List.of();
      runThreadWorkers(instance);
      for (Process process : processes) {
        collect(process);
      }

      assertThat(completions.keySet()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(completions.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(setup.depth()).containsEntry(JobState.DONE, (long) JOBS);
    }
  }

  private void runThreadWorkers(TestDatabase.Instance instance) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        JobQueue queue = new JobQueue(instance.open(2), clock, RETRIES);
        String workerId = "thread-" + w;
        workers.add(threads.submit(() -> drain(queue, workerId)));
      }
      for (Future<?> worker : workers) {
        worker.get(4, TimeUnit.MINUTES);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  private void drain(JobQueue queue, String workerId) {
    for (var job = queue.claim(workerId, LEASE);
        job.isPresent();
        job = queue.claim(workerId, LEASE)) {
      queue.complete(job.get().lease(), workerId);
      completions.computeIfAbsent(job.get().id(), id -> new AtomicInteger()).incrementAndGet();
    }
  }

  private static List<Process> startProcesses(TestDatabase.Instance instance) throws IOException {
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      ProcessBuilder builder =
          new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path"),
              QueueWorkerMain.class.getName(),
              instance.url,
              instance.user,
              "process-" + p);
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
      processes.add(builder.start());
    }
    return processes;
  }

  private void collect(Process process) throws Exception {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.matches("[0-9]+")) {
          completions
              .computeIfAbsent(Long.parseLong(line), id -> new AtomicInteger())
              .incrementAndGet();
        }
      }
    }
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("worker process exit status").isZero();
  }
}
