package org.tandemcds.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/** The persistent DICOM outbox on H2 and PostgreSQL. */
class OutboxIT {
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final RetryPolicy RETRIES =
      new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofMinutes(10));
  private static final String STUDY = "1.2.840.9";
  private final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));

  @TempDir Path dir;

  private Outbox outbox(Database database) {
    return new Outbox(database, dir.resolve("data"), clock, RETRIES, 1 << 20);
  }

  private Path object(String name, String content) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void an_object_is_queued_once_claimed_and_its_copy_deleted_when_sent(TestDatabase target)
      throws Exception {
    try (TestDatabase.Instance instance = target.create(dir)) {
      Outbox outbox = outbox(instance.open(2));
      Path original = object("sr.dcm", "SR bytes");
      assertThat(outbox.enqueue("pacs", original, STUDY, "1.2.3")).isTrue();
      assertThat(outbox.enqueue("pacs", original, STUDY, "1.2.3")).isFalse();
      assertThat(outbox.enqueue("archive", original, STUDY, "1.2.3")).isTrue();

      List<OutboxItem> claimed = outbox.claim("pacs", "worker-a", 10, LEASE);
      assertThat(claimed).hasSize(1);
      OutboxItem item = claimed.get(0);
      assertThat(item.attempt()).isEqualTo(1);
      assertThat(Files.readString(item.file())).isEqualTo("SR bytes");
      assertThat(outbox.claim("pacs", "worker-b", 10, LEASE)).isEmpty();

      outbox.sent(item);
      assertThat(item.file()).doesNotExist();
      assertThat(original).exists();
      assertThat(outbox.state("pacs", "1.2.3")).contains(OutboxState.SENT);
      assertThat(outbox.depth("pacs")).containsEntry(OutboxState.SENT, 1L);
      assertThat(outbox.depth("archive")).containsEntry(OutboxState.QUEUED, 1L);
      assertThat(outbox.enqueue("pacs", original, STUDY, "1.2.3"))
          .as("a sent object is not queued again")
          .isFalse();
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void a_failed_send_waits_for_its_backoff_and_the_last_attempt_keeps_the_file(TestDatabase target)
      throws Exception {
    try (TestDatabase.Instance instance = target.create(dir)) {
      Outbox outbox = outbox(instance.open(2));
      outbox.enqueue("pacs", object("sc.dcm", "SC"), STUDY, "1.2.4");

      OutboxItem first = outbox.claim("pacs", "w", 10, LEASE).get(0);
      assertThat(outbox.failed(first, "connection refused")).isEqualTo(OutboxState.QUEUED);
      assertThat(outbox.claim("pacs", "w", 10, LEASE)).as("backoff 10 s").isEmpty();
      clock.advance(Duration.ofSeconds(10));
      OutboxItem second = outbox.claim("pacs", "w", 10, LEASE).get(0);
      assertThat(second.attempt()).isEqualTo(2);
      outbox.failed(second, "connection refused");
      clock.advance(Duration.ofSeconds(19));
      assertThat(outbox.claim("pacs", "w", 10, LEASE)).as("backoff 20 s").isEmpty();
      clock.advance(Duration.ofSeconds(1));
      OutboxItem last = outbox.claim("pacs", "w", 10, LEASE).get(0);

      assertThat(outbox.failed(last, "association rejected")).isEqualTo(OutboxState.FAILED);
      clock.advance(Duration.ofDays(1));
      assertThat(outbox.claim("pacs", "w", 10, LEASE)).isEmpty();
      assertThat(last.file()).as("nothing is lost: kept for an operator").exists();
      assertThat(outbox.state("pacs", "1.2.4")).contains(OutboxState.FAILED);
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void queued_objects_survive_a_restart(TestDatabase target) throws Exception {
    try (TestDatabase.Instance instance = target.create(dir)) {
      Database before = instance.open(2);
      outbox(before).enqueue("pacs", object("a.dcm", "A"), STUDY, "1.2.5");
      OutboxItem inFlight = outbox(before).claim("pacs", "dead-process", 1, LEASE).get(0);
      before.close();

      Outbox after = outbox(instance.open(2));
      assertThat(after.claim("pacs", "new-process", 10, LEASE))
          .as("leased by a process that died: not yet")
          .isEmpty();
      clock.advance(LEASE);
      List<OutboxItem> again = after.claim("pacs", "new-process", 10, LEASE);
      assertThat(again).hasSize(1);
      assertThat(again.get(0).attempt()).isEqualTo(2);
      assertThat(Files.readString(again.get(0).file())).isEqualTo("A");
      assertThatThrownBy(() -> after.sent(inFlight))
          .isInstanceOfSatisfying(
              CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_LEASE_LOST));
      after.sent(again.get(0));
      assertThat(after.depth("pacs")).containsEntry(OutboxState.SENT, 1L);
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void concurrent_claimers_never_share_an_item(TestDatabase target) throws Exception {
    try (TestDatabase.Instance instance = target.create(dir)) {
      Outbox outbox = outbox(instance.open(4));
      for (int i = 0; i < 20; i++) {
        outbox.enqueue("pacs", object(i + ".dcm", "x" + i), STUDY, "1.2.6." + i);
      }
      Set<Long> seen = java.util.Collections.synchronizedSet(new HashSet<>());
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      List<java.util.concurrent.Future<Integer>> workers = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String owner = "w" + t;
        workers.add(
            pool.submit(
                () -> {
                  int sent = 0;
                  List<OutboxItem> items;
                  while (!(items = outbox.claim("pacs", owner, 3, LEASE)).isEmpty()) {
                    for (OutboxItem item : items) {
                      assertThat(seen.add(item.id())).as("claimed twice").isTrue();
                      outbox.sent(item);
                      sent++;
                    }
                  }
                  return sent;
                }));
      }
      int total = 0;
      for (java.util.concurrent.Future<Integer> worker : workers) {
        total += worker.get();
      }
      pool.shutdown();
      assertThat(total).isEqualTo(20);
      assertThat(outbox.depth("pacs")).containsEntry(OutboxState.SENT, 20L);
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void a_destination_name_that_could_escape_the_outbox_folder_is_refused(TestDatabase target)
      throws Exception {
    try (TestDatabase.Instance instance = target.create(dir)) {
      Outbox outbox = outbox(instance.open(2));
      Path file = object("b.dcm", "B");
      assertThatThrownBy(() -> outbox.enqueue("../etc", file, STUDY, "1.2.7"))
          .isInstanceOfSatisfying(
              CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_INVALID_KEY));
    }
  }
}
