package org.tandemcds.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.store.StoreResult.Outcome;

class StudyStoreIT {
  private static final InstanceKey KEY =
      new InstanceKey("1.2.840.1", "1.2.840.1.2", "1.2.840.1.2.3", "p-7f3a");
  private final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));

  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void storing_the_same_instance_twice_keeps_one_file_and_one_row(TestDatabase target)
      throws Exception {
    byte[] bytes = "DICM instance bytes".getBytes(StandardCharsets.US_ASCII);
    try (TestDatabase.Instance instance = target.create(dir.resolve("db"))) {
      StudyStore store = new StudyStore(instance.open(2), dir, clock, 1 << 20);
      StoreResult first = store.store(new ByteArrayInputStream(bytes), KEY);
      StoreResult second = store.store(new ByteArrayInputStream(bytes), KEY);

      assertThat(first).isEqualTo(new StoreResult(Outcome.STORED, bytes.length, sha256(bytes)));
      assertThat(second.outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(Files.readAllBytes(store.path(KEY))).isEqualTo(bytes);
      assertThat(store.path(KEY))
          .isEqualTo(dir.resolve("studies/1.2.840.1/1.2.840.1.2/1.2.840.1.2.3.dcm"));
      assertThat(leftoverPartFiles()).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void a_resend_with_other_bytes_is_recorded_as_a_conflict_and_never_overwrites(TestDatabase target)
      throws Exception {
    byte[] original = "original".getBytes(StandardCharsets.US_ASCII);
    byte[] other = "different".getBytes(StandardCharsets.US_ASCII);
    try (TestDatabase.Instance instance = target.create(dir.resolve("db"))) {
      StudyStore store = new StudyStore(instance.open(2), dir, clock, 1 << 20);
      store.store(new ByteArrayInputStream(original), KEY);
      StoreResult conflict = store.store(new ByteArrayInputStream(other), KEY);

      assertThat(conflict.outcome()).isEqualTo(Outcome.CONFLICT);
      assertThat(conflict.errorCode()).contains(ErrorCode.STORE_CONFLICT);
      assertThat(conflict.sha256()).isEqualTo(sha256(other));
      assertThat(Files.readAllBytes(store.path(KEY))).isEqualTo(original);
      assertThat(store.conflictsRecorded(KEY.sopInstanceUid())).isEqualTo(1);
      assertThat(dir.resolve("conflicts/1.2.840.1.2.3." + sha256(other) + ".dcm"))
          .hasBinaryContent(other);
    }
  }

  static Stream<String> traversalUids() {
    return Stream.of(
        "../../etc",
        "1.2/../3",
        "1.2.3\u0000",
        "",
        "1..2",
        ".1.2",
        "1.2.",
        "1.2.a",
        "1." + "2".repeat(63));
  }

  @ParameterizedTest
  @MethodSource("traversalUids")
  void uids_that_are_not_dicom_uids_are_refused_before_anything_is_written(String uid) {
    assertThatThrownBy(() -> new InstanceKey("1.2", "1.2.3", uid, "p"))
        .isInstanceOfSatisfying(
            CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_INVALID_KEY));
    assertThatThrownBy(() -> new InstanceKey(uid, "1.2.3", "1.2.3.4", "p"))
        .isInstanceOf(CdsException.class);
    assertThat(dir).isEmptyDirectory();
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void an_instance_over_the_size_limit_is_refused_and_leaves_nothing(TestDatabase target)
      throws Exception {
    try (TestDatabase.Instance instance = target.create(dir.resolve("db"))) {
      StudyStore store = new StudyStore(instance.open(2), dir, clock, 10);
      assertThatThrownBy(() -> store.store(new ByteArrayInputStream(new byte[11]), KEY))
          .isInstanceOfSatisfying(
              CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DICOM_TOO_LARGE));
      assertThat(store.path(KEY)).doesNotExist();
      assertThat(leftoverPartFiles()).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void notes_are_idempotent_by_resource_and_conflicts_are_recorded(TestDatabase target) {
    byte[] note = "{\"resourceType\":\"DocumentReference\"}".getBytes(StandardCharsets.UTF_8);
    byte[] changed =
        "{\"resourceType\":\"DocumentReference\",\"x\":1}".getBytes(StandardCharsets.UTF_8);
    NoteKey key = new NoteKey("DocumentReference", "note-1", "p-7f3a", LocalDate.of(2025, 3, 1));
    try (TestDatabase.Instance instance = target.create(dir.resolve("db"))) {
      NoteStore notes = new NoteStore(instance.open(2), clock, 1 << 20);
      assertThat(notes.store(note, key).outcome()).isEqualTo(Outcome.STORED);
      assertThat(notes.store(note, key).outcome()).isEqualTo(Outcome.DUPLICATE);
      assertThat(notes.store(changed, key).outcome()).isEqualTo(Outcome.CONFLICT);
      assertThat(notes.read("DocumentReference", "note-1")).hasValue(note);
      assertThat(notes.conflictsRecorded("DocumentReference", "note-1")).isEqualTo(1);
      assertThat(notes.store(note, new NoteKey("DocumentReference", "note-2", "p", null)).outcome())
          .isEqualTo(Outcome.STORED);
    }
    assertThatThrownBy(() -> new NoteKey("DocumentReference", "../x", "p", null))
        .isInstanceOf(CdsException.class);
  }

  private long leftoverPartFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".part")).count();
    }
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
