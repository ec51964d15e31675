// The one runtime-agnostic suite of pkjwt's public API. Each runtime's runner imports the
// package BY NAME (`import * as pkjwt from 'pkjwt'`, so the exports map picks the entry) and
// calls `run(pkjwt, fixtures)`; `fixtures` is the module tests/runtimes/run.mjs generates from
// tests/keys (PEM text, JWK objects, DER as base64, expected thumbprints).
//
// No test framework and only web-standard globals (TextEncoder, atob/btoa, crypto.subtle,
// URLSearchParams, Response): this file runs unchanged on Node, Deno, Bun, workerd,
// edge-runtime and in Chromium. It never touches randomness at import time (workerd forbids it in global scope).

/** Runs every test; resolves to [{ name, ok, error }], never rejects. */
export async function run(pkjwt, fixtures) {
  const results = [];
  for (const [name, fn] of tests) {
    try {
      await fn(pkjwt, fixtures);
      results.push({ name, ok: true, error: null });
    } catch (error) {
      results.push({ name, ok: false, error: describe(error) });
    }
  }
  return results;
}

/** The names of the suite's tests, in order (run.mjs checks every runtime ran all of them). */
export function testNames() {
  return tests.map(([name]) => name);
}

const tests = [];
function test(name, fn) {
  tests.push([name, fn]);
}

function describe(error) {
  if (error instanceof Error || (error && typeof error.message === 'string')) {
    const code = error.code ? ` [${error.code}]` : '';
    return `${error.name ?? 'Error'}${code}: ${error.message}`;
  }
  return String(error);
}

function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

function equal(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Calls fn, which must throw a PkjwtError with `code` (one of them, if an array) and the given fields. */
function throwsPkjwt(pkjwt, fn, code, fields = {}) {
  let error;
  try {
    fn();
  } catch (caught) {
    error = caught;
  }
  assert(error !== undefined, `expected ${code} but nothing was thrown`);
  assert(error instanceof Error, `thrown value is an Error (got ${describe(error)})`);
  assert(error instanceof pkjwt.PkjwtError, `thrown value is a PkjwtError (got ${describe(error)})`);
  assert(pkjwt.isPkjwtError(error), 'isPkjwtError(thrown value)');
  equal(error.name, 'PkjwtError', 'error.name');
  if (Array.isArray(code)) assert(code.includes(error.code), `error.code ${error.code} is one of ${code.join(', ')}`);
  else equal(error.code, code, 'error.code');
  for (const [name, value] of Object.entries(fields)) equal(error[name], value, `error.${name}`);
  assert(typeof error.message === 'string' && error.message.length > 0, 'error has a message');
  return error;
}

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function fromBase64url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return fromBase64(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
}

function toBase64url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function jsonBase64url(value) {
  return toBase64url(new TextEncoder().encode(JSON.stringify(value)));
}

/** Replaces one base64url character of `segment` with another valid one. */
function flipChar(segment, index) {
  const char = segment[index];
  return segment.slice(0, index) + (char === 'A' ? 'B' : 'A') + segment.slice(index + 1);
}

const CLIENT = 'client-123';
const ISSUER = 'https://as.example.com';

function assertion(pkjwt, key, extra = {}) {
  return pkjwt.createClientAssertion({ clientId: CLIENT, audience: ISSUER, key, ...extra });
}

function verify(pkjwt, token, keys, extra = {}) {
  return pkjwt.verifyClientAssertion(token, { audience: ISSUER, keys, clientId: CLIENT, ...extra });
}

// ---- the package's surface -----------------------------------------------------------------

test('exports: the public API is there', (pkjwt) => {
  const functions = ['generateKey', 'importKey', 'toJwks', 'createClientAssertion', 'verifyClientAssertion',
    'decodeJwt', 'clientAuthParams', 'isPkjwtError', 'certificateThumbprints', 'requestToken',
    'createRequestObject', 'verifyRequestObject', 'authorizationUrl', 'pushAuthorizationRequest', 'createSignedJwks',
    'verifySignedJwks', 'verifyIdToken', 'verifyUserinfo', 'decryptJwt', 'encryptJwt', 'openIdToken', 'openUserinfo'];
  for (const name of functions) equal(typeof pkjwt[name], 'function', `typeof ${name}`);
  for (const name of ['Key', 'ReplayCache', 'PkjwtError']) equal(typeof pkjwt[name], 'function', `typeof ${name}`);
  equal(pkjwt.CLIENT_ASSERTION_TYPE, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', 'CLIENT_ASSERTION_TYPE');
  assert(pkjwt.PkjwtError.prototype instanceof Error, 'PkjwtError extends Error');
});

// ---- generateKey: sign and verify with a fresh key of each family ----------------------------

for (const [alg, kty, crv] of [['ES256', 'EC', 'P-256'], ['ES384', 'EC', 'P-384'], ['EdDSA', 'OKP', 'Ed25519'], ['RS256', 'RSA', undefined]]) {
  test(`generateKey ${alg}: sign, then verify with the JWK Set`, (pkjwt) => {
    const key = pkjwt.generateKey(alg);
    assert(key instanceof pkjwt.Key, 'a Key');
    equal(key.kty, kty, 'kty');
    equal(key.alg, alg, 'alg');
    equal(key.isPrivate, true, 'isPrivate');
    equal(key.kid, key.thumbprint(), 'default kid is the RFC 7638 thumbprint');
    const jwk = key.toJwk();
    equal(jwk.crv, crv, 'crv');
    if (kty === 'RSA') equal(fromBase64url(jwk.n).length, 256, 'default RSA modulus bytes');
    const token = assertion(pkjwt, key);
    const { header, payload, key: used } = verify(pkjwt, token, pkjwt.toJwks([key]));
    equal(header.alg, alg, 'header.alg');
    equal(header.kid, key.kid, 'header.kid');
    equal(payload.iss, CLIENT, 'iss');
    equal(used.kid, key.kid, 'the key that verified');
    equal(used.isPrivate, false, 'the JWKS key is public');
    // and with the Key object itself, and its public half
    verify(pkjwt, assertion(pkjwt, key), key);
    verify(pkjwt, assertion(pkjwt, key), [key.publicKey()]);
  });
}

// ---- importKey: PEM text, JWK objects, DER bytes --------------------------------------------

test('importKey PEM: PKCS#8, SEC1 and SPKI (P-256) agree with the fixture thumbprint', (pkjwt, fx) => {
  const pkcs8 = pkjwt.importKey(fx.pem['p256.pkcs8.pem']);
  const sec1 = pkjwt.importKey(fx.pem['p256.sec1.pem']);
  const spki = pkjwt.importKey(fx.pem['p256.spki.pem']);
  equal(pkcs8.isPrivate, true, 'PKCS#8 isPrivate');
  equal(sec1.isPrivate, true, 'SEC1 isPrivate');
  equal(spki.isPrivate, false, 'SPKI isPrivate');
  for (const key of [pkcs8, sec1, spki]) equal(key.thumbprint(), fx.thumbprints['p256.spki.pem'], 'thumbprint');
  verify(pkjwt, assertion(pkjwt, sec1), spki);
  const reexported = pkjwt.importKey(pkcs8.toPem());
  equal(reexported.thumbprint(), pkcs8.thumbprint(), 'toPem round trip');
});

test('importKey PEM: RSA PKCS#8 and PKCS#1 sign RS256 and PS256, SPKI verifies', (pkjwt, fx) => {
  const pkcs8 = pkjwt.importKey(fx.pem['rsa2048.pkcs8.pem']);
  const pkcs1 = pkjwt.importKey(fx.pem['rsa2048.pkcs1.pem']);
  const spki = pkjwt.importKey(fx.pem['rsa2048.spki.pem']);
  equal(pkcs8.kty, 'RSA', 'kty');
  equal(spki.thumbprint(), fx.thumbprints['rsa2048.spki.pem'], 'thumbprint');
  equal(pkcs1.thumbprint(), spki.thumbprint(), 'PKCS#1 is the same key');
  for (const alg of ['RS256', 'PS256']) {
    const token = assertion(pkjwt, pkcs1, { alg });
    equal(verify(pkjwt, token, spki).header.alg, alg, 'header.alg');
  }
});

test('importKey JWK objects: private P-256 signs, public JWK verifies', (pkjwt, fx) => {
  const priv = pkjwt.importKey(fx.jwk['p256.priv.json']);
  const pub = pkjwt.importKey(fx.jwk['p256.pub.json']);
  equal(priv.isPrivate, true, 'private');
  equal(pub.isPrivate, false, 'public');
  equal(pub.kid, fx.thumbprints['p256.spki.pem'], 'kid defaults to the thumbprint');
  verify(pkjwt, assertion(pkjwt, priv), [pub]);
  // a bare JWK object in the keys array, as a server's client registry would hold it
  verify(pkjwt, assertion(pkjwt, priv), [fx.jwk['p256.pub.json']]);
  const named = pkjwt.importKey(fx.jwk['ed25519.pub.json'], { kid: 'my-kid', alg: 'EdDSA' });
  equal(named.kid, 'my-kid', 'kid option');
  equal(named.alg, 'EdDSA', 'alg option');
});

test('importKey DER: Uint8Array and ArrayBuffer (Ed25519 PKCS#8, SPKI)', (pkjwt, fx) => {
  const pkcs8 = fromBase64(fx.der['ed25519.pkcs8.der']);
  const spki = fromBase64(fx.der['ed25519.spki.der']);
  const priv = pkjwt.importKey(pkcs8);
  const pub = pkjwt.importKey(spki.buffer.slice(spki.byteOffset, spki.byteOffset + spki.byteLength));
  equal(priv.kty, 'OKP', 'kty');
  equal(priv.isPrivate, true, 'private');
  equal(pub.isPrivate, false, 'public');
  equal(pub.thumbprint(), fx.thumbprints['ed25519.spki.pem'], 'thumbprint');
  const token = assertion(pkjwt, priv);
  equal(verify(pkjwt, token, pub).header.alg, 'EdDSA', 'default alg for Ed25519');
  const rsa = pkjwt.importKey(fromBase64(fx.der['rsa2048.spki.der']));
  equal(rsa.thumbprint(), fx.thumbprints['rsa2048.spki.pem'], 'RSA SPKI DER thumbprint');
});

test('importKey refuses garbage with a PkjwtError', (pkjwt) => {
  const codes = ['ERR_JWK_INVALID', 'ERR_INVALID_ARGUMENT', 'ERR_JOSE_NOT_SUPPORTED'];
  throwsPkjwt(pkjwt, () => pkjwt.importKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'), codes);
  throwsPkjwt(pkjwt, () => pkjwt.importKey('not a key'), codes);
  throwsPkjwt(pkjwt, () => pkjwt.importKey(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])), codes);
  throwsPkjwt(pkjwt, () => pkjwt.importKey({ kty: 'oct', k: 'c2VjcmV0' }), codes);
});

// ---- toJwks and secrets ---------------------------------------------------------------------

test('toJwks: public members only, kid, alg and use', (pkjwt, fx) => {
  const ec = pkjwt.generateKey('ES256', { kid: 'ec-1' });
  const ed = pkjwt.importKey(fx.jwk['ed25519.priv.json']);
  const rsa = pkjwt.importKey(fx.pem['rsa2048.pkcs8.pem']);
  const jwks = pkjwt.toJwks([ec, ed, rsa]);
  equal(jwks.keys.length, 3, 'three keys');
  for (const jwk of jwks.keys) {
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert(!(member in jwk), `no ${member} in ${jwk.kty}`);
    equal(jwk.use, 'sig', 'use');
    assert(typeof jwk.kid === 'string' && jwk.kid.length > 0, 'kid');
  }
  equal(jwks.keys[0].kid, 'ec-1', 'kid option kept');
  equal(jwks.keys[0].alg, 'ES256', 'alg');
  // the JWKS round-trips through JSON, as it would through a registration endpoint
  const restored = JSON.parse(JSON.stringify(jwks));
  verify(pkjwt, assertion(pkjwt, rsa), restored);
  verify(pkjwt, assertion(pkjwt, ed), restored);
});

test('String(key), JSON.stringify(key) and toJwk() never show the private d', (pkjwt, fx) => {
  const keys = [pkjwt.generateKey('ES256'), pkjwt.generateKey('EdDSA'), pkjwt.importKey(fx.pem['rsa2048.pkcs8.pem'])];
  for (const key of keys) {
    const d = key.toJwk({ private: true }).d;
    assert(typeof d === 'string' && d.length > 20, 'toJwk({ private: true }) has d (so the check means something)');
    const shown = [String(key), `${key}`, JSON.stringify(key), JSON.stringify({ key }), JSON.stringify(key.toJwk())];
    for (const text of shown) {
      assert(!text.includes(d), `${key.kty} key text leaks d: ${text.slice(0, 80)}`);
      assert(!/"d"\s*:/.test(text), `${key.kty} key text has a "d" member`);
    }
    equal(JSON.parse(JSON.stringify(key)).kid, key.kid, 'JSON.stringify shows the public JWK');
  }
  const fixtureD = fx.jwk['p256.priv.json'].d;
  const imported = pkjwt.importKey(fx.jwk['p256.priv.json']);
  assert(!String(imported).includes(fixtureD) && !JSON.stringify(imported).includes(fixtureD), 'imported key hides d');
});

// ---- createClientAssertion / decodeJwt / clientAuthParams --------------------------------------

test('createClientAssertion: claims and header defaults, decodeJwt', (pkjwt) => {
  const key = pkjwt.generateKey('ES256');
  const token = assertion(pkjwt, key);
  const parts = token.split('.');
  equal(parts.length, 3, 'compact JWS');
  const decoded = pkjwt.decodeJwt(token);
  equal(decoded.signingInput, `${parts[0]}.${parts[1]}`, 'signingInput');
  equal(decoded.signature, parts[2], 'signature');
  equal(decoded.header.alg, 'ES256', 'alg');
  equal(decoded.header.kid, key.kid, 'kid');
  equal(decoded.header.typ, 'client-authentication+jwt', 'typ');
  const { payload } = decoded;
  equal(payload.iss, CLIENT, 'iss');
  equal(payload.sub, CLIENT, 'sub');
  equal(payload.aud, ISSUER, 'aud');
  equal(payload.exp - payload.iat, 60, 'lifetime');
  assert(Math.abs(payload.iat - Math.floor(Date.now() / 1000)) < 120, 'iat is now');
  assert(typeof payload.jti === 'string' && fromBase64url(payload.jti).length >= 16, 'jti has >= 128 bits');
  const other = pkjwt.decodeJwt(assertion(pkjwt, key));
  assert(other.payload.jti !== payload.jti, 'a fresh jti per call');
  const custom = pkjwt.decodeJwt(assertion(pkjwt, key, { kid: null, typ: null, lifetime: 120, jti: 'fixed', now: 1700000000 }));
  assert(!('kid' in custom.header) && !('typ' in custom.header), 'kid and typ omitted with null');
  equal(custom.payload.jti, 'fixed', 'jti option');
  equal(custom.payload.iat, 1700000000, 'now option');
  equal(custom.payload.exp, 1700000120, 'lifetime option');
});

test('createClientAssertion with a certificate adds x5t#S256 (fixture value)', (pkjwt, fx) => {
  const key = pkjwt.importKey(fx.pem['p256.pkcs8.pem']);
  const cert = fx.pem['p256.cert.pem'];
  const expected = fx.certs['p256.cert.pem'];
  const { header } = pkjwt.decodeJwt(assertion(pkjwt, key, { certificate: cert, x5t: true }));
  equal(header['x5t#S256'], expected['x5t#S256'], 'x5t#S256');
  equal(header.x5t, expected.x5t, 'x5t');
  const thumbprints = pkjwt.certificateThumbprints(cert);
  equal(thumbprints['x5t#S256'], expected['x5t#S256'], 'certificateThumbprints');
});

test('clientAuthParams: the RFC 7523 form parameters', (pkjwt) => {
  const token = assertion(pkjwt, pkjwt.generateKey('EdDSA'));
  const params = pkjwt.clientAuthParams(token);
  equal(params.client_assertion_type, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', 'client_assertion_type');
  equal(params.client_assertion, token, 'client_assertion');
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...params });
  equal(body.get('client_assertion'), token, 'form-encodes');
});

test('requestToken with an injected fetch posts the assertion', async (pkjwt) => {
  const key = pkjwt.generateKey('ES256');
  let seen;
  const fakeFetch = async (url, init) => {
    seen = { url, init, body: new URLSearchParams(String(init.body)) };
    return new Response(JSON.stringify({ access_token: 'at', token_type: 'Bearer' }),
      { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const result = await pkjwt.requestToken({
    tokenEndpoint: `${ISSUER}/token`, clientId: CLIENT, audience: ISSUER, key,
    params: { grant_type: 'client_credentials', scope: 'api' }, fetch: fakeFetch,
  });
  equal(result.access_token, 'at', 'parsed response');
  equal(seen.url, `${ISSUER}/token`, 'url');
  equal(seen.init.method, 'POST', 'method');
  equal(seen.body.get('grant_type'), 'client_credentials', 'grant_type');
  equal(seen.body.get('client_id'), CLIENT, 'client_id');
  equal(seen.body.get('client_assertion_type'), pkjwt.CLIENT_ASSERTION_TYPE, 'client_assertion_type');
  verify(pkjwt, seen.body.get('client_assertion'), key);

  const failing = async () => new Response(JSON.stringify({ error: 'invalid_client', error_description: 'nope' }), { status: 401 });
  let error;
  try {
    await pkjwt.requestToken({ tokenEndpoint: `${ISSUER}/token`, clientId: CLIENT, audience: ISSUER, key,
      params: { grant_type: 'client_credentials' }, fetch: failing });
  } catch (caught) {
    error = caught;
  }
  assert(error instanceof pkjwt.PkjwtError, 'rejects with a PkjwtError');
  equal(error.code, 'ERR_TOKEN_REQUEST_FAILED', 'code');
  equal(error.status, 401, 'status');
  equal(error.error, 'invalid_client', 'OAuth error');
});

// ---- verifyClientAssertion: replay, audience, tampering, errors ---------------------------------

test('verifyClientAssertion with a ReplayCache: second use is ERR_JWT_REPLAYED', (pkjwt) => {
  const key = pkjwt.generateKey('ES256');
  const cache = new pkjwt.ReplayCache({ maxEntries: 100 });
  const token = assertion(pkjwt, key);
  equal(cache.size, 0, 'empty cache');
  verify(pkjwt, token, key, { replayCache: cache });
  equal(cache.size, 1, 'one entry after the first use');
  const error = throwsPkjwt(pkjwt, () => verify(pkjwt, token, key, { replayCache: cache }), 'ERR_JWT_REPLAYED');
  assert(error instanceof Error, 'err instanceof Error');
  assert(error instanceof pkjwt.PkjwtError, 'err instanceof PkjwtError');
  // a fresh assertion is still accepted, and without a cache the same token verifies again
  verify(pkjwt, assertion(pkjwt, key), key, { replayCache: cache });
  equal(cache.size, 2, 'two entries');
  verify(pkjwt, token, key);
});

test('verify picks the right key: no kid, skipped JWKs before the match, Keys stay usable', (pkjwt) => {
  const ec = pkjwt.generateKey('ES256');
  const ed = pkjwt.generateKey('EdDSA');
  // no kid in the header: a bounded try over the keys that fit the alg
  const noKid = assertion(pkjwt, ed, { kid: null });
  const byKeys = verify(pkjwt, noKid, [ec, ed]);
  equal(byKeys.key, ed, 'with an array of Keys, the caller\'s own Key object is returned');
  equal(verify(pkjwt, noKid, { keys: [ec.toJwk(), ed.toJwk()] }).key.kid, ed.kid, 'JWKS without kid in the token');
  // an encryption key listed before the signing key must not shift which key is reported
  const jwks = { keys: [{ ...ec.toJwk(), use: 'enc', kid: 'enc-1' }, ed.toJwk()] };
  const { key } = verify(pkjwt, assertion(pkjwt, ed), jwks);
  assert(key instanceof pkjwt.Key, 'a Key is returned for a JWKS');
  equal(key.kid, ed.kid, 'the key that verified');
  equal(key.isPrivate, false, 'a public key');
  // the Keys passed in are not consumed by toJwks / verify
  equal(ec.isPrivate, true, 'ec still usable');
  verify(pkjwt, assertion(pkjwt, ec), [ec, ed]);
  equal(pkjwt.toJwks([ec, ed]).keys.length, 2, 'toJwks again');
});

test('wrong audience: ERR_JWT_CLAIM_VALIDATION_FAILED with claim aud', (pkjwt) => {
  const key = pkjwt.generateKey('EdDSA');
  const token = assertion(pkjwt, key);
  const error = throwsPkjwt(pkjwt, () => pkjwt.verifyClientAssertion(token, { audience: 'https://other.example.com', keys: key }),
    'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'aud' });
  assert(typeof error.reason === 'string', 'reason is set');
  throwsPkjwt(pkjwt, () => verify(pkjwt, token, key, { clientId: 'someone-else' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
});

test('tampered token: ERR_JWS_SIGNATURE_VERIFICATION_FAILED', (pkjwt) => {
  const key = pkjwt.generateKey('ES256');
  const token = assertion(pkjwt, key);
  const [header, payload, signature] = token.split('.');
  // a payload changed after signing (still valid JSON with the same claims shape)
  const claims = pkjwt.decodeJwt(token).payload;
  const forged = `${header}.${jsonBase64url({ ...claims, sub: CLIENT, scope: 'admin' })}.${signature}`;
  throwsPkjwt(pkjwt, () => verify(pkjwt, forged, key), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  // one signature character flipped
  const flipped = `${header}.${payload}.${flipChar(signature, 10)}`;
  throwsPkjwt(pkjwt, () => verify(pkjwt, flipped, key), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  // signed by another key with the same kid
  const other = pkjwt.generateKey('ES256', { kid: key.kid });
  throwsPkjwt(pkjwt, () => verify(pkjwt, assertion(pkjwt, other), key), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
});

test('malformed input and options: ERR_JWS_INVALID, ERR_INVALID_ARGUMENT, isPkjwtError', (pkjwt) => {
  const key = pkjwt.generateKey('ES256');
  throwsPkjwt(pkjwt, () => pkjwt.decodeJwt('not.a.jwt'), ['ERR_JWS_INVALID', 'ERR_JWT_INVALID']);
  throwsPkjwt(pkjwt, () => verify(pkjwt, 'a.b', key), ['ERR_JWS_INVALID', 'ERR_JWT_INVALID']);
  throwsPkjwt(pkjwt, () => pkjwt.createClientAssertion({ clientId: CLIENT, audience: ISSUER, key, audiance: 'typo' }), 'ERR_INVALID_ARGUMENT');
  throwsPkjwt(pkjwt, () => pkjwt.createClientAssertion({ clientId: CLIENT, audience: ISSUER, key: key.toJwk() }), 'ERR_INVALID_ARGUMENT');
  throwsPkjwt(pkjwt, () => verify(pkjwt, assertion(pkjwt, key), key, { algorithms: ['RS256'] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
  throwsPkjwt(pkjwt, () => verify(pkjwt, assertion(pkjwt, key), pkjwt.generateKey('ES256')), 'ERR_JWKS_NO_MATCHING_KEY');
  equal(pkjwt.isPkjwtError(new Error('plain')), false, 'isPkjwtError(plain Error)');
  equal(pkjwt.isPkjwtError(null), false, 'isPkjwtError(null)');
  equal(pkjwt.isPkjwtError({ name: 'PkjwtError', code: 'ERR_JWT_INVALID' }), false, 'isPkjwtError(look-alike object)');
  equal(pkjwt.isPkjwtError(new pkjwt.PkjwtError('x', 'ERR_JWT_INVALID')), true, 'isPkjwtError(new PkjwtError)');
});

test('expired assertion: ERR_JWT_EXPIRED', (pkjwt) => {
  const key = pkjwt.generateKey('EdDSA');
  const now = Math.floor(Date.now() / 1000);
  const old = assertion(pkjwt, key, { now: now - 3600 });
  throwsPkjwt(pkjwt, () => verify(pkjwt, old, key), 'ERR_JWT_EXPIRED');
});

// ---- interop with the runtime's own WebCrypto -------------------------------------------------

test('WebCrypto interop: crypto.subtle verifies pkjwt ES256, pkjwt verifies crypto.subtle ES256', async (pkjwt, fx) => {
  const subtle = globalThis.crypto?.subtle;
  assert(subtle, 'crypto.subtle exists');
  const { d, ...publicJwk } = fx.jwk['p256.priv.json'];
  assert(d, 'fixture has d');
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
  const verifyKey = await subtle.importKey('jwk', publicJwk, algorithm, false, ['verify']);
  const signKey = await subtle.importKey('jwk', fx.jwk['p256.priv.json'], algorithm, false, ['sign']);

  const token = assertion(pkjwt, pkjwt.importKey(fx.pem['p256.pkcs8.pem']));
  const [h, p, s] = token.split('.');
  const ok = await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, verifyKey, fromBase64url(s), new TextEncoder().encode(`${h}.${p}`));
  equal(ok, true, 'crypto.subtle accepts the pkjwt signature');

  const now = Math.floor(Date.now() / 1000);
  const input = `${jsonBase64url({ alg: 'ES256', typ: 'JWT' })}.${jsonBase64url({ iss: CLIENT, sub: CLIENT, aud: ISSUER, iat: now, exp: now + 60, jti: 'webcrypto-1' })}`;
  const signature = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signKey, new TextEncoder().encode(input)));
  const foreign = `${input}.${toBase64url(signature)}`;
  equal(verify(pkjwt, foreign, [publicJwk]).payload.jti, 'webcrypto-1', 'pkjwt accepts the WebCrypto signature');
});

// ---- FTN: request objects, encrypted ID tokens (issue 8) on every runtime --------------------

test('FTN: request object and authorizationUrl; verifyRequestObject refuses a client assertion', (pkjwt) => {
  const key = pkjwt.generateKey('ES256');
  const params = { response_type: 'code', scope: 'openid', redirect_uri: 'https://rp.example/cb', state: 's-1', nonce: 'n-1' };
  const requestObject = pkjwt.createRequestObject({ clientId: CLIENT, audience: ISSUER, key, params });
  equal(pkjwt.decodeJwt(requestObject).header.typ, 'oauth-authz-req+jwt', 'typ');
  const verified = pkjwt.verifyRequestObject(requestObject, { clientId: CLIENT, audience: ISSUER, keys: key.publicKey() });
  equal(verified.payload.client_id, CLIENT, 'client_id inside');
  equal(verified.payload.nonce, 'n-1', 'params inside');
  const url = new URL(pkjwt.authorizationUrl({ authorizationEndpoint: `${ISSUER}/authorize?tenant=t`, clientId: CLIENT, requestObject }));
  equal([...url.searchParams.keys()].join(','), 'tenant,client_id,request', 'only client_id and request are added');
  equal(url.searchParams.get('request'), requestObject, 'the request object by value');
  throwsPkjwt(pkjwt, () => pkjwt.verifyRequestObject(assertion(pkjwt, key), { clientId: CLIENT, audience: ISSUER, keys: key.publicKey() }),
    'ERR_JWT_CLAIM_VALIDATION_FAILED');
});

for (const [encAlg, enc] of [['RSA-OAEP-256', 'A128CBC-HS256'], ['ECDH-ES', 'A256GCM']]) {
  test(`FTN: openIdToken decrypts (${encAlg}, ${enc}) and verifies a WebCrypto-signed ID token`, async (pkjwt, fx) => {
    const subtle = globalThis.crypto.subtle;
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const { d, ...providerJwk } = fx.jwk['p256.priv.json'];
    assert(d, 'fixture has d');
    const providerSigner = await subtle.importKey('jwk', fx.jwk['p256.priv.json'], algorithm, false, ['sign']);
    const now = Math.floor(Date.now() / 1000);
    const input = `${jsonBase64url({ alg: 'ES256', kid: 'op-1' })}.${jsonBase64url({ iss: ISSUER, sub: 'user-1', aud: CLIENT, iat: now, exp: now + 300, nonce: 'n-1' })}`;
    const signature = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, providerSigner, new TextEncoder().encode(input)));
    const idToken = `${input}.${toBase64url(signature)}`;
    const provider = { keys: [{ ...providerJwk, kid: 'op-1', alg: 'ES256', use: 'sig' }] };

    const encryptionKey = encAlg === 'ECDH-ES'
      ? pkjwt.generateKey(encAlg)
      : pkjwt.importKey(fx.pem['rsa2048.pkcs8.pem'], { alg: encAlg });
    equal(encryptionKey.use, 'enc', 'an encryption key');
    const jwe = pkjwt.encryptJwt(idToken, { key: encryptionKey.publicKey(), alg: encAlg, enc, cty: 'JWT' });
    equal(jwe.split('.').length, 5, 'compact JWE');

    const opened = pkjwt.openIdToken(jwe, { decryptionKeys: encryptionKey, issuer: ISSUER, clientId: CLIENT, keys: provider, nonce: 'n-1' });
    equal(opened.payload.sub, 'user-1', 'sub of the verified ID token');
    equal(opened.jweHeader.enc, enc, 'enc of the JWE');
    throwsPkjwt(pkjwt, () => pkjwt.openIdToken(jwe, { decryptionKeys: encryptionKey, issuer: ISSUER, clientId: CLIENT, keys: provider, nonce: 'other' }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'nonce' });
    throwsPkjwt(pkjwt, () => pkjwt.openIdToken(idToken, { decryptionKeys: encryptionKey, issuer: ISSUER, clientId: CLIENT, keys: provider, nonce: 'n-1' }),
      'ERR_JWE_INVALID');
    const stranger = pkjwt.generateKey(encAlg, { kid: encryptionKey.kid });
    throwsPkjwt(pkjwt, () => pkjwt.decryptJwt(jwe, { keys: stranger }), 'ERR_JWE_DECRYPTION_FAILED');
  });
}
