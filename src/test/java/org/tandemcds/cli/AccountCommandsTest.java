package org.tandemcds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.security.Authenticator;
import org.tandemcds.security.Caller;
import org.tandemcds.store.Accounts;
import org.tandemcds.store.AuditStore;
import org.tandemcds.store.Database;
import picocli.CommandLine;

class AccountCommandsTest {
  @TempDir Path dir;

  private String run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute(args)).as(String.join(" ", args)).isZero();
    return out.toString().trim();
  }

  @Test
  void users_add_and_tokens_issue_create_credentials_that_authenticate_and_revoke_ends_them()
      throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "a long enough password\n");
    String data = dir.resolve("data").toString();
    run(
        "users",
        "add",
        "--data-dir",
        data,
        "--username",
        "alice",
        "--display-name",
        "Dr Alice",
        "--role",
        "clinician",
        "--password-file",
        password.toString());
    String token =
        run("tokens", "issue", "--data-dir", data, "--client", "ehr", "--scope", "system/*.read");
    assertThat(token).matches("[A-Za-z0-9_-]{43}");

    try (Database db = Database.embedded(dir.resolve("data"))) {
      Authenticator auth =
          new Authenticator(new Accounts(db), Clock.systemUTC(), Duration.ofHours(1));
      Caller clinician = auth.login("alice", "a long enough password".toCharArray()).caller();
      assertThat(clinician.permissions()).containsExactly("clinician");
      assertThat(auth.bearer("Bearer " + token).map(Caller::permissions))
          .contains(Set.of("system/*.read"));
      assertThat(new AuditStore(db).query(Set.of(), Optional.empty(), 10)).hasSize(2);
    }
    assertThat(run("tokens", "revoke", "--data-dir", data, "--client", "ehr"))
        .isEqualTo("revoked 1");
    try (Database db = Database.embedded(dir.resolve("data"))) {
      Authenticator auth =
          new Authenticator(new Accounts(db), Clock.systemUTC(), Duration.ofHours(1));
      assertThat(auth.bearer("Bearer " + token)).isEmpty();
    }
  }
}
