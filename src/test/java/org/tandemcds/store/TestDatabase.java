package org.tandemcds.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The two real databases every store test runs against: the embedded H2 file database in a
 * temporary folder and the local PostgreSQL (a fresh schema per test, dropped afterwards).
 */
enum TestDatabase {
  H2,
  POSTGRESQL;

  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String HOW_TO_START =
      "PostgreSQL is not reachable at "
          + POSTGRES_URL
          + " (user postgres, trust auth). Start it with:"
          + " pg_ctlcluster --skip-systemctl-redirect 15 main start"
          + " (./tandem test starts it when it is installed)";

  static Stream<TestDatabase> both() {
    return Stream.of(values());
  }

  /** A fresh, empty place to open databases in; close it to drop it. */
  Instance create(Path tempDir) {
    if (this == H2) {
      return new Instance(Database.embeddedUrl(tempDir), "sa", null);
    }
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("CREATE SCHEMA " + schema);
    return new Instance(POSTGRES_URL + "?currentSchema=" + schema, "postgres", schema);
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError(HOW_TO_START + " [" + e.getMessage() + "]", e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** One database (an H2 file or a PostgreSQL schema) and every pool opened on it. */
  static final class Instance implements AutoCloseable {
    final String url;
    final String user;
    private final String schema;
    private final List<Database> opened = new ArrayList<>();

    Instance(String url, String user, String schema) {
      this.url = url;
      this.user = user;
      this.schema = schema;
    }

    /** A new connection pool on this database, migrated; closed with the instance. */
    synchronized Database open(int poolSize) {
      Database database = Database.open(url, user, "", poolSize);
      opened.add(database);
      return database;
    }

    @Override
    public synchronized void close() {
      opened.forEach(Database::close);
      if (schema != null) {
        execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
