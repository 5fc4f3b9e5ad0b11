package org.tandemcds.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** The {@code store_conflict} table: re-sends of a stored key with other bytes. */
final class Conflicts {
  private Conflicts() {}

  static void record(Connection c, String kind, String key, Spooled spooled, OffsetDateTime at)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO store_conflict (kind, object_key, sha256, size_bytes, received_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, kind);
      s.setString(2, key);
      s.setString(3, spooled.sha256());
      s.setLong(4, spooled.size());
      s.setObject(5, at);
      s.executeUpdate();
    }
  }

  static int count(Connection c, String kind, String key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT COUNT(*) FROM store_conflict WHERE kind = ? AND object_key = ?")) {
      s.setString(1, kind);
      s.setString(2, key);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
