package org.tandemcds.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finished analyses in {@code analysis_result}: one row per job at most (a retried job that had
 * already recorded its result records nothing new), with the run id, mode, model and the FHIR
 * Bundle. Thread-safe.
 */
public final class AnalysisResults {
  private final Database database;

  public AnalysisResults(Database database) {
    this.database = database;
  }

  /**
   * Records {@code result} unless its job already has one.
   *
   * @return the run id recorded for the job: this result's, or the one recorded before
   */
  public String record(StoredResult result) {
    Keys.text("run id", result.runId(), 64);
    return database.inTransaction(
        "record result of job " + result.jobId(),
        c -> {
          insert(c, result);
          return runIdOf(c, result.jobId()).orElseThrow();
        });
  }

  /** The result recorded for job {@code jobId}, if any. */
  public Optional<StoredResult> forJob(long jobId) {
    return database.inTransaction(
        "read result",
        c ->
            select(c, "SELECT " + COLUMNS + " FROM analysis_result WHERE job_id = ?", jobId)
                .stream()
                .findFirst());
  }

  /** Every result recorded for a study, oldest first. */
  public List<StoredResult> forStudy(String studyInstanceUid) {
    Keys.uid("StudyInstanceUID", studyInstanceUid);
    return database.inTransaction(
        "read results",
        c ->
            select(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM analysis_result WHERE study_instance_uid = ? ORDER BY finished_at",
                studyInstanceUid));
  }

  private static final String COLUMNS =
      "run_id, job_id, study_instance_uid, mode, model_name, model_version, bundle_json,"
          + " started_at, finished_at, notes_source";

  private static void insert(Connection c, StoredResult r) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO analysis_result ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      JobQueue.bind(
          s,
          r.runId(),
          r.jobId(),
          r.studyInstanceUid(),
          r.mode(),
          r.modelName(),
          r.modelVersion(),
          r.bundleJson(),
          r.started(),
          r.finished(),
          r.notesSource());
      s.executeUpdate();
    }
  }

  private static Optional<String> runIdOf(Connection c, long jobId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT run_id FROM analysis_result WHERE job_id = ?")) {
      s.setLong(1, jobId);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
      }
    }
  }

  private static List<StoredResult> select(Connection c, String sql, Object key)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      JobQueue.bind(s, key);
      List<StoredResult> results = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          results.add(
              new StoredResult(
                  r.getString(1),
                  r.getLong(2),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5),
                  r.getString(6),
                  r.getString(7),
                  instant(r, 8),
                  instant(r, 9),
                  r.getString(10)));
        }
      }
      return results;
    }
  }

  private static Instant instant(ResultSet r, int column) throws SQLException {
    return r.getObject(column, java.time.OffsetDateTime.class).toInstant();
  }

  /**
   * One recorded analysis. {@code studyInstanceUid} is null for a note-only run; {@code
   * notesSource} says where its notes came from or why it ran image-only (null for runs recorded
   * before it was kept).
   */
  public record StoredResult(
      String runId,
      long jobId,
      String studyInstanceUid,
      String mode,
      String modelName,
      String modelVersion,
      String bundleJson,
      Instant started,
      Instant finished,
      String notesSource) {}
}
