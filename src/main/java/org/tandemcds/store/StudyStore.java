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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.store.StoreResult.Outcome;

/**
 * The study store: DICOM instances as files under {@code
 * <dataDir>/studies/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm}, each with a row
 * in {@code dicom_instance} (UIDs, patient key, size, sha256, received time).
 *
 * <p>Bytes are spooled to a unique {@code *.part} file in the series folder and renamed atomically
 * inside the transaction that inserts the row, so a reader never sees a partial file. Storing is
 * idempotent by SOPInstanceUID: the same bytes again are a {@link Outcome#DUPLICATE}; other bytes
 * are a {@link Outcome#CONFLICT}, recorded in {@code store_conflict} and kept under {@code
 * <dataDir>/conflicts/}, never written over the stored instance.
 *
 * <p>An instance that is one of Tandem's own result objects sent back by a PACS (its header says
 * so, or Tandem queued that SOPInstanceUID in its outbox) is stored and accounted for like any
 * other but flagged: it is never part of a study's {@link #instances analysable instances}, so it
 * neither triggers nor joins an analysis (ADR 0014).
 *
 * <p>Thread-safe; several processes may share the folder and the database. Errors: {@link
 * ErrorCode#STORE_INVALID_KEY} (from {@link InstanceKey}), {@link ErrorCode#DICOM_TOO_LARGE},
 * {@link ErrorCode#IO_FAILURE}, {@link ErrorCode#STORE_UNAVAILABLE}.
 */
public final class StudyStore {
  private static final Logger log = LoggerFactory.getLogger(StudyStore.class);
  private static final String INSERT =
      "INSERT INTO dicom_instance (sop_instance_uid, study_instance_uid, series_instance_uid,"
          + " patient_key, size_bytes, sha256, received_at, tandem_result)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  private final Database database;
  private final Path studies;
  private final Path conflicts;
  private final Clock clock;
  private final long maxInstanceBytes;

  public StudyStore(Database database, Path dataDir, Clock clock, long maxInstanceBytes) {
    this.database = database;
    this.studies = dataDir.resolve("studies");
    this.conflicts = dataDir.resolve("conflicts");
    this.clock = clock;
    this.maxInstanceBytes = maxInstanceBytes;
  }

  /**
   * Stores the instance read from {@code in} (read to its end, not closed) under {@code key}.
   *
   * @return what happened, with the size and sha256 of the bytes received
   */
  public StoreResult store(InputStream in, InstanceKey key) {
    return store(in, key, false);
  }

  /**
   * Stores the instance read from {@code in} (read to its end, not closed) under {@code key};
   * {@code tandemResult} says its header marks it as one of Tandem's own result objects (it is
   * flagged so as well when its SOPInstanceUID is in Tandem's outbox).
   *
   * @return what happened, with the size and sha256 of the bytes received
   */
  public StoreResult store(InputStream in, InstanceKey key, boolean tandemResult) {
    Path target = path(key);
    Path part = target.resolveSibling(key.sopInstanceUid() + "." + UUID.randomUUID() + ".part");
    try {
      Files.createDirectories(target.getParent());
      Spooled spooled = Spooled.write(in, part, maxInstanceBytes);
      StoreResult result =
          database.inTransaction(
              "store " + key.sopInstanceUid(),
              c -> record(c, key, spooled, part, target, tandemResult));
      log.info("{}: M-WRITE {} {}", key.sopInstanceUid(), result.outcome(), target);
      return result;
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot write " + part + ": " + e, e);
    } finally {
      deleteQuietlyIfLeft(part);
    }
  }

  /** Where the instance with this key is (or would be) stored. */
  public Path path(InstanceKey key) {
    return studies
        .resolve(key.studyInstanceUid())
        .resolve(key.seriesInstanceUid())
        .resolve(key.sopInstanceUid() + ".dcm");
  }

  /**
   * The keys of every analysable instance stored for {@code studyInstanceUid} (not Tandem's own
   * result objects sent back), by SOPInstanceUID.
   */
  public List<InstanceKey> instances(String studyInstanceUid) {
    Keys.uid("StudyInstanceUID", studyInstanceUid);
    return database.inTransaction(
        "list instances", c -> selectInstances(c, studyInstanceUid, false));
  }

  /** The keys of Tandem's own result objects received back for {@code studyInstanceUid}. */
  public List<InstanceKey> tandemResults(String studyInstanceUid) {
    Keys.uid("StudyInstanceUID", studyInstanceUid);
    return database.inTransaction(
        "list returned results", c -> selectInstances(c, studyInstanceUid, true));
  }

  private static List<InstanceKey> selectInstances(
      Connection c, String study, boolean tandemResults) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT series_instance_uid, sop_instance_uid, patient_key FROM dicom_instance"
                + " WHERE study_instance_uid = ? AND tandem_result = ?"
                + " ORDER BY sop_instance_uid")) {
      s.setString(1, study);
      s.setBoolean(2, tandemResults);
      List<InstanceKey> keys = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          keys.add(new InstanceKey(study, r.getString(1), r.getString(2), r.getString(3)));
        }
      }
      return keys;
    }
  }

  /** How many conflicting re-sends of this SOPInstanceUID have been recorded. */
  public int conflictsRecorded(String sopInstanceUid) {
    Keys.uid("SOPInstanceUID", sopInstanceUid);
    return database.inTransaction(
        "count conflicts", c -> Conflicts.count(c, "dicom", sopInstanceUid));
  }

  private StoreResult record(
      Connection c, InstanceKey key, Spooled spooled, Path part, Path target, boolean tandemResult)
      throws SQLException {
    boolean own = tandemResult || inOutbox(c, key.sopInstanceUid());
    if (insert(c, key, spooled, own) == 1) {
      if (own) {
        log.info(
            "{}: Tandem's own result object received back; not analysed", key.sopInstanceUid());
      }
      move(part, target);
      return new StoreResult(Outcome.STORED, spooled.size(), spooled.sha256());
    }
    if (spooled.sha256().equals(storedSha256(c, key.sopInstanceUid()))) {
      return new StoreResult(Outcome.DUPLICATE, spooled.size(), spooled.sha256());
    }
    Conflicts.record(c, "dicom", key.sopInstanceUid(), spooled, now());
    move(part, conflicts.resolve(key.sopInstanceUid() + "." + spooled.sha256() + ".dcm"));
    return new StoreResult(Outcome.CONFLICT, spooled.size(), spooled.sha256());
  }

  private static boolean inOutbox(Connection c, String sopInstanceUid) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT 1 FROM outbox_item WHERE sop_instance_uid = ?")) {
      s.setString(1, sopInstanceUid);
      s.setMaxRows(1);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  private int insert(Connection c, InstanceKey key, Spooled spooled, boolean tandemResult)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      s.setString(1, key.sopInstanceUid());
      s.setString(2, key.studyInstanceUid());
      s.setString(3, key.seriesInstanceUid());
      s.setString(4, key.patientKey());
      s.setLong(5, spooled.size());
      s.setString(6, spooled.sha256());
      s.setObject(7, now());
      s.setBoolean(8, tandemResult);
      return s.executeUpdate();
    }
  }

  private static String storedSha256(Connection c, String sopInstanceUid) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT sha256 FROM dicom_instance WHERE sop_instance_uid = ?")) {
      s.setString(1, sopInstanceUid);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot rename " + from + " to " + to, e);
    }
  }

  private static void deleteQuietlyIfLeft(Path part) {
    try {
      Files.deleteIfExists(part);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot delete spool file " + part, e);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }
}
