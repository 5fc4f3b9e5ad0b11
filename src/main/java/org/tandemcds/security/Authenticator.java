package org.tandemcds.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.store.Accounts;

/**
 * Who is calling: system clients by scoped bearer tokens (stored as SHA-256), clinicians by login
 * sessions (cookie stored as SHA-256, one CSRF token per session). Also the administrative verbs:
 * add a clinician, issue a client token.
 *
 * <p>Thread-safe. Errors: {@link ErrorCode#UNAUTHENTICATED}, {@link ErrorCode#ACCOUNT_EXISTS},
 * {@link ErrorCode#INVALID_ARGUMENT}.
 */
public final class Authenticator {
  /** Roles a clinician account may hold. */
  public static final Set<String> ROLES = Set.of("clinician", "admin");

  private final Accounts accounts;
  private final Clock clock;
  private final Duration sessionLifetime;

  /** A real hash to verify against when the username is unknown, so timing does not tell. */
  private final String decoyHash = Passwords.hash("decoy".toCharArray());

  public Authenticator(Accounts accounts, Clock clock, Duration sessionLifetime) {
    this.accounts = accounts;
    this.clock = clock;
    this.sessionLifetime = sessionLifetime;
  }

  /** A new login session: the cookie value to set and the caller it stands for. */
  public record Login(String sessionCookie, Caller caller, Instant expiresAt) {}

  /** The system client named by an {@code Authorization: Bearer} header, if the token is valid. */
  public Optional<Caller> bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return accounts
        .client(Secrets.sha256(authorization.substring(7).trim()), clock.instant())
        .map(
            c ->
                new Caller(
                    "client/" + c.clientId(),
                    Optional.empty(),
                    c.clientId(),
                    c.scopes(),
                    Optional.empty()));
  }

  /** The clinician whose unexpired session this cookie is. */
  public Optional<Caller> session(String sessionCookie) {
    if (sessionCookie == null || sessionCookie.isEmpty()) {
      return Optional.empty();
    }
    return accounts
        .session(Secrets.sha256(sessionCookie), clock.instant())
        .map(s -> caller(s.clinician(), s.csrfToken()));
  }

  /**
   * Logs a clinician in; {@link ErrorCode#UNAUTHENTICATED} for an unknown name or wrong password.
   */
  public Login login(String username, char[] password) {
    Optional<Accounts.Clinician> account =
        username == null ? Optional.empty() : accounts.clinician(username);
    boolean matches =
        Passwords.verify(password, account.map(Accounts.Clinician::passwordHash).orElse(decoyHash));
    if (account.isEmpty() || !matches) {
      throw new CdsException(ErrorCode.UNAUTHENTICATED, "login refused");
    }
    String cookie = Secrets.newToken();
    String csrf = Secrets.newToken();
    Instant now = clock.instant();
    Instant expires = now.plus(sessionLifetime);
    accounts.openSession(Secrets.sha256(cookie), username, csrf, expires, now);
    return new Login(cookie, caller(account.get(), csrf), expires);
  }

  public void logout(String sessionCookie) {
    if (sessionCookie != null) {
      accounts.closeSession(Secrets.sha256(sessionCookie));
    }
  }

  /** Adds a clinician account with roles from {@link #ROLES}. */
  public void addClinician(
      String username, String displayName, char[] password, Set<String> roles) {
    if (roles.isEmpty() || !ROLES.containsAll(roles)) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "roles must be some of " + ROLES);
    }
    if (password.length < 12) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "password must be at least 12 characters");
    }
    accounts.addClinician(
        new Accounts.Clinician(username, displayName, Passwords.hash(password), roles),
        clock.instant());
  }

  /** Issues a bearer token for a system client; the token is returned once and stored hashed. */
  public String issueToken(String clientId, Set<String> scopes, Duration lifetime) {
    if (scopes.isEmpty()) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "a token needs at least one scope");
    }
    String token = Secrets.newToken();
    Instant now = clock.instant();
    accounts.addToken(
        Secrets.sha256(token),
        new Accounts.SystemClient(clientId, scopes, now.plus(lifetime)),
        now);
    return token;
  }

  private static Caller caller(Accounts.Clinician clinician, String csrf) {
    return new Caller(
        "clinician/" + clinician.username(),
        Optional.of(clinician.username()),
        clinician.displayName(),
        clinician.roles(),
        Optional.of(csrf));
  }
}
