package org.tandemcds.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Nimbus verifier of each (algorithm, public key) pair, built once and reused for every later
 * token signed with that key. Nimbus' own factory builds a new verifier per token: it re-checks
 * that the EC point is on its curve, and the JCA provider decodes the key again and recomputes the
 * table of the point's multiples that ECDSA verification needs (≈ 10% of a {@code patient-view}
 * call). Here each key is decoded once into Bouncy Castle's form, so the provider keeps those
 * tables with the key.
 *
 * <p>Only the verifier's construction is cached: which key may verify a token (issuer's JWKS,
 * {@code kid}, algorithm allow-list) is still decided per token by the key selector, and every
 * token's signature is still verified. Keys are matched by their exact X.509 encoding and the
 * algorithm name. Thread-safe (Nimbus verifiers are); the cache is emptied when it holds more than
 * {@value #MAX_KEYS} keys (key rotation).
 */
final class CachedJwsVerifiers implements JWSVerifierFactory {
  private static final int MAX_KEYS = 64;

  private final DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
  private final Map<ByteBuffer, JWSVerifier> verifiers = new ConcurrentHashMap<>();
  private final java.security.Provider provider;

  CachedJwsVerifiers(java.security.Provider provider) {
    this.provider = provider;
    factory.getJCAContext().setProvider(provider);
  }

  @Override
  public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
    ByteBuffer id = id(header.getAlgorithm(), key);
    JWSVerifier cached = verifiers.get(id);
    if (cached != null) {
      return cached;
    }
    JWSVerifier verifier = factory.createJWSVerifier(header, inProvider(key));
    if (verifiers.size() >= MAX_KEYS) {
      verifiers.clear();
    }
    verifiers.put(id, verifier);
    return verifier;
  }

  private static ByteBuffer id(JWSAlgorithm algorithm, Key key) throws JOSEException {
    byte[] encoded = key.getEncoded();
    if (!(key instanceof PublicKey) || encoded == null) {
      throw new JOSEException("not a public key with an X.509 encoding");
    }
    byte[] name = algorithm.getName().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(name.length + 1 + encoded.length)
        .put(name)
        .put((byte) 0)
        .put(encoded)
        .flip();
  }

  /** The same public key, decoded by the provider that verifies (so it can keep derived state). */
  private Key inProvider(Key key) throws JOSEException {
    try {
      return KeyFactory.getInstance(key.getAlgorithm(), provider)
          .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new JOSEException("public key cannot be decoded: " + e.getMessage(), e);
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return factory.supportedJWSAlgorithms();
  }

  @Override
  public JCAContext getJCAContext() {
    return factory.getJCAContext();
  }
}
