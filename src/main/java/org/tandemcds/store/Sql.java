package org.tandemcds.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Binding and reading of the few value types the result, account and audit tables hold. */
final class Sql {
  private Sql() {}

  static PreparedStatement bind(PreparedStatement s, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      s.setObject(
          i + 1, value instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : value);
    }
    return s;
  }

  static Instant instant(ResultSet r, String column) throws SQLException {
    OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** Whether {@code e} is a unique-key violation (SQLSTATE 23505 on H2 and PostgreSQL). */
  static boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }
}
