package org.tandemcds.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which studies have gone quiet: no analysable instance received since a given time, and not yet
 * queued at their current analysable instance count ({@code study_trigger}). Tandem's own result
 * objects sent back by a PACS count for neither, so they never trigger an analysis. Thread-safe;
 * several processes may ask at once (queueing is idempotent by the job key, so a race queues
 * nothing twice).
 */
public final class StudyActivity {
  private final Database database;
  private final Clock clock;

  public StudyActivity(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** StudyInstanceUIDs with no instance received after {@code quietSince} and not yet queued. */
  public List<String> quietStudies(Instant quietSince, int limit) {
    return database.inTransaction("find quiet studies", c -> select(c, quietSince, limit));
  }

  /** Records that {@code studyInstanceUid} was queued with {@code instanceCount} instances. */
  public void markQueued(String studyInstanceUid, int instanceCount) {
    Keys.uid("StudyInstanceUID", studyInstanceUid);
    database.inTransaction(
        "mark study queued",
        c -> {
          Instant now = clock.instant();
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE study_trigger SET instance_count = ?, triggered_at = ?"
                      + " WHERE study_instance_uid = ?")) {
            JobQueue.bind(s, instanceCount, now, studyInstanceUid);
            if (s.executeUpdate() == 1) {
              return null;
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO study_trigger (study_instance_uid, instance_count, triggered_at)"
                      + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            JobQueue.bind(s, studyInstanceUid, instanceCount, now);
            s.executeUpdate();
          }
          return null;
        });
  }

  private static List<String> select(Connection c, Instant quietSince, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT i.study_instance_uid FROM dicom_instance i"
                + " LEFT JOIN study_trigger t ON t.study_instance_uid = i.study_instance_uid"
                + " WHERE i.tandem_result = FALSE"
                + " GROUP BY i.study_instance_uid, t.instance_count"
                + " HAVING MAX(i.received_at) <= ?"
                + " AND COUNT(*) <> COALESCE(t.instance_count, -1)"
                + " ORDER BY MAX(i.received_at) LIMIT ?")) {
      JobQueue.bind(s, quietSince, limit);
      List<String> studies = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          studies.add(r.getString(1));
        }
      }
      return studies;
    }
  }
}
