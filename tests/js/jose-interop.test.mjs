// Interop of the pkjwt npm package (imported by name) with real peers: panva's jose 6 verifying
// pkjwt's client assertions, pkjwt verifying jose's, and keys made by node:crypto and jose read by
// importKey (same RFC 7638 thumbprint as jose computes; signatures node:crypto accepts).
//
// jose 6 implements RFC 9864's fully-specified 'Ed25519' JWS alg next to 'EdDSA' (its
// lib/jws_algorithms.js maps both to the Ed25519 WebCrypto algorithm), so both names are tested in
// both directions, and across names (an 'EdDSA' token against an 'Ed25519' JWK and vice versa).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as jose from 'jose';
import {
  createClientAssertion, generateKey, importKey, Key, ReplayCache, toJwks, verifyClientAssertion,
} from 'pkjwt';
import { assertPkjwtError, nowSeconds, splitJws, throwsPkjwt } from './helpers/assert.mjs';
import { exactArrayBuffer, nodeVerify, offsetView } from './helpers/node-crypto.mjs';

const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519'];
const RSA_ALGS = ALGS.filter((alg) => /^[RP]S/.test(alg));
const TYP = 'client-authentication+jwt';
const clientId = 's6BhdRkqt3-jose';
const issuer = 'https://as.example.com';
const evil = 'https://evil.example';

// RSA key generation in wasm is the slow part: one 2048-bit key, bound to each RSA alg by
// importKey(pem, { alg }), and used unbound with createClientAssertion's `alg` option.
const rsaBase = generateKey('RS256');
const rsaUnbound = importKey(rsaBase.toPem());

function ourKey(alg) {
  if (RSA_ALGS.includes(alg)) return alg === 'RS256' ? rsaBase : importKey(rsaBase.toPem(), { alg });
  return generateKey(alg);
}

async function assertJoseAccepts(assertion, publicJwk, alg) {
  const expected = { alg, kid: publicJwk.kid, typ: TYP };
  const options = {
    issuer: clientId, subject: clientId, audience: issuer, algorithms: [alg], typ: TYP,
    maxTokenAge: '5m', requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti'],
  };
  const key = await jose.importJWK(publicJwk, alg);
  const verified = await jose.jwtVerify(assertion, key, options);
  assert.deepEqual(verified.protectedHeader, expected);
  // The same through a JWK Set, the way an authorization server holds registered keys.
  const viaSet = await jose.jwtVerify(assertion, jose.createLocalJWKSet(toJwks([importKey(publicJwk)])), options);
  assert.deepEqual(viaSet.payload, verified.payload);
  return verified.payload;
}

function assertClaims(payload) {
  assert.equal(payload.iss, clientId);
  assert.equal(payload.sub, clientId);
  assert.equal(payload.aud, issuer, 'aud is the issuer as a single string');
  assert.ok(Number.isInteger(payload.iat) && Number.isInteger(payload.exp));
  assert.ok(Math.abs(payload.iat - nowSeconds()) <= 5, 'iat is now');
  assert.equal(payload.exp - payload.iat, 60, 'default lifetime 60 s');
  assert.equal(typeof payload.jti, 'string');
  assert.ok(Buffer.from(payload.jti, 'base64url').length >= 16 || payload.jti.length >= 22, 'jti has >= 128 bits');
  assert.deepEqual(Object.keys(payload).sort(), ['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
}

// jose key pairs: RSA key generation (WebCrypto, random prime search) costs up to seconds, so one
// RSA pair is generated and re-imported by jose for each RSA alg; EC and OKP pairs are per alg.
let joseRsaBase;
async function joseKeyPair(alg) {
  if (!RSA_ALGS.includes(alg)) return jose.generateKeyPair(alg, { extractable: true });
  joseRsaBase ??= jose.generateKeyPair('RS256', { extractable: true }).then(async ({ publicKey, privateKey }) => ({
    pkcs8: await jose.exportPKCS8(privateKey), spki: await jose.exportSPKI(publicKey),
  }));
  const { pkcs8, spki } = await joseRsaBase;
  return {
    privateKey: await jose.importPKCS8(pkcs8, alg, { extractable: true }),
    publicKey: await jose.importSPKI(spki, alg, { extractable: true }),
  };
}

async function joseAssertion(alg, privateKey, kid, { aud = issuer, typ = TYP, jti = crypto.randomUUID() } = {}) {
  return new jose.SignJWT({ jti })
    .setProtectedHeader({ alg, kid, typ })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(aud)
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(privateKey);
}

for (const alg of ALGS) {
  describe(`${alg}: jose <-> pkjwt`, () => {
    test(`jose verifies a pkjwt assertion (${alg})`, async () => {
      const key = ourKey(alg);
      assert.equal(key.alg, alg);
      const assertion = createClientAssertion({ clientId, audience: issuer, key });
      const jwk = key.toJwk();
      assert.equal(jwk.d, undefined);
      assert.equal(jwk.alg, alg);
      assert.equal(jwk.kid, key.kid);
      assert.equal(jwk.use, 'sig');
      assert.equal(key.kid, await jose.calculateJwkThumbprint(jwk), 'kid defaults to the RFC 7638 thumbprint');
      assertClaims(await assertJoseAccepts(assertion, jwk, alg));
    });

    if (RSA_ALGS.includes(alg)) {
      test(`jose verifies a pkjwt assertion from an unbound RSA key with the alg option (${alg})`, async () => {
        assert.equal(rsaUnbound.alg, undefined);
        const assertion = createClientAssertion({ clientId, audience: issuer, key: rsaUnbound, alg });
        assert.equal(splitJws(assertion).header.alg, alg);
        assertClaims(await assertJoseAccepts(assertion, { ...rsaUnbound.toJwk(), alg }, alg));
      });
    }

    test(`pkjwt verifies a jose assertion (${alg})`, async () => {
      const { publicKey, privateKey } = await joseKeyPair(alg);
      const jwk = await jose.exportJWK(publicKey);
      const kid = await jose.calculateJwkThumbprint(jwk);
      const token = await joseAssertion(alg, privateKey, kid);

      const viaJwks = verifyClientAssertion(token, {
        audience: issuer, clientId, keys: { keys: [{ ...jwk, kid }] }, algorithms: [alg],
      });
      assert.deepEqual(viaJwks.header, { alg, kid, typ: TYP });
      assert.equal(viaJwks.payload.iss, clientId);
      assert.equal(viaJwks.payload.sub, clientId);
      assert.equal(viaJwks.payload.aud, issuer);
      assert.ok(viaJwks.key instanceof Key);
      assert.equal(viaJwks.key.kid, kid);
      assert.equal(viaJwks.key.isPrivate, false);

      const imported = importKey(jwk);
      assert.equal(imported.kid, kid, 'importKey kid defaults to the thumbprint jose computes');
      const viaKey = verifyClientAssertion(token, { audience: [issuer], keys: imported });
      assert.deepEqual(viaKey.payload, viaJwks.payload);
      assert.equal(viaKey.key, imported);
      // Bound to the alg, and in an array with an unrelated key first.
      const bound = importKey(jwk, { alg });
      const viaArray = verifyClientAssertion(token, { audience: issuer, clientId, keys: [generateKey('ES256'), bound] });
      assert.equal(viaArray.key, bound);

      // A replay cache sees the second use.
      const replayCache = new ReplayCache();
      verifyClientAssertion(token, { audience: issuer, keys: imported, replayCache });
      throwsPkjwt(() => verifyClientAssertion(token, { audience: issuer, keys: imported, replayCache }), 'ERR_JWT_REPLAYED');

      // Outside the allowlist, and a flipped signature bit.
      const other = alg === 'ES256' ? 'ES384' : 'ES256';
      throwsPkjwt(() => verifyClientAssertion(token, { audience: issuer, keys: imported, algorithms: [other] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
      const [h, p, s] = token.split('.');
      const sig = Buffer.from(s, 'base64url');
      sig[sig.length >> 1] ^= 1;
      throwsPkjwt(() => verifyClientAssertion(`${h}.${p}.${sig.toString('base64url')}`, { audience: issuer, keys: imported }),
        'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    });

    test(`a jose assertion with aud [issuer, evil] is rejected by default (${alg})`, async () => {
      const { publicKey, privateKey } = await joseKeyPair(alg);
      const jwk = await jose.exportJWK(publicKey);
      const kid = await jose.calculateJwkThumbprint(jwk);
      const token = await joseAssertion(alg, privateKey, kid, { aud: [issuer, evil] });
      const keys = { keys: [{ ...jwk, kid }] };
      throwsPkjwt(() => verifyClientAssertion(token, { audience: issuer, clientId, keys }),
        'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'aud' });
      // Opting in accepts it; an aud array with only the issuer is fine by default.
      const opted = verifyClientAssertion(token, { audience: issuer, clientId, keys, allowMultipleAudiences: true });
      assert.deepEqual(opted.payload.aud, [issuer, evil]);
      const single = await joseAssertion(alg, privateKey, kid, { aud: [issuer] });
      assert.deepEqual(verifyClientAssertion(single, { audience: issuer, keys }).payload.aud, [issuer]);
    });
  });
}

describe('EdDSA and Ed25519 (RFC 9864) are one key type under two names', () => {
  test('pkjwt verifies jose tokens under either name against a JWK under either name', async () => {
    const { publicKey, privateKey } = await jose.generateKeyPair('Ed25519', { extractable: true });
    const jwk = await jose.exportJWK(publicKey);
    const kid = await jose.calculateJwkThumbprint(jwk);
    for (const tokenAlg of ['EdDSA', 'Ed25519']) {
      const token = await joseAssertion(tokenAlg, privateKey, kid);
      for (const jwkAlg of [undefined, 'EdDSA', 'Ed25519']) {
        const keys = { keys: [{ ...jwk, kid, ...(jwkAlg ? { alg: jwkAlg } : {}) }] };
        const { header } = verifyClientAssertion(token, { audience: issuer, clientId, keys });
        assert.equal(header.alg, tokenAlg, `token ${tokenAlg}, JWK alg ${jwkAlg}`);
      }
      // The allowlist names the header's alg exactly.
      verifyClientAssertion(token, { audience: issuer, keys: importKey(jwk), algorithms: [tokenAlg] });
      const otherName = tokenAlg === 'EdDSA' ? 'Ed25519' : 'EdDSA';
      throwsPkjwt(() => verifyClientAssertion(token, { audience: issuer, keys: importKey(jwk), algorithms: [otherName] }),
        'ERR_JOSE_ALG_NOT_ALLOWED');
    }
  });

  test('jose verifies pkjwt tokens under either name', async () => {
    const key = generateKey('EdDSA');
    for (const alg of ['EdDSA', 'Ed25519']) {
      const assertion = createClientAssertion({ clientId, audience: issuer, key, alg });
      assert.equal(splitJws(assertion).header.alg, alg);
      const joseKey = await jose.importJWK({ ...key.toJwk(), alg }, alg);
      const { payload } = await jose.jwtVerify(assertion, joseKey, {
        issuer: clientId, subject: clientId, audience: issuer, algorithms: [alg], typ: TYP,
      });
      assertClaims(payload);
    }
    // Signing defaults to 'EdDSA' for an unbound Ed25519 key.
    const unbound = importKey(key.toPem());
    assert.equal(splitJws(createClientAssertion({ clientId, audience: issuer, key: unbound })).header.alg, 'EdDSA');
  });
});

// ---------------------------------------------------------------------------------------------
// importKey on keys made by node:crypto and by jose.

function nodeInputs(type, { privateKey, publicKey }) {
  const list = [];
  const add = (isPrivate, name, input) => list.push({ isPrivate, name, input });
  const pkcs8Der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const spkiDer = publicKey.export({ type: 'spki', format: 'der' });
  add(true, 'pkcs8 PEM', privateKey.export({ type: 'pkcs8', format: 'pem' }));
  add(true, 'pkcs8 DER Buffer', pkcs8Der);
  add(true, 'pkcs8 DER at a non-zero byteOffset', offsetView(pkcs8Der));
  add(true, 'pkcs8 DER ArrayBuffer', exactArrayBuffer(pkcs8Der));
  add(true, 'private JWK object', privateKey.export({ format: 'jwk' }));
  add(true, 'private JWK JSON text', JSON.stringify(privateKey.export({ format: 'jwk' })));
  add(false, 'spki PEM', publicKey.export({ type: 'spki', format: 'pem' }));
  add(false, 'spki DER Buffer', spkiDer);
  add(false, 'spki DER at a non-zero byteOffset', offsetView(spkiDer));
  add(false, 'public JWK object', publicKey.export({ format: 'jwk' }));
  if (type === 'rsa') {
    add(true, 'pkcs1 PEM', privateKey.export({ type: 'pkcs1', format: 'pem' }));
    add(true, 'pkcs1 DER', privateKey.export({ type: 'pkcs1', format: 'der' }));
    add(false, 'pkcs1 public PEM', publicKey.export({ type: 'pkcs1', format: 'pem' }));
    add(false, 'pkcs1 public DER', publicKey.export({ type: 'pkcs1', format: 'der' }));
  }
  if (type === 'ec') {
    add(true, 'sec1 PEM', privateKey.export({ type: 'sec1', format: 'pem' }));
    add(true, 'sec1 DER', privateKey.export({ type: 'sec1', format: 'der' }));
  }
  return list;
}

const NODE_KEYS = [
  { label: 'RSA 2048', type: 'rsa', options: { modulusLength: 2048 }, kty: 'RSA', algs: RSA_ALGS },
  { label: 'EC P-256', type: 'ec', options: { namedCurve: 'P-256' }, kty: 'EC', algs: ['ES256'] },
  { label: 'EC P-384', type: 'ec', options: { namedCurve: 'P-384' }, kty: 'EC', algs: ['ES384'] },
  { label: 'Ed25519', type: 'ed25519', options: undefined, kty: 'OKP', algs: ['EdDSA', 'Ed25519'] },
];

function publicMembers(jwk) {
  const { kty, crv, x, y, n, e } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, v]) => v !== undefined));
}

describe('importKey reads keys made by node:crypto', () => {
  for (const spec of NODE_KEYS) {
    test(`${spec.label}: every encoding, same thumbprint as jose, signatures node:crypto accepts`, async () => {
      const pair = crypto.generateKeyPairSync(spec.type, spec.options);
      const publicJwk = pair.publicKey.export({ format: 'jwk' });
      const privateJwk = pair.privateKey.export({ format: 'jwk' });
      const thumbprint = await jose.calculateJwkThumbprint(publicJwk);
      for (const { isPrivate, name, input } of nodeInputs(spec.type, pair)) {
        let key;
        try {
          key = importKey(input);
        } catch (error) {
          assert.fail(`${spec.label} ${name}: importKey threw ${error?.code}: ${error?.message}`);
        }
        const what = `${spec.label} ${name}`;
        assert.ok(key instanceof Key, what);
        assert.equal(key.kty, spec.kty, what);
        assert.equal(key.isPrivate, isPrivate, what);
        assert.equal(key.alg, undefined, `${what}: no alg in the input, none bound`);
        assert.equal(key.thumbprint(), thumbprint, `${what}: RFC 7638 thumbprint`);
        assert.equal(key.kid, thumbprint, `${what}: kid defaults to the thumbprint`);
        assert.deepEqual(publicMembers(key.toJwk()), publicMembers(publicJwk), `${what}: public JWK members`);
        if (isPrivate) {
          const exported = key.toJwk({ private: true });
          for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
            assert.equal(exported[member], privateJwk[member], `${what}: private member ${member}`);
          }
          for (const alg of name === 'pkcs8 PEM' ? spec.algs : spec.algs.slice(0, 1)) {
            const assertion = createClientAssertion({ clientId, audience: issuer, key, alg });
            assert.equal(splitJws(assertion).header.alg, alg);
            assert.ok(nodeVerify(assertion, pair.publicKey, alg), `${what}: node:crypto verifies ${alg}`);
            // Negative control: the check is not vacuous.
            const [h, p, s] = assertion.split('.');
            const sig = Buffer.from(s, 'base64url');
            sig[0] ^= 0x80;
            assert.equal(nodeVerify(`${h}.${p}.${sig.toString('base64url')}`, pair.publicKey, alg), false, `${what}: tampered ${alg}`);
            // And pkjwt verifies it with the public key node exported.
            verifyClientAssertion(assertion, { audience: issuer, clientId, keys: importKey(publicJwk), algorithms: [alg] });
          }
        }
      }
    });
  }

  test('an encrypted PKCS#8 PEM is refused with a PkjwtError, not a trap', () => {
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' });
    try {
      importKey(pem);
      assert.fail('an encrypted key was imported without a passphrase');
    } catch (error) {
      assertPkjwtError(error, error?.code);
      assert.ok(['ERR_JWK_INVALID', 'ERR_JOSE_NOT_SUPPORTED'].includes(error.code), error.code);
    }
  });
});

const JOSE_KEYS = [
  { label: 'RSA (jose RS256)', alg: 'RS256', kty: 'RSA', signAlgs: ['RS256', 'PS512'] },
  { label: 'EC P-256 (jose ES256)', alg: 'ES256', kty: 'EC', signAlgs: ['ES256'] },
  { label: 'EC P-384 (jose ES384)', alg: 'ES384', kty: 'EC', signAlgs: ['ES384'] },
  { label: 'Ed25519 (jose EdDSA)', alg: 'EdDSA', kty: 'OKP', signAlgs: ['EdDSA', 'Ed25519'] },
];

describe('importKey reads keys exported by jose', () => {
  for (const spec of JOSE_KEYS) {
    test(`${spec.label}: exportPKCS8, exportSPKI, exportJWK`, async () => {
      const { publicKey, privateKey } = await joseKeyPair(spec.alg);
      const publicJwk = await jose.exportJWK(publicKey);
      const thumbprint = await jose.calculateJwkThumbprint(publicJwk);
      const inputs = [
        { name: 'exportPKCS8', input: await jose.exportPKCS8(privateKey), isPrivate: true },
        { name: 'exportJWK(private)', input: await jose.exportJWK(privateKey), isPrivate: true },
        { name: 'exportSPKI', input: await jose.exportSPKI(publicKey), isPrivate: false },
        { name: 'exportJWK(public)', input: publicJwk, isPrivate: false },
      ];
      for (const { name, input, isPrivate } of inputs) {
        const key = importKey(input);
        const what = `${spec.label} ${name}`;
        assert.equal(key.kty, spec.kty, what);
        assert.equal(key.isPrivate, isPrivate, what);
        assert.equal(key.thumbprint(), thumbprint, what);
        assert.equal(key.kid, thumbprint, what);
        assert.deepEqual(publicMembers(key.toJwk()), publicMembers(publicJwk), what);
        if (!isPrivate) continue;
        for (const alg of spec.signAlgs) {
          const assertion = createClientAssertion({ clientId, audience: issuer, key, alg });
          // jose verifies with its own public CryptoKey (imported for this alg).
          const verifyKey = await jose.importSPKI(await jose.exportSPKI(publicKey), alg);
          const { payload, protectedHeader } = await jose.jwtVerify(assertion, verifyKey, {
            issuer: clientId, subject: clientId, audience: issuer, algorithms: [alg], typ: TYP,
          });
          assert.equal(protectedHeader.kid, thumbprint);
          assertClaims(payload);
        }
      }
    });
  }
});
