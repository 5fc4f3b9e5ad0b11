package org.tandemcds.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class JobQueueIT {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final RetryPolicy RETRIES =
      new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(10));
  private final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));

  @TempDir Path dir;

  private static JobKey key(String... sops) {
    return new JobKey("1.2.840.9", List.of(sops), "tandem-0.1.0");
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void enqueueing_the_same_key_twice_gives_one_job(TestDatabase target) {
    try (TestDatabase.Instance instance = target.create(dir)) {
      JobQueue queue = new JobQueue(instance.open(2), clock, RETRIES);
      long first = queue.enqueue(key("1.2.3", "1.2.4"));
      long again = queue.enqueue(key("1.2.4", "1.2.3", "1.2.3"));
      long otherSet = queue.enqueue(key("1.2.3"));

      assertThat(again).isEqualTo(first);
      assertThat(otherSet).isNotEqualTo(first);
      assertThat(queue.depth()).containsEntry(JobState.QUEUED, 2L);
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void an_expired_lease_is_reclaimed_by_another_worker_and_the_first_loses_it(TestDatabase target) {
    try (TestDatabase.Instance instance = target.create(dir)) {
      JobQueue queue = new JobQueue(instance.open(2), clock, RETRIES);
      long id = queue.enqueue(key("1.2.3"));
      Job first = queue.claim("worker-a", LEASE).orElseThrow();
      assertThat(first.key()).isEqualTo(key("1.2.3"));
      assertThat(queue.claim("worker-b", LEASE)).isEmpty();

      clock.advance(LEASE.minusSeconds(1));
      queue.heartbeat(first.lease(), LEASE);
      clock.advance(LEASE.minusSeconds(1));
      assertThat(queue.claim("worker-b", LEASE)).as("heartbeat extended the lease").isEmpty();

      clock.advance(Duration.ofSeconds(1));
      Job second = queue.claim("worker-b", LEASE).orElseThrow();
      assertThat(second.id()).isEqualTo(id);
      assertThat(second.lease().attempt()).isEqualTo(2);
      assertThatThrownBy(() -> queue.complete(first.lease(), "late"))
          .isInstanceOfSatisfying(
              CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_LEASE_LOST));
      queue.complete(second.lease(), "result/1");
      assertThat(queue.status(id).orElseThrow().resultRef()).isEqualTo("result/1");
      assertThat(queue.depth())
          .containsEntry(JobState.DONE, 1L)
          .containsEntry(JobState.RUNNING, 0L);
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void failures_back_off_exponentially_then_the_job_fails_with_its_code(TestDatabase target) {
    try (TestDatabase.Instance instance = target.create(dir)) {
      JobQueue queue = new JobQueue(instance.open(2), clock, RETRIES);
      long id = queue.enqueue(key("1.2.3"));

      Job attempt1 = queue.claim("w", LEASE).orElseThrow();
      assertThat(queue.fail(attempt1.lease(), ErrorCode.MODEL_FAILURE, "oom"))
          .isEqualTo(JobState.QUEUED);
      assertThat(queue.status(id).orElseThrow().notBefore())
          .isEqualTo(clock.instant().plusSeconds(10));
      clock.advance(Duration.ofSeconds(9));
      assertThat(queue.claim("w", LEASE)).as("inside the 10 s backoff").isEmpty();
      clock.advance(Duration.ofSeconds(1));

      Job attempt2 = queue.claim("w", LEASE).orElseThrow();
      queue.fail(attempt2.lease(), ErrorCode.MODEL_FAILURE, "oom");
      clock.advance(Duration.ofSeconds(19));
      assertThat(queue.claim("w", LEASE)).as("inside the 20 s backoff").isEmpty();
      clock.advance(Duration.ofSeconds(1));

      Job attempt3 = queue.claim("w", LEASE).orElseThrow();
      assertThat(attempt3.lease().attempt()).isEqualTo(3);
      assertThat(queue.fail(attempt3.lease(), ErrorCode.MODEL_FAILURE, "oom"))
          .isEqualTo(JobState.FAILED);
      clock.advance(Duration.ofDays(1));
      assertThat(queue.claim("w", LEASE)).isEmpty();
      JobStatus status = queue.status(id).orElseThrow();
      assertThat(status.state()).isEqualTo(JobState.FAILED);
      assertThat(status.errorCode()).isEqualTo("TDM-503");
      assertThat(status.attempts()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void a_lease_that_expires_on_the_last_attempt_fails_the_job(TestDatabase target) {
    try (TestDatabase.Instance instance = target.create(dir)) {
      JobQueue queue =
          new JobQueue(instance.open(2), clock, new RetryPolicy(1, Duration.ZERO, Duration.ZERO));
      long id = queue.enqueue(key("1.2.3"));
      queue.claim("w", LEASE).orElseThrow();
      clock.advance(LEASE);

      Optional<Job> reclaimed = queue.claim("w2", LEASE);
      assertThat(reclaimed).isEmpty();
      assertThat(queue.status(id).orElseThrow().errorCode())
          .isEqualTo(ErrorCode.JOB_LEASE_EXPIRED.code());
      assertThat(queue.depth()).containsEntry(JobState.FAILED, 1L);
    }
  }

  @org.junit.jupiter.api.Test
  void backoff_doubles_from_the_initial_wait_and_stops_at_the_cap() {
    RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(10), Duration.ofSeconds(60));
    assertThat(List.of(1, 2, 3, 4, 30).stream().map(policy::backoffAfter).toList())
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(40),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60));
  }
}
