// verifyClientAssertion keeps the KeySet it builds for a public Key or an array of public Keys,
// and ClientAssertionVerifier keeps one per JWK Set text (pkg/api.js, pkg/verifier.js). Reuse must
// never change an answer: a changed array, a freed Key or a client's new JWK Set is seen at once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientAssertionVerifier, createClientAssertion, generateKey, verifyClientAssertion } from 'pkjwt';
import { throwsPkjwt } from './helpers/assert.mjs';

const clientId = 'client-reuse';
const audience = 'https://as.example.com';
const sign = (key, extra = {}) => createClientAssertion({ clientId, audience, key, ...extra });
const verify = (token, keys) => verifyClientAssertion(token, { audience, clientId, keys });

describe('KeySets reused across verifyClientAssertion calls', () => {
  test('a Key verifies again and again, and returns itself as the verifying key', () => {
    const key = generateKey('EdDSA');
    const pub = key.publicKey();
    for (let i = 0; i < 3; i += 1) assert.equal(verify(sign(key), pub).key, pub);
  });

  test('an array of Keys changed in place is seen on the next call', () => {
    const [a, b, c] = ['EdDSA', 'ES256', 'EdDSA'].map((alg) => generateKey(alg));
    const keys = [a.publicKey(), b.publicKey()];
    assert.equal(verify(sign(b), keys).key, keys[1]);
    keys[1] = c.publicKey();
    assert.equal(verify(sign(c), keys).key, keys[1]);
    throwsPkjwt(() => verify(sign(b), keys), 'ERR_JWKS_NO_MATCHING_KEY');
    keys.push(b.publicKey());
    assert.equal(verify(sign(b), keys).key, keys[2]);
    keys.length = 1;
    throwsPkjwt(() => verify(sign(c), keys), 'ERR_JWKS_NO_MATCHING_KEY');
    assert.equal(verify(sign(a), keys).key, keys[0]);
  });

  test('a Key freed after it was used is refused, alone and in an array', () => {
    const key = generateKey('ES256');
    const pub = key.publicKey();
    const keys = [pub];
    verify(sign(key), pub);
    verify(sign(key), keys);
    pub.free();
    throwsPkjwt(() => verify(sign(key), pub), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => verify(sign(key), keys), 'ERR_INVALID_ARGUMENT');
  });

  test('private Keys and JWK objects verify as before', () => {
    const key = generateKey('EdDSA');
    for (let i = 0; i < 2; i += 1) {
      assert.equal(verify(sign(key), key).key, key);
      const { key: fromJwk } = verify(sign(key), [key.publicKey().toJwk()]);
      assert.equal(fromJwk.thumbprint(), key.thumbprint());
      fromJwk.free();
    }
  });
});

describe('ClientAssertionVerifier with kept KeySets', () => {
  test('a client whose registered JWK Set changes is verified with the new keys at once', async () => {
    const [oldKey, newKey] = [generateKey('EdDSA'), generateKey('ES256')];
    let jwks = { keys: [oldKey.publicKey().toJwk()] };
    const verifier = new ClientAssertionVerifier({ issuer: audience, getClient: () => ({ jwks }) });
    for (let i = 0; i < 2; i += 1) {
      const { clientId: verified, key } = await verifier.verify(sign(oldKey));
      assert.equal(verified, clientId);
      assert.equal(key.thumbprint(), oldKey.thumbprint());
    }
    jwks = { keys: [newKey.publicKey().toJwk()] };
    await assert.rejects(verifier.verify(sign(oldKey)), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    const { key } = await verifier.verify(sign(newKey));
    assert.equal(key.thumbprint(), newKey.thumbprint());
  });

  test('an unusable registered JWK Set is refused on every request', async () => {
    const key = generateKey('EdDSA');
    const verifier = new ClientAssertionVerifier({
      issuer: audience, getClient: () => ({ jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'short' }] } }),
    });
    for (let i = 0; i < 2; i += 1) {
      await assert.rejects(verifier.verify(sign(key)), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
    }
  });
});
