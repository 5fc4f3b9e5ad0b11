package org.tandemcds.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;

class CachedJwsVerifiersTest {
  private final CachedJwsVerifiers verifiers = new CachedJwsVerifiers(new BouncyCastleProvider());

  private static JWSObject signed(ECKey key, String payload) throws Exception {
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.ES384).keyID("ec384").build(), new Payload(payload));
    jws.sign(new ECDSASigner(key));
    return JWSObject.parse(jws.serialize());
  }

  private boolean verifies(JWSObject jws, ECKey publicKey) throws Exception {
    // the key selector hands over a fresh JDK key object for every token, as here
    return jws.verify(verifiers.createJWSVerifier(jws.getHeader(), publicKey.toECPublicKey()));
  }

  @Test
  void one_verifier_serves_every_token_of_the_same_key_and_algorithm() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_384).generate();
    JWSObject first = signed(key, "{\"jti\":\"1\"}");
    JWSVerifier a = verifiers.createJWSVerifier(first.getHeader(), key.toECPublicKey());
    JWSVerifier b = verifiers.createJWSVerifier(first.getHeader(), key.toECPublicKey());

    assertThat(b).isSameAs(a);
    assertThat(verifies(first, key)).isTrue();
    assertThat(verifies(signed(key, "{\"jti\":\"2\"}"), key)).isTrue();
  }

  @Test
  void a_cached_verifier_still_rejects_a_tampered_token_and_another_keys_signature()
      throws Exception {
    ECKey trusted = new ECKeyGenerator(Curve.P_384).generate();
    ECKey attacker = new ECKeyGenerator(Curve.P_384).generate();
    assertThat(verifies(signed(trusted, "{\"jti\":\"1\"}"), trusted)).isTrue();

    String[] parts = signed(trusted, "{\"jti\":\"2\"}").serialize().split("\\.");
    JWSObject tampered =
        JWSObject.parse(
            parts[0] + "." + new Payload("{\"jti\":\"3\"}").toBase64URL() + "." + parts[2]);

    assertThat(verifies(tampered, trusted)).isFalse();
    assertThat(verifies(signed(attacker, "{\"jti\":\"4\"}"), trusted)).isFalse();
    assertThat(verifies(signed(attacker, "{\"jti\":\"5\"}"), attacker)).isTrue();
  }

  @Test
  void keys_of_another_type_or_value_get_their_own_verifier() throws Exception {
    ECKey ec = new ECKeyGenerator(Curve.P_384).generate();
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    JWSHeader es384 = new JWSHeader(JWSAlgorithm.ES384);
    JWSHeader rs384 = new JWSHeader(JWSAlgorithm.RS384);

    JWSVerifier ecVerifier = verifiers.createJWSVerifier(es384, ec.toECPublicKey());
    JWSVerifier rsaVerifier = verifiers.createJWSVerifier(rs384, rsa.toRSAPublicKey());
    JWSVerifier otherEc =
        verifiers.createJWSVerifier(
            es384, new ECKeyGenerator(Curve.P_384).generate().toECPublicKey());

    assertThat(rsaVerifier).isNotSameAs(ecVerifier);
    assertThat(otherEc).isNotSameAs(ecVerifier);
    JWSObject jws = new JWSObject(rs384, new Payload("{\"jti\":\"r\"}"));
    jws.sign(new RSASSASigner(rsa));
    assertThat(JWSObject.parse(jws.serialize()).verify(rsaVerifier)).isTrue();
  }
}
