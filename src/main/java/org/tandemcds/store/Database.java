package org.tandemcds.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * A pooled connection to Tandem's database, migrated on open with the Flyway scripts in {@code
 * db/migration}. The same scripts run on the embedded H2 file database (the default) and on
 * PostgreSQL; H2 runs in its PostgreSQL mode so one SQL dialect serves both.
 *
 * <p>Thread-safe. Closing it closes the pool. Failures to connect or migrate throw {@link
 * CdsException} with {@link ErrorCode#STORE_UNAVAILABLE}.
 */
public final class Database implements AutoCloseable {
  private static final String H2_SETTINGS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

  private final HikariDataSource dataSource;

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The JDBC URL of the embedded H2 database kept in {@code dataDir}. */
  public static String embeddedUrl(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("tandem") + H2_SETTINGS;
  }

  /** Opens the embedded H2 file database in {@code dataDir} and migrates it. */
  public static Database embedded(Path dataDir) {
    return open(embeddedUrl(dataDir), "sa", "", 8);
  }

  /**
   * Opens a pool of at most {@code poolSize} connections to {@code jdbcUrl} (H2 or PostgreSQL) and
   * applies any pending migration.
   */
  public static Database open(String jdbcUrl, String user, String password, int poolSize) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setPoolName("tandem-store");
    try {
      Database database = new Database(new HikariDataSource(config));
      database.migrate();
      return database;
    } catch (RuntimeException e) {
      throw unavailable("cannot open " + withoutSecrets(jdbcUrl), e);
    }
  }

  private void migrate() {
    try {
      Flyway.configure().dataSource(dataSource).load().migrate();
    } catch (FlywayException e) {
      dataSource.close();
      throw e;
    }
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. SQL
   * failures become {@link ErrorCode#STORE_UNAVAILABLE}; a {@link CdsException} passes through.
   */
  public <T> T inTransaction(String what, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      return commitOrRollBack(connection, work);
    } catch (SQLException e) {
      throw unavailable(what, e);
    }
  }

  /**
   * Runs {@code work}, which must be one read-only statement, on a pooled connection in auto-commit
   * mode: the statement is its own transaction, without the commit and the two auto-commit switches
   * of {@link #inTransaction}. SQL failures become {@link ErrorCode#STORE_UNAVAILABLE}.
   */
  public <T> T readOne(String what, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      return work.run(connection);
    } catch (SQLException e) {
      throw unavailable(what, e);
    }
  }

  private static <T> T commitOrRollBack(Connection connection, SqlWork<T> work)
      throws SQLException {
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    }
  }

  static CdsException unavailable(String what, Exception cause) {
    return new CdsException(ErrorCode.STORE_UNAVAILABLE, what + ": " + cause.getMessage(), cause);
  }

  private static String withoutSecrets(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
  }

  @Override
  public void close() {
    dataSource.close();
  }

  /** Work done on one connection inside a transaction. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }
}
