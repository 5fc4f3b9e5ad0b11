package org.tandemcds.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The persistent DICOM outbox (table {@code outbox_item}): result objects waiting to be sent to a
 * destination, kept as files under {@code <dataDir>/outbox/<destination>/<SOPInstanceUID>.dcm}
 * until they are sent, so a destination that is down gets them later and a restart loses nothing.
 *
 * <p>{@link #enqueue} copies the object in ({@code *.part}, then rename) and adds one row per
 * (destination, SOPInstanceUID); enqueueing the same pair again changes nothing. {@link #claim}
 * leases due items with {@code FOR UPDATE SKIP LOCKED}, so several deliverers (threads or
 * processes) never send the same item at once; a lease that expires makes the item claimable again.
 * {@link #sent} marks an item sent and deletes its file; {@link #failed} queues it again after the
 * {@link RetryPolicy}'s backoff or, on its last attempt, marks it {@code failed} and keeps its
 * file. Times come from the {@link Clock} given.
 *
 * <p>Thread-safe. Errors: {@link ErrorCode#STORE_UNAVAILABLE}, {@link ErrorCode#IO_FAILURE}, {@link
 * ErrorCode#STORE_INVALID_KEY}, {@link ErrorCode#JOB_LEASE_LOST} (the item's lease is not held).
 */
public final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  private static final Pattern DESTINATION = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
  private static final String COLUMNS =
      "id, destination, study_instance_uid, sop_instance_uid, file_name, attempts, lease_owner";

  private final Database database;
  private final Path folder;
  private final Clock clock;
  private final RetryPolicy retryPolicy;
  private final long maxObjectBytes;

  public Outbox(
      Database database, Path dataDir, Clock clock, RetryPolicy retryPolicy, long maxObjectBytes) {
    this.database = database;
    this.folder = dataDir.resolve("outbox");
    this.clock = clock;
    this.retryPolicy = retryPolicy;
    this.maxObjectBytes = maxObjectBytes;
  }

  /**
   * Puts a copy of {@code file} in the outbox for {@code destination}, unless this object is
   * already there for it.
   *
   * @return true when it was added, false when it was already queued, sent or failed
   */
  public boolean enqueue(
      String destination, Path file, String studyInstanceUid, String sopInstanceUid) {
    destination(destination);
    Keys.uid("StudyInstanceUID", studyInstanceUid);
    Keys.uid("SOPInstanceUID", sopInstanceUid);
    String fileName = destination + "/" + sopInstanceUid + ".dcm";
    Path target = folder.resolve(fileName);
    Path part = target.resolveSibling(sopInstanceUid + "." + UUID.randomUUID() + ".part");
    try (InputStream in = Files.newInputStream(file)) {
      Files.createDirectories(target.getParent());
      Spooled spooled = Spooled.write(in, part, maxObjectBytes);
      boolean added =
          database.inTransaction(
              "enqueue " + sopInstanceUid,
              c -> {
                boolean inserted =
                    insert(c, destination, studyInstanceUid, sopInstanceUid, fileName, spooled);
                if (inserted) {
                  move(part, target);
                }
                return inserted;
              });
      log.info("{}: {} for {}", sopInstanceUid, added ? "queued" : "already queued", destination);
      return added;
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot queue " + file.getFileName(), e);
    } finally {
      deleteIfLeft(part);
    }
  }

  /**
   * Leases up to {@code limit} due items of {@code destination} to {@code owner} for {@code lease}:
   * queued ones whose backoff is over, and sending ones whose lease expired.
   */
  public List<OutboxItem> claim(String destination, String owner, int limit, Duration lease) {
    destination(destination);
    Keys.text("owner", owner, 128);
    return database.inTransaction(
        "claim outbox items", c -> claimDue(c, destination, owner, limit, lease));
  }

  /** Marks a claimed item sent and deletes its file. */
  public void sent(OutboxItem item) {
    update(
        item,
        "state = 'sent', lease_owner = NULL, lease_expires_at = NULL, sent_at = ?",
        clock.instant());
    deleteIfLeft(item.file());
    log.info("{}: sent to {}", item.sopInstanceUid(), item.destination());
  }

  /**
   * Records a failed attempt (the detail must carry no patient data): queued again after the
   * backoff, or failed for good on the last attempt (its file is kept).
   *
   * @return the item's new state
   */
  public OutboxState failed(OutboxItem item, String detail) {
    String shortDetail = detail.length() > 2000 ? detail.substring(0, 2000) : detail;
    if (item.attempt() >= retryPolicy.maxAttempts()) {
      update(
          item,
          "state = 'failed', lease_owner = NULL, lease_expires_at = NULL, last_error = ?",
          shortDetail);
      log.warn("{}: gave up sending to {}: {}", item.sopInstanceUid(), item.destination(), detail);
      return OutboxState.FAILED;
    }
    Instant notBefore = clock.instant().plus(retryPolicy.backoffAfter(item.attempt()));
    update(
        item,
        "state = 'queued', lease_owner = NULL, lease_expires_at = NULL, not_before = ?,"
            + " last_error = ?",
        notBefore,
        shortDetail);
    return OutboxState.QUEUED;
  }

  /** How many items of {@code destination} are in each state (every state present). */
  public Map<OutboxState, Long> depth(String destination) {
    destination(destination);
    return database.inTransaction("count outbox", c -> count(c, destination));
  }

  /** The state of the item for (destination, SOPInstanceUID), if there is one. */
  public java.util.Optional<OutboxState> state(String destination, String sopInstanceUid) {
    return database.inTransaction(
        "read outbox item",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT state FROM outbox_item WHERE destination = ? AND sop_instance_uid = ?")) {
            JobQueue.bind(s, destination, sopInstanceUid);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? java.util.Optional.of(OutboxState.ofColumn(r.getString(1)))
                  : java.util.Optional.empty();
            }
          }
        });
  }

  private boolean insert(
      Connection c,
      String destination,
      String studyInstanceUid,
      String sopInstanceUid,
      String fileName,
      Spooled spooled)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO outbox_item (destination, sop_instance_uid, study_instance_uid,"
                + " file_name, size_bytes, sha256, state, attempts, max_attempts, not_before,"
                + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      Instant now = clock.instant();
      JobQueue.bind(
          s,
          destination,
          sopInstanceUid,
          studyInstanceUid,
          fileName,
          spooled.size(),
          spooled.sha256(),
          retryPolicy.maxAttempts(),
          now,
          now,
          now);
      return s.executeUpdate() == 1;
    }
  }

  private List<OutboxItem> claimDue(
      Connection c, String destination, String owner, int limit, Duration lease)
      throws SQLException {
    Instant now = clock.instant();
    List<OutboxItem> due = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM outbox_item WHERE destination = ? AND ((state = 'queued' AND not_before"
                + " <= ?) OR (state = 'sending' AND lease_expires_at <= ?)) ORDER BY not_before,"
                + " id LIMIT ? FOR UPDATE SKIP LOCKED")) {
      JobQueue.bind(s, destination, now, now, limit);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          due.add(
              new OutboxItem(
                  r.getLong(1),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  folder.resolve(r.getString(5)),
                  r.getInt(6) + 1,
                  owner));
        }
      }
    }
    for (OutboxItem item : due) {
      lease(c, item, now.plus(lease));
    }
    return due;
  }

  private void lease(Connection c, OutboxItem item, Instant expires) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE outbox_item SET state = 'sending', lease_owner = ?, lease_expires_at = ?,"
                + " attempts = ?, updated_at = ? WHERE id = ? AND attempts = ?")) {
      JobQueue.bind(
          s,
          item.leaseOwner(),
          expires,
          item.attempt(),
          clock.instant(),
          item.id(),
          item.attempt() - 1);
      if (s.executeUpdate() != 1) {
        throw new CdsException(ErrorCode.STORE_UNAVAILABLE, "outbox item changed under lock");
      }
    }
  }

  private void update(OutboxItem item, String assignments, Object... values) {
    int updated =
        database.inTransaction(
            "update outbox item " + item.id(),
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE outbox_item SET "
                          + assignments
                          + ", updated_at = ? WHERE id = ? AND state = 'sending' AND lease_owner"
                          + " = ? AND attempts = ?")) {
                Object[] all = new Object[values.length + 4];
                System.arraycopy(values, 0, all, 0, values.length);
                all[values.length] = clock.instant();
                all[values.length + 1] = item.id();
                all[values.length + 2] = item.leaseOwner();
                all[values.length + 3] = item.attempt();
                JobQueue.bind(s, all);
                return s.executeUpdate();
              }
            });
    if (updated != 1) {
      throw new CdsException(
          ErrorCode.JOB_LEASE_LOST,
          "outbox item " + item.id() + " attempt " + item.attempt() + " is not held");
    }
  }

  private static Map<OutboxState, Long> count(Connection c, String destination)
      throws SQLException {
    Map<OutboxState, Long> depth = new EnumMap<>(OutboxState.class);
    for (OutboxState state : OutboxState.values()) {
      depth.put(state, 0L);
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT state, COUNT(*) FROM outbox_item WHERE destination = ? GROUP BY state")) {
      JobQueue.bind(s, destination);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          depth.put(OutboxState.ofColumn(r.getString(1)), r.getLong(2));
        }
      }
    }
    return depth;
  }

  private static void destination(String name) {
    if (name == null || !DESTINATION.matcher(name).matches()) {
      throw new CdsException(
          ErrorCode.STORE_INVALID_KEY, "destination name must be 1-64 letters, digits, _ or -");
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot rename into " + to.getFileName(), e);
    }
  }

  private static void deleteIfLeft(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot delete " + file.getFileName(), e);
    }
  }
}
