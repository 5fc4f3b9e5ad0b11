package org.tandemcds.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code jti} values of accepted CDS Hooks JWTs, kept until the token expires, so that a token
 * is accepted once across every Tandem instance sharing the database.
 *
 * <p>Thread-safe. Errors: {@link org.tandemcds.domain.ErrorCode#STORE_UNAVAILABLE}.
 */
public final class JwtReplayStore {
  /** Expired entries are purged on about one call in this many. */
  private static final int PURGE_ONE_IN = 64;

  private final Database database;
  private final Clock clock;

  public JwtReplayStore(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Remembers {@code jti} of {@code issuer} until {@code expiresAt}.
   *
   * @return true the first time, false when it was already seen (a replay)
   */
  public boolean firstUse(String issuer, String jti, Instant expiresAt) {
    return database.inTransaction(
        "remember jti",
        c -> {
          if (ThreadLocalRandom.current().nextInt(PURGE_ONE_IN) == 0) {
            try (PreparedStatement purge =
                Sql.bind(
                    c.prepareStatement("DELETE FROM jwt_replay WHERE expires_at < ?"),
                    clock.instant().minusSeconds(300))) {
              purge.executeUpdate();
            }
          }
          try (PreparedStatement s =
              Sql.bind(
                  c.prepareStatement(
                      "INSERT INTO jwt_replay (issuer, jti, expires_at) VALUES (?, ?, ?)"
                          + " ON CONFLICT DO NOTHING"),
                  issuer,
                  jti,
                  expiresAt)) {
            return s.executeUpdate() == 1;
          } catch (SQLException e) {
            if (Sql.isDuplicateKey(e)) {
              return false;
            }
            throw e;
          }
        });
  }
}
