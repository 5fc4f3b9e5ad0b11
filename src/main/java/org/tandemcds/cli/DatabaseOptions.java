package org.tandemcds.cli;

import java.nio.file.Path;
import org.tandemcds.store.Database;
import picocli.CommandLine.Option;

/**
 * Which database an administrative command works on: the embedded one in a data folder, or a URL.
 */
final class DatabaseOptions {
  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description = "Folder of the embedded database (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--database-url",
      description = "JDBC URL of a shared PostgreSQL database instead of the embedded one.")
  String databaseUrl;

  @Option(
      names = "--database-user",
      defaultValue = "postgres",
      description =
          "Database user with --database-url; the password comes from TANDEM_DB_PASSWORD.")
  String databaseUser;

  Database open() {
    if (databaseUrl == null) {
      return Database.embedded(dataDir);
    }
    String password = System.getenv().getOrDefault("TANDEM_DB_PASSWORD", "");
    return Database.open(databaseUrl, databaseUser, password, 2);
  }
}
