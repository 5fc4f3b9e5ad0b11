package org.tandemcds.security;

import java.time.Instant;

/** What a verified CDS Hooks JWT says: the EHR ({@code iss}), the token id and its expiry. */
public record VerifiedCall(String issuer, String jti, Instant expiresAt) {}
