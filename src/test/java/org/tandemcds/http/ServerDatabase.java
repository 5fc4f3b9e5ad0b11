package org.tandemcds.http;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The two databases the service tests run against: the embedded H2 file database in the data folder
 * (the default) and the local PostgreSQL, in a fresh schema dropped afterwards.
 */
enum ServerDatabase {
  H2,
  POSTGRESQL;

  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

  /** A fresh database for one test; {@link Instance#settings} go into the server's config. */
  Instance create(Path dataDir) {
    if (this == H2) {
      return new Instance(
          Map.of("data-dir", dataDir.toString()),
          null,
          "jdbc:h2:file:"
              + dataDir.toAbsolutePath().resolve("tandem")
              + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
          "sa");
    }
    String schema = "s_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("CREATE SCHEMA " + schema);
    String url = POSTGRES_URL + "?currentSchema=" + schema;
    Map<String, String> settings = new HashMap<>();
    settings.put("data-dir", dataDir.toString());
    settings.put("jdbc-url", url);
    settings.put("db-user", "postgres");
    return new Instance(settings, schema, url, "postgres");
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError(
          "PostgreSQL is not reachable at "
              + POSTGRES_URL
              + " (./tandem test starts it): "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** One database: the settings that point a server at it, and a JDBC URL to inspect it. */
  record Instance(Map<String, String> settings, String schema, String url, String user)
      implements AutoCloseable {
    Connection connect() throws SQLException {
      return DriverManager.getConnection(url, user, "");
    }

    @Override
    public void close() {
      if (schema != null) {
        execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
