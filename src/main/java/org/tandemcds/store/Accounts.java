package org.tandemcds.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Clinician accounts, system-client bearer tokens and clinician login sessions. Only hashes are
 * stored: PBKDF2 hashes of passwords, SHA-256 of tokens and session cookies; the caller (the {@code
 * security} package) makes them.
 *
 * <p>Thread-safe. Errors: {@link ErrorCode#ACCOUNT_EXISTS}, {@link ErrorCode#STORE_UNAVAILABLE}.
 */
public final class Accounts {
  private final Database database;

  public Accounts(Database database) {
    this.database = database;
  }

  /** A clinician account. */
  public record Clinician(
      String username, String displayName, String passwordHash, Set<String> roles) {
    public Clinician {
      roles = Set.copyOf(roles);
    }
  }

  /** A system client, as its token names it. */
  public record SystemClient(String clientId, Set<String> scopes, Instant expiresAt) {
    public SystemClient {
      scopes = Set.copyOf(scopes);
    }
  }

  /** A login session and the clinician it belongs to. */
  public record Session(Clinician clinician, String csrfToken, Instant expiresAt) {}

  /** Adds a clinician; {@link ErrorCode#ACCOUNT_EXISTS} when the username is taken. */
  public void addClinician(Clinician clinician, Instant now) {
    Keys.text("username", clinician.username(), 64);
    insertOnce(
        "clinician " + clinician.username(),
        "INSERT INTO clinician (username, display_name, password_hash, roles, created_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        clinician.username(),
        clinician.displayName(),
        clinician.passwordHash(),
        String.join(",", new TreeSet<>(clinician.roles())),
        now);
  }

  public Optional<Clinician> clinician(String username) {
    return database.inTransaction(
        "read clinician",
        c -> {
          try (PreparedStatement s =
                  Sql.bind(
                      c.prepareStatement(
                          "SELECT username, display_name, password_hash, roles FROM clinician"
                              + " WHERE username = ?"),
                      username);
              ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(clinician(r)) : Optional.<Clinician>empty();
          }
        });
  }

  /** Stores a system client's token by its SHA-256. */
  public void addToken(String tokenSha256, SystemClient client, Instant now) {
    Keys.text("client id", client.clientId(), 128);
    insertOnce(
        "token of " + client.clientId(),
        "INSERT INTO system_token (token_sha256, client_id, scopes, expires_at, revoked,"
            + " created_at) VALUES (?, ?, ?, ?, FALSE, ?)",
        tokenSha256,
        client.clientId(),
        String.join(" ", new TreeSet<>(client.scopes())),
        client.expiresAt(),
        now);
  }

  /** The client whose unrevoked, unexpired token has this SHA-256. */
  public Optional<SystemClient> client(String tokenSha256, Instant now) {
    return database.inTransaction(
        "read token",
        c -> {
          try (PreparedStatement s =
                  Sql.bind(
                      c.prepareStatement(
                          "SELECT client_id, scopes, expires_at FROM system_token"
                              + " WHERE token_sha256 = ? AND NOT revoked AND expires_at > ?"),
                      tokenSha256,
                      now);
              ResultSet r = s.executeQuery()) {
            return r.next()
                ? Optional.of(
                    new SystemClient(
                        r.getString(1), words(r.getString(2), " "), Sql.instant(r, "expires_at")))
                : Optional.<SystemClient>empty();
          }
        });
  }

  /** Revokes every token of a client; returns how many were revoked. */
  public int revokeTokens(String clientId) {
    return database.inTransaction(
        "revoke tokens",
        c -> {
          try (PreparedStatement s =
              Sql.bind(
                  c.prepareStatement(
                      "UPDATE system_token SET revoked = TRUE WHERE client_id = ? AND NOT revoked"),
                  clientId)) {
            return s.executeUpdate();
          }
        });
  }

  /** Opens a session keyed by the SHA-256 of its cookie. */
  public void openSession(
      String sessionSha256, String username, String csrfToken, Instant expiresAt, Instant now) {
    insertOnce(
        "session",
        "INSERT INTO login_session (session_sha256, username, csrf_token, expires_at, created_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        sessionSha256,
        username,
        csrfToken,
        expiresAt,
        now);
  }

  /** The unexpired session whose cookie has this SHA-256. */
  public Optional<Session> session(String sessionSha256, Instant now) {
    return database.inTransaction(
        "read session",
        c -> {
          try (PreparedStatement s =
                  Sql.bind(
                      c.prepareStatement(
                          "SELECT c.username, c.display_name, c.password_hash, c.roles,"
                              + " s.csrf_token, s.expires_at FROM login_session s JOIN clinician c"
                              + " ON c.username = s.username"
                              + " WHERE s.session_sha256 = ? AND s.expires_at > ?"),
                      sessionSha256,
                      now);
              ResultSet r = s.executeQuery()) {
            return r.next()
                ? Optional.of(
                    new Session(clinician(r), r.getString(5), Sql.instant(r, "expires_at")))
                : Optional.<Session>empty();
          }
        });
  }

  /** Ends a session (logout). */
  public void closeSession(String sessionSha256) {
    database.inTransaction(
        "close session",
        c -> {
          try (PreparedStatement s =
              Sql.bind(
                  c.prepareStatement("DELETE FROM login_session WHERE session_sha256 = ?"),
                  sessionSha256)) {
            return s.executeUpdate();
          }
        });
  }

  private void insertOnce(String what, String sql, Object... values) {
    database.inTransaction(
        "insert " + what,
        c -> {
          try (PreparedStatement s = Sql.bind(c.prepareStatement(sql), values)) {
            return s.executeUpdate();
          } catch (SQLException e) {
            if (Sql.isDuplicateKey(e)) {
              throw new CdsException(ErrorCode.ACCOUNT_EXISTS, what, e);
            }
            throw e;
          }
        });
  }

  private static Clinician clinician(ResultSet r) throws SQLException {
    return new Clinician(
        r.getString(1), r.getString(2), r.getString(3), words(r.getString(4), ","));
  }

  private static Set<String> words(String joined, String separator) {
    Set<String> words = new TreeSet<>(Arrays.asList(joined.split(separator)));
    words.remove("");
    return words;
  }
}
