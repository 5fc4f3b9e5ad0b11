package org.tandemcds.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.review.Auditor;
import org.tandemcds.security.Authenticator;
import org.tandemcds.store.Accounts;
import org.tandemcds.store.AuditStore;
import org.tandemcds.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tandem users add} and {@code tandem tokens issue|revoke}: the administrative verbs. */
final class AccountCommands {
  private AccountCommands() {}

  private static Authenticator authenticator(Database database) {
    return new Authenticator(new Accounts(database), Clock.systemUTC(), Duration.ofHours(8));
  }

  private static void audit(Database database, String description) {
    new Auditor(new AuditStore(database), Clock.systemUTC())
        .record(
            AuditType.SECURITY_ADMIN,
            "C",
            "cli/" + System.getProperty("user.name", "unknown"),
            Optional.empty(),
            Optional.empty(),
            true,
            description);
  }

  /** Clinician accounts. */
  @Command(
      name = "users",
      mixinStandardHelpOptions = true,
      description = "Clinician accounts for the review panel and API.",
      subcommands = {Users.Add.class})
  static final class Users {

    /** {@code tandem users add}. */
    @Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description = "Add a clinician account.")
    static final class Add implements Callable<Integer> {
      @Spec CommandSpec spec;
      @Mixin DatabaseOptions database;

      @Option(names = "--username", required = true, description = "Login name.")
      String username;

      @Option(
          names = "--display-name",
          required = true,
          description = "Name shown as resultsInterpreter.")
      String displayName;

      @Option(
          names = "--role",
          required = true,
          description = "clinician (review actions) or admin (audit trail); repeat for both.")
      List<String> roles;

      @Option(
          names = "--password-file",
          required = true,
          description = "File whose first line is the password (at least 12 characters).")
      Path passwordFile;

      @Override
      public Integer call() {
        char[] password = firstLine(passwordFile).toCharArray();
        try (Database db = database.open()) {
          authenticator(db)
              .addClinician(username, displayName, password, new LinkedHashSet<>(roles));
          audit(db, "clinician account added");
        }
        spec.commandLine().getOut().println("added " + username + " " + roles);
        return 0;
      }
    }
  }

  /** System client tokens. */
  @Command(
      name = "tokens",
      mixinStandardHelpOptions = true,
      description = "Bearer tokens of system clients (stored hashed; shown once).",
      subcommands = {Tokens.Issue.class, Tokens.Revoke.class})
  static final class Tokens {

    /** {@code tandem tokens issue}. */
    @Command(
        name = "issue",
        mixinStandardHelpOptions = true,
        description = "Issue a token and print it once.")
    static final class Issue implements Callable<Integer> {
      @Spec CommandSpec spec;
      @Mixin DatabaseOptions database;

      @Option(names = "--client", required = true, description = "Client id, e.g. the EHR's name.")
      String client;

      @Option(
          names = "--scope",
          required = true,
          description =
              "SMART-style scope, e.g. system/DiagnosticReport.read, system/*.read, system/AuditEvent.read, system/ImagingStudy.write (STOW-RS with auth=bearer), system/*.write; repeatable.")
      List<String> scopes;

      @Option(
          names = "--days",
          defaultValue = "90",
          description = "Lifetime in days (default: ${DEFAULT-VALUE}).")
      int days;

      @Override
      public Integer call() {
        String token;
        try (Database db = database.open()) {
          token =
              authenticator(db)
                  .issueToken(client, new LinkedHashSet<>(scopes), Duration.ofDays(days));
          audit(db, "client token issued");
        }
        spec.commandLine().getOut().println(token);
        return 0;
      }
    }

    /** {@code tandem tokens revoke}. */
    @Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = "Revoke every token of a client.")
    static final class Revoke implements Callable<Integer> {
      @Spec CommandSpec spec;
      @Mixin DatabaseOptions database;

      @Option(names = "--client", required = true, description = "Client id.")
      String client;

      @Override
      public Integer call() {
        int revoked;
        try (Database db = database.open()) {
          revoked = new Accounts(db).revokeTokens(client);
          audit(db, "client tokens revoked");
        }
        spec.commandLine().getOut().println("revoked " + revoked);
        return 0;
      }
    }
  }

  private static String firstLine(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        throw new CdsException(ErrorCode.INVALID_ARGUMENT, file + " is empty");
      }
      return lines.get(0);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.INPUT_NOT_FOUND, "cannot read " + file.getFileName(), e);
    }
  }
}
