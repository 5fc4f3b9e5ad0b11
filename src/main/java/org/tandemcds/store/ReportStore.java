package org.tandemcds.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FhirResource;

/**
 * Stored suggestions: every version of every FHIR resource of each analysis run's report (server
 * ids, {@code Type/id} references), the report's review status and version, the pseudonymous
 * patient keys its subject answers to, and the feedback recorded on it.
 *
 * <p>Saving is idempotent by run id. A review action is one transaction that checks the status it
 * starts from and the version it was based on (optimistic locking), writes new resource versions
 * (old versions are kept), and records the feedback.
 *
 * <p>Thread-safe. Errors: {@link ErrorCode#RESULT_NOT_FOUND}, {@link ErrorCode#REVIEW_NOT_ALLOWED},
 * {@link ErrorCode#STORE_INVALID_KEY}, {@link ErrorCode#STORE_UNAVAILABLE}.
 */
public final class ReportStore {
  private static final String COLUMNS =
      "s.report_id, s.run_id, s.study_instance_uid, s.status, s.version_id, s.model_name,"
          + " s.model_version, s.summary, s.created_at, s.updated_at";

  private final Database database;
  private final Clock clock;

  public ReportStore(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Stores a new suggestion with version 1 of each of its resources.
   *
   * @return false when the run was already stored (nothing is changed)
   */
  public boolean save(Suggestion suggestion, List<FhirResource> resources, Set<String> patients) {
    patients.forEach(Keys::patientKey);
    for (FhirResource r : resources) {
      Keys.resourceType(r.type());
      Keys.fhirId(r.id());
    }
    return database.inTransaction(
        "store suggestion", c -> insertSuggestion(c, suggestion, resources, patients));
  }

  private boolean insertSuggestion(
      Connection c, Suggestion s, List<FhirResource> resources, Set<String> patients)
      throws SQLException {
    try (PreparedStatement insert =
        Sql.bind(
            c.prepareStatement(
                "INSERT INTO suggestion (report_id, run_id, study_instance_uid, status,"
                    + " version_id, model_name, model_version, summary, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
            s.reportId(),
            s.runId(),
            s.studyInstanceUid().orElse(null),
            s.status(),
            s.versionId(),
            s.modelName(),
            s.modelVersion(),
            s.summaryJson(),
            s.createdAt(),
            s.updatedAt())) {
      if (insert.executeUpdate() == 0) {
        return false;
      }
    }
    insertResources(c, s.reportId(), resources, s.createdAt());
    for (String key : patients) {
      execute(
          c,
          "INSERT INTO suggestion_patient (report_id, patient_key) VALUES (?, ?)",
          s.reportId(),
          key);
    }
    return true;
  }

  private static void insertResources(
      Connection c, String reportId, Collection<FhirResource> resources, Instant at)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO report_resource (resource_type, resource_id, version_id, report_id,"
                + " content, last_updated) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (FhirResource r : resources) {
        Sql.bind(s, r.type(), r.id(), r.versionId(), reportId, r.json(), at).addBatch();
      }
      s.executeBatch();
    }
  }

  /** The suggestion whose DiagnosticReport has this id. */
  public Optional<Suggestion> find(String reportId) {
    return database.inTransaction(
        "read suggestion",
        c ->
            first(
                query(
                    c,
                    "SELECT " + COLUMNS + " FROM suggestion s WHERE s.report_id = ?",
                    reportId)));
  }

  /** The suggestion stored from this run. */
  public Optional<Suggestion> findByRun(String runId) {
    return database.inTransaction(
        "read suggestion",
        c -> first(query(c, "SELECT " + COLUMNS + " FROM suggestion s WHERE s.run_id = ?", runId)));
  }

  /**
   * StudyInstanceUIDs of the patient's studies whose analysis is queued or running (the job queue
   * joined to the study store by patient key).
   */
  public List<String> pendingStudies(Set<String> patientKeys) {
    if (patientKeys.isEmpty()) {
      return List.of();
    }
    String sql =
        "SELECT DISTINCT j.study_instance_uid FROM analysis_job j WHERE j.state IN ('queued',"
            + " 'running') AND EXISTS (SELECT 1 FROM dicom_instance d WHERE d.study_instance_uid"
            + " = j.study_instance_uid AND d.patient_key IN ("
            + placeholders(patientKeys.size())
            + ")) ORDER BY j.study_instance_uid";
    return database.readOne(
        "read pending analyses",
        c -> {
          List<String> found = new ArrayList<>();
          try (PreparedStatement s = Sql.bind(c.prepareStatement(sql), patientKeys.toArray());
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              found.add(r.getString(1));
            }
          }
          return found;
        });
  }

  /** The patient keys a suggestion's subject answers to, sorted. */
  public List<String> patientKeys(String reportId) {
    return database.inTransaction(
        "read suggestion patient",
        c -> {
          List<String> found = new ArrayList<>();
          try (PreparedStatement s =
                  Sql.bind(
                      c.prepareStatement(
                          "SELECT patient_key FROM suggestion_patient WHERE report_id = ?"
                              + " ORDER BY patient_key"),
                      reportId);
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              found.add(r.getString(1));
            }
          }
          return found;
        });
  }

  /**
   * {@code patientKeys} and every other key that a stored suggestion's subject answers to together
   * with one of them (the same patient by FHIR id and by identifier).
   */
  public Set<String> sameSubjectKeys(Set<String> patientKeys) {
    if (patientKeys.isEmpty()) {
      return Set.of();
    }
    String sql =
        "SELECT DISTINCT o.patient_key FROM suggestion_patient o WHERE o.report_id IN (SELECT"
            + " p.report_id FROM suggestion_patient p WHERE p.patient_key IN ("
            + placeholders(patientKeys.size())
            + "))";
    return database.inTransaction(
        "read patient keys",
        c -> {
          Set<String> found = new java.util.TreeSet<>(patientKeys);
          try (PreparedStatement s = Sql.bind(c.prepareStatement(sql), patientKeys.toArray());
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              found.add(r.getString(1));
            }
          }
          return found;
        });
  }

  /** The suggestion, or {@link ErrorCode#RESULT_NOT_FOUND}. */
  public Suggestion get(String reportId) {
    return find(reportId)
        .orElseThrow(
            () -> new CdsException(ErrorCode.RESULT_NOT_FOUND, "DiagnosticReport/" + reportId));
  }

  /**
   * Suggestions, newest change first.
   *
   * @param patientKeys keys the subject must answer to (any of them); empty for every patient
   * @param statuses statuses to keep; empty for all
   * @param updatedFrom keep those changed at or after this instant, if given
   * @param updatedBefore keep those changed before this instant, if given
   * @param limit at most this many
   */
  public List<Suggestion> search(
      Set<String> patientKeys,
      Set<String> statuses,
      Optional<Instant> updatedFrom,
      Optional<Instant> updatedBefore,
      int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM suggestion s WHERE 1 = 1");
    List<Object> values = new ArrayList<>();
    if (!patientKeys.isEmpty()) {
      sql.append(
              " AND s.report_id IN (SELECT report_id FROM suggestion_patient WHERE patient_key IN (")
          .append(placeholders(patientKeys.size()))
          .append("))");
      values.addAll(patientKeys);
    }
    if (!statuses.isEmpty()) {
      sql.append(" AND s.status IN (").append(placeholders(statuses.size())).append(")");
      values.addAll(statuses);
    }
    updatedFrom.ifPresent(t -> addCondition(sql, values, " AND s.updated_at >= ?", t));
    updatedBefore.ifPresent(t -> addCondition(sql, values, " AND s.updated_at < ?", t));
    sql.append(" ORDER BY s.updated_at DESC, s.report_id LIMIT ").append(Math.max(0, limit));
    return database.readOne("search suggestions", c -> query(c, sql.toString(), values.toArray()));
  }

  private static void addCondition(
      StringBuilder sql, List<Object> values, String clause, Object v) {
    sql.append(clause);
    values.add(v);
  }

  private static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /** The current version of a resource. */
  public Optional<FhirResource> read(String type, String id) {
    Keys.resourceType(type);
    return database.inTransaction(
        "read resource",
        c ->
            first(
                resources(
                    c,
                    "SELECT resource_type, resource_id, version_id, content FROM report_resource"
                        + " WHERE resource_type = ? AND resource_id = ?"
                        + " ORDER BY version_id DESC LIMIT 1",
                    type,
                    id)));
  }

  /** The suggestion a stored resource belongs to. */
  public Optional<String> reportIdOf(String type, String id) {
    return database.inTransaction(
        "read resource owner",
        c -> {
          try (PreparedStatement s =
                  Sql.bind(
                      c.prepareStatement(
                          "SELECT report_id FROM report_resource WHERE resource_type = ? AND"
                              + " resource_id = ? AND version_id = 1"),
                      type,
                      id);
              ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
          }
        });
  }

  /** Every version of a resource, oldest first. */
  public List<FhirResource> history(String type, String id) {
    Keys.resourceType(type);
    return database.inTransaction(
        "read history",
        c ->
            resources(
                c,
                "SELECT resource_type, resource_id, version_id, content FROM report_resource"
                    + " WHERE resource_type = ? AND resource_id = ? ORDER BY version_id",
                type,
                id));
  }

  /** The current version of every resource of a suggestion. */
  public List<FhirResource> resourcesOf(String reportId) {
    return database.inTransaction(
        "read suggestion resources",
        c ->
            resources(
                c,
                "SELECT r.resource_type, r.resource_id, r.version_id, r.content FROM report_resource r"
                    + " WHERE r.report_id = ? AND r.version_id = (SELECT MAX(v.version_id) FROM"
                    + " report_resource v WHERE v.resource_type = r.resource_type AND v.resource_id"
                    + " = r.resource_id) ORDER BY r.resource_type, r.resource_id",
                reportId));
  }

  /**
   * Applies a review action: moves the suggestion from one of {@code fromStatuses} at version
   * {@code basedOnVersion} to {@code toStatus}, adds the given new resource versions (each with its
   * next version id) and records {@code feedback}, all in one transaction.
   *
   * @return the suggestion after the action
   * @throws CdsException {@link ErrorCode#REVIEW_NOT_ALLOWED} when the status is not one of {@code
   *     fromStatuses} or the suggestion changed since {@code basedOnVersion}
   */
  public Suggestion review(
      String reportId,
      Set<String> fromStatuses,
      int basedOnVersion,
      String toStatus,
      List<FhirResource> newVersions,
      Feedback feedback) {
    return database.inTransaction(
        "review suggestion",
        c -> {
          Suggestion current =
              first(
                      query(
                          c,
                          "SELECT "
                              + COLUMNS
                              + " FROM suggestion s WHERE s.report_id = ? FOR UPDATE",
                          reportId))
                  .orElseThrow(
                      () ->
                          new CdsException(
                              ErrorCode.RESULT_NOT_FOUND, "DiagnosticReport/" + reportId));
          if (!fromStatuses.contains(current.status()) || current.versionId() != basedOnVersion) {
            throw new CdsException(
                ErrorCode.REVIEW_NOT_ALLOWED,
                "DiagnosticReport/"
                    + reportId
                    + " is "
                    + current.status()
                    + " at version "
                    + current.versionId()
                    + "; the action needs "
                    + fromStatuses
                    + " at version "
                    + basedOnVersion);
          }
          Instant now = clock.instant();
          execute(
              c,
              "UPDATE suggestion SET status = ?, version_id = ?, updated_at = ? WHERE report_id = ?",
              toStatus,
              current.versionId() + 1,
              now,
              reportId);
          insertResources(c, reportId, newVersions, now);
          insertFeedback(c, feedback);
          return first(
                  query(
                      c,
                      "SELECT " + COLUMNS + " FROM suggestion s WHERE s.report_id = ?",
                      reportId))
              .orElseThrow();
        });
  }

  /** Records feedback that changes nothing else (CDS Hooks feedback). */
  public void recordFeedback(Feedback feedback) {
    database.inTransaction(
        "record feedback",
        c -> {
          insertFeedback(c, feedback);
          return null;
        });
  }

  /** The feedback recorded on a suggestion, oldest first. */
  public List<Feedback> feedback(String reportId) {
    return database.inTransaction(
        "read feedback",
        c -> {
          List<Feedback> found = new ArrayList<>();
          try (PreparedStatement s =
                  Sql.bind(
                      c.prepareStatement(
                          "SELECT report_id, source, action, actor, reason, detail, recorded_at"
                              + " FROM review_feedback WHERE report_id = ? ORDER BY id"),
                      reportId);
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              found.add(
                  new Feedback(
                      r.getString(1),
                      r.getString(2),
                      r.getString(3),
                      r.getString(4),
                      Optional.ofNullable(r.getString(5)),
                      Optional.ofNullable(r.getString(6)),
                      Sql.instant(r, "recorded_at")));
            }
          }
          return found;
        });
  }

  private static void insertFeedback(Connection c, Feedback f) throws SQLException {
    execute(
        c,
        "INSERT INTO review_feedback (report_id, source, action, actor, reason, detail,"
            + " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        f.reportId(),
        f.source(),
        f.action(),
        f.actor(),
        f.reason().orElse(null),
        f.detailJson().orElse(null),
        f.recordedAt());
  }

  private static void execute(Connection c, String sql, Object... values) throws SQLException {
    try (PreparedStatement s = Sql.bind(c.prepareStatement(sql), values)) {
      s.executeUpdate();
    }
  }

  private static List<Suggestion> query(Connection c, String sql, Object... values)
      throws SQLException {
    List<Suggestion> found = new ArrayList<>();
    try (PreparedStatement s = Sql.bind(c.prepareStatement(sql), values);
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        found.add(
            new Suggestion(
                r.getString(1),
                r.getString(2),
                Optional.ofNullable(r.getString(3)),
                r.getString(4),
                r.getInt(5),
                r.getString(6),
                r.getString(7),
                r.getString(8),
                Sql.instant(r, "created_at"),
                Sql.instant(r, "updated_at")));
      }
    }
    return found;
  }

  private static List<FhirResource> resources(Connection c, String sql, Object... values)
      throws SQLException {
    List<FhirResource> found = new ArrayList<>();
    try (PreparedStatement s = Sql.bind(c.prepareStatement(sql), values);
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        found.add(new FhirResource(r.getString(1), r.getString(2), r.getInt(3), r.getString(4)));
      }
    }
    return found;
  }

  private static <T> Optional<T> first(List<T> list) {
    return list.stream().findFirst();
  }
}
