package org.tandemcds.security;

import java.util.Optional;
import java.util.Set;

/**
 * An authenticated caller.
 *
 * @param agent {@code clinician/<username>} or {@code client/<client id>}, as audit events name it
 * @param username the clinician's account name (empty for a system client)
 * @param displayName the clinician's display name, or the client id
 * @param permissions a clinician's roles ({@code clinician}, {@code admin}) or a client's scopes
 *     (e.g. {@code system/DiagnosticReport.read})
 * @param csrfToken the session's CSRF token (clinicians only)
 */
public record Caller(
    String agent,
    Optional<String> username,
    String displayName,
    Set<String> permissions,
    Optional<String> csrfToken) {
  public Caller {
    permissions = Set.copyOf(permissions);
  }

  public boolean isClinician() {
    return username.isPresent();
  }

  /** Whether the caller holds any of {@code wanted}. */
  public boolean mayAny(String... wanted) {
    for (String w : wanted) {
      if (permissions.contains(w)) {
        return true;
      }
    }
    return false;
  }
}
