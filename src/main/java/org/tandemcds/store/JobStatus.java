package org.tandemcds.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * One job as the queue holds it. {@code errorCode} is the {@code TDM-nnn} code of the last failure
 * (null if none); {@code resultRef} is set once done.
 */
public record JobStatus(
    long id,
    JobState state,
    int attempts,
    Instant notBefore,
    String leaseOwner,
    String errorCode,
    String resultRef) {

  static Optional<JobStatus> read(Connection c, long id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT state, attempts, not_before, lease_owner, error_code, result_ref"
                + " FROM analysis_job WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(of(id, r)) : Optional.empty();
      }
    }
  }

  private static JobStatus of(long id, ResultSet r) throws SQLException {
    return new JobStatus(
        id,
        JobState.ofColumn(r.getString(1)),
        r.getInt(2),
        r.getObject(3, OffsetDateTime.class).toInstant(),
        r.getString(4),
        r.getString(5),
        r.getString(6));
  }
}
