package org.tandemcds.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tandemcds.domain.AuditRecord;

/**
 * The audit trail: one row per read or write of patient data, analysis, review action, login and
 * administrative action. Rows hold pseudonymous patient keys, never identifiers or note text.
 *
 * <p>Thread-safe. Errors: {@link org.tandemcds.domain.ErrorCode#STORE_UNAVAILABLE}.
 */
public final class AuditStore {
  private final Database database;

  public AuditStore(Database database) {
    this.database = database;
  }

  public void record(AuditRecord event) {
    database.inTransaction(
        "record audit event",
        c -> {
          try (PreparedStatement s =
              Sql.bind(
                  c.prepareStatement(
                      "INSERT INTO audit_event (recorded, type_code, action, agent, patient_key,"
                          + " entity, outcome, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                  event.recorded(),
                  event.type(),
                  event.action(),
                  event.agent(),
                  event.patientKey().orElse(null),
                  event.entity().orElse(null),
                  event.outcome(),
                  event.description())) {
            return s.executeUpdate();
          }
        });
  }

  /**
   * Audit events, newest first.
   *
   * @param patientKeys keep only events about a patient with one of these keys; empty for all
   * @param from keep only events recorded at or after this instant, if given
   * @param limit at most this many
   */
  public List<AuditRecord> query(Set<String> patientKeys, Optional<Instant> from, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT recorded, type_code, action, agent, patient_key, entity, outcome, description"
                + " FROM audit_event WHERE 1 = 1");
    List<Object> values = new ArrayList<>();
    if (!patientKeys.isEmpty()) {
      sql.append(" AND patient_key IN (")
          .append(String.join(", ", java.util.Collections.nCopies(patientKeys.size(), "?")))
          .append(")");
      values.addAll(patientKeys);
    }
    from.ifPresent(
        t -> {
          sql.append(" AND recorded >= ?");
          values.add(t);
        });
    sql.append(" ORDER BY id DESC LIMIT ").append(Math.max(0, limit));
    return database.inTransaction(
        "query audit events",
        c -> {
          List<AuditRecord> found = new ArrayList<>();
          try (PreparedStatement s =
                  Sql.bind(c.prepareStatement(sql.toString()), values.toArray());
              ResultSet r = s.executeQuery()) {
            while (r.next()) {
              found.add(
                  new AuditRecord(
                      Sql.instant(r, "recorded"),
                      r.getString(2),
                      r.getString(3).trim(),
                      r.getString(4),
                      Optional.ofNullable(r.getString(5)),
                      Optional.ofNullable(r.getString(6)),
                      r.getString(7),
                      r.getString(8)));
            }
          }
          return found;
        });
  }
}
