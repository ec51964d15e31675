// ClientAssertionVerifier: clients, options, pins, replay stores and errorResponse, with inline
// JWK Sets (remote ones are in jwks.test.mjs, the attack catalogue in attacks.test.mjs).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClientAssertionVerifier, PkjwtError, ReplayCache, createClientAssertion, generateKey, importKey, toJwks,
} from 'pkjwt';
import { assertPkjwtError, rejectsPkjwt } from '../js/helpers/assert.mjs';
import { ISSUER, assertClientError, claims, forge, makeClient, nodeSigner } from './helpers.mjs';

const alice = makeClient('alice', 'ES256', 'alice-1');
const bob = makeClient('bob', 'EdDSA', 'bob-1');
const clients = new Map([
  ['alice', { jwks: alice.jwks }],
  ['bob', { jwks: bob.jwks, algorithm: 'EdDSA' }],
]);
const getClient = (id) => clients.get(id);

function verifier(extra = {}) {
  return new ClientAssertionVerifier({ issuer: ISSUER, getClient, ...extra });
}

describe('ClientAssertionVerifier: accepting', () => {
  test('a valid assertion is accepted: header, payload, clientId, key', async () => {
    const v = verifier();
    const token = alice.assertion();
    const result = await v.verify(token);
    assert.equal(result.clientId, 'alice');
    assert.equal(result.payload.iss, 'alice');
    assert.equal(result.header.alg, 'ES256');
    assert.equal(result.key.kid, 'alice-1');
    assert.equal(result.key.isPrivate, false);
    assert.deepEqual(Object.keys(result).sort(), ['clientId', 'header', 'key', 'payload']);
    assert.equal(v.issuer, ISSUER);
  });

  test('the request client_id must equal the assertion sub', async () => {
    const v = verifier();
    await v.verify(alice.assertion(), { clientId: 'alice' });
    const error = await rejectsPkjwt(v.verify(alice.assertion(), { clientId: 'bob' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'sub', reason: 'mismatch' });
    assertClientError(v, error);
  });

  test('getClient may be async, and is asked for the unverified sub', async () => {
    const asked = [];
    const v = verifier({ getClient: async (id) => { asked.push(id); return clients.get(id); } });
    await v.verify(alice.assertion());
    assert.deepEqual(asked, ['alice']);
  });

  test('audiences: the token endpoint is accepted only when configured; never several values unless allowed', async () => {
    const token = alice.assertion({ audience: `${ISSUER}/token` });
    await rejectsPkjwt(verifier().verify(token), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'aud' });
    await verifier({ audiences: [`${ISSUER}/token`] }).verify(token);
    const signer = nodeSigner(alice.key, 'ES256');
    const twoAud = () => forge({ alg: 'ES256', kid: 'alice-1' }, claims('alice', { aud: [ISSUER, 'https://evil.example'] }), signer);
    await rejectsPkjwt(verifier().verify(twoAud()), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'aud' });
    await verifier({ allowMultipleAudiences: true }).verify(twoAud());
    await verifier().verify(forge({ alg: 'ES256', kid: 'alice-1' }, claims('alice', { aud: [ISSUER] }), signer));
  });

  test('maxLifetime and clockTolerance are applied', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejectsPkjwt(verifier({ maxLifetime: 30 }).verify(alice.assertion({ lifetime: 60 })), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'exp' });
    const expired = alice.assertion({ now: now - 100, lifetime: 60 });
    await rejectsPkjwt(verifier().verify(expired), 'ERR_JWT_EXPIRED');
    await verifier({ clockTolerance: 60 }).verify(expired);
  });

  test('the clock option sets the time', async () => {
    const token = alice.assertion({ now: 1_000_000 });
    await rejectsPkjwt(verifier().verify(token), 'ERR_JWT_EXPIRED');
    await verifier({ clock: () => 1_000_010_000 }).verify(token);
  });
});

describe('ClientAssertionVerifier: clients and algorithm pins', () => {
  test('an unknown client is ERR_CLIENT_UNKNOWN, a 401', async () => {
    const v = verifier();
    const mallory = makeClient('mallory');
    const error = await rejectsPkjwt(v.verify(mallory.assertion()), 'ERR_CLIENT_UNKNOWN');
    const response = assertClientError(v, error);
    // The same answer as a known client with an unknown key: no client enumeration.
    const other = makeClient('alice', 'ES256', 'not-registered');
    const error2 = await rejectsPkjwt(v.verify(other.assertion()), 'ERR_JWKS_NO_MATCHING_KEY');
    assert.deepEqual(assertClientError(v, error2).body, response.body);
  });

  test('a client without usable keys is ERR_JWKS_NO_MATCHING_KEY', async () => {
    const records = {
      none: {},
      empty: { jwks: { keys: [] } },
      broken: { jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }] } },
    };
    for (const [id, record] of Object.entries(records)) {
      const v = verifier({ getClient: () => record });
      const error = await rejectsPkjwt(v.verify(makeClient(id).assertion()), 'ERR_JWKS_NO_MATCHING_KEY');
      assertClientError(v, error);
    }
  });

  test('the server\'s own failures are ERR_VERIFIER_UNAVAILABLE and a 500 server_error', async () => {
    const cases = {
      'getClient throws': () => { throw new Error('database down'); },
      'getClient rejects': async () => { throw new Error('database down'); },
      'both jwks and jwksUri': () => ({ jwks: alice.jwks, jwksUri: 'https://alice.example/jwks' }),
      'record not an object': () => 'alice',
      'unknown algorithm pin': () => ({ jwks: alice.jwks, algorithm: 'HS256' }),
      'pin outside algorithms': () => ({ jwks: alice.jwks, algorithm: 'ES384' }),
      'jwks not a JWK Set': () => ({ jwks: [alice.jwks.keys[0]] }),
    };
    for (const [what, gc] of Object.entries(cases)) {
      const v = verifier({ getClient: gc, algorithms: ['ES256', 'EdDSA'] });
      const error = await rejectsPkjwt(v.verify(alice.assertion()), 'ERR_VERIFIER_UNAVAILABLE');
      const response = v.errorResponse(error);
      assert.equal(response.status, 500, what);
      assert.equal(response.body.error, 'server_error', what);
      assert.equal(response.headers['www-authenticate'], undefined, what);
      assert.doesNotMatch(response.body.error_description, /database|invalid|jwks|alg/i, what);
    }
  });

  test('a pin accepts only its algorithm; a pin of EdDSA also accepts Ed25519', async () => {
    const v = verifier();
    await v.verify(bob.assertion({ alg: 'EdDSA' }));
    await v.verify(bob.assertion({ alg: 'Ed25519' }));
    const pinned = verifier({ getClient: () => ({ jwks: toJwks([rsa]), algorithm: 'PS256' }) });
    const rsaClient = (alg) => createClientAssertion({ clientId: 'r', audience: ISSUER, key: rsa, alg });
    await pinned.verify(rsaClient('PS256'));
    const error = await rejectsPkjwt(pinned.verify(rsaClient('RS256')), 'ERR_JOSE_ALG_NOT_ALLOWED');
    assertClientError(pinned, error);
    const ed = verifier({ getClient: () => ({ jwks: bob.jwks, algorithm: 'Ed25519' }) });
    await ed.verify(bob.assertion({ alg: 'Ed25519' }));
    await rejectsPkjwt(ed.verify(bob.assertion({ alg: 'EdDSA' })), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  test('algorithms restricts every client', async () => {
    const v = verifier({ algorithms: ['EdDSA', 'Ed25519'] });
    await rejectsPkjwt(v.verify(alice.assertion()), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await v.verify(bob.assertion());
  });
});

// Not bound to an alg, so a pin decides which RSA algorithm it may sign with.
const rsa = importKey(generateKey('RS256').toPem(), { kid: 'rsa' });

describe('ClientAssertionVerifier: replay', () => {
  test('the default store is an in-memory ReplayCache: a second use is ERR_JWT_REPLAYED', async () => {
    const v = verifier();
    const token = alice.assertion();
    await v.verify(token);
    const error = await rejectsPkjwt(v.verify(token), 'ERR_JWT_REPLAYED');
    assert.match(assertClientError(v, error, token).body.error_description, /already used/);
  });

  test('50 concurrent submissions of one assertion: exactly one accepted', async () => {
    const v = verifier();
    const token = alice.assertion();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => v.verify(token)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results.filter((x) => x.status === 'rejected')) assertPkjwtError(r.reason, 'ERR_JWT_REPLAYED');
  });

  test('replay keys are scoped per client, without collisions', async () => {
    const keys = [];
    const store = { setIfAbsent(key, expiresAtMs) { keys.push([key, expiresAtMs]); return true; } };
    const v = verifier({ replayStore: store });
    const token = alice.assertion({ jti: 'shared-jti' });
    await v.verify(token);
    await v.verify(bob.assertion({ jti: 'shared-jti' }));
    assert.equal(keys[0][0], JSON.stringify(['alice', 'shared-jti']));
    assert.equal(keys[1][0], JSON.stringify(['bob', 'shared-jti']));
    const { payload } = await verifier().verify(alice.assertion({ jti: 'x' }));
    assert.equal(typeof payload.exp, 'number');
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).exp;
    assert.equal(keys[0][1], (exp + 15) * 1000, 'expires at exp + tolerance, in epoch ms');

    // With one shared ReplayCache, the same jti from two clients is accepted twice, and pairs
    // that a naive concatenation would confuse stay apart.
    const cache = new ReplayCache();
    const shared = verifier({ replayStore: cache });
    await shared.verify(alice.assertion({ jti: 'j' }));
    await shared.verify(bob.assertion({ jti: 'j' }));
    const ab = makeClient('a"b', 'ES256', 'k');
    const a = makeClient('a', 'ES256', 'k');
    const records = new Map([['a"b', { jwks: ab.jwks }], ['a', { jwks: a.jwks }]]);
    const tricky = verifier({ replayStore: cache, getClient: (id) => records.get(id) });
    await tricky.verify(ab.assertion({ jti: 'c' }));
    await tricky.verify(a.assertion({ jti: 'b","c' }));
    assert.equal(cache.size, 4);
  });

  test('replay is recorded only after every other check passed', async () => {
    const seen = [];
    const store = { setIfAbsent(key) { seen.push(key); return true; } };
    const v = verifier({ replayStore: store });
    await rejectsPkjwt(v.verify(alice.assertion({ audience: 'https://other.example' })), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    await rejectsPkjwt(v.verify(makeClient('alice', 'ES256', 'alice-1').assertion()), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    assert.deepEqual(seen, []);
  });

  test('an async store, a failing store, a store that answers garbage', async () => {
    const held = new Set();
    const asyncStore = { async setIfAbsent(key) { await new Promise((r) => setImmediate(r)); if (held.has(key)) return false; held.add(key); return true; } };
    const token = alice.assertion();
    await verifier({ replayStore: asyncStore }).verify(token);
    await rejectsPkjwt(verifier({ replayStore: asyncStore }).verify(token), 'ERR_JWT_REPLAYED');
    for (const store of [
      { setIfAbsent() { throw new Error('ECONNREFUSED'); } },
      { async setIfAbsent() { throw new Error('ECONNREFUSED'); } },
      { setIfAbsent() { return 'OK'; } },
      { setIfAbsent() { return undefined; } },
    ]) {
      const v = verifier({ replayStore: store });
      const error = await rejectsPkjwt(v.verify(alice.assertion()), 'ERR_VERIFIER_UNAVAILABLE');
      assert.equal(v.errorResponse(error).status, 500);
    }
  });

  test('a full ReplayCache fails closed with ERR_VERIFIER_UNAVAILABLE', async () => {
    const v = verifier({ replayStore: new ReplayCache({ maxEntries: 1 }) });
    await v.verify(alice.assertion());
    const error = await rejectsPkjwt(v.verify(alice.assertion()), 'ERR_VERIFIER_UNAVAILABLE');
    assert.equal(error.cause.code, 'ERR_REPLAY_CACHE_FULL');
    assert.equal(v.errorResponse(error).status, 500);
  });

  test('ReplayCache.setIfAbsent: the ReplayStore interface, apart from verifyClientAssertion pairs', () => {
    const cache = new ReplayCache();
    const later = Date.now() + 60_000;
    assert.equal(cache.setIfAbsent('k', later), true);
    assert.equal(cache.setIfAbsent('k', later), false);
    assert.equal(cache.setIfAbsent('k2', later), true);
    assert.equal(cache.setIfAbsent('expired', Date.now() - 5000), true);
    assert.equal(cache.setIfAbsent('expired', Date.now() + 5000), true, 'an expired entry is absent');
    for (const [key, at] of [[1, later], ['k', NaN], ['k', -1], ['k', Infinity]]) {
      assert.throws(() => cache.setIfAbsent(key, at), (e) => e instanceof PkjwtError && e.code === 'ERR_INVALID_ARGUMENT');
    }
    const small = new ReplayCache({ maxEntries: 1 });
    small.setIfAbsent('a', later);
    assert.throws(() => small.setIfAbsent('b', later), (e) => e instanceof PkjwtError && e.code === 'ERR_REPLAY_CACHE_FULL');
  });
});

describe('ClientAssertionVerifier: arguments and errorResponse', () => {
  test('options are checked at construction', () => {
    const bad = [
      undefined, null, [], {}, { issuer: ISSUER }, { issuer: '', getClient }, { issuer: ISSUER, getClient, unknown: 1 },
      { issuer: ISSUER, getClient, algorithms: [] }, { issuer: ISSUER, getClient, algorithms: ['HS256'] },
      { issuer: ISSUER, getClient, audiences: 'x' }, { issuer: ISSUER, getClient, clockTolerance: -1 },
      { issuer: ISSUER, getClient, maxLifetime: 0 }, { issuer: ISSUER, getClient, replayStore: {} },
      { issuer: ISSUER, getClient, jwksCacheTtl: 0 }, { issuer: ISSUER, getClient, jwksTimeout: -1 },
      { issuer: ISSUER, getClient, jwksMaxBytes: 1.5 }, { issuer: ISSUER, getClient, fetch: 'fetch' },
      { issuer: ISSUER, getClient, allowMultipleAudiences: 'yes' },
    ];
    for (const opts of bad) {
      assert.throws(() => new ClientAssertionVerifier(opts), (e) => e instanceof PkjwtError && e.code === 'ERR_INVALID_ARGUMENT', JSON.stringify(opts));
    }
  });

  test('verify checks its arguments', async () => {
    const v = verifier();
    await rejectsPkjwt(v.verify(undefined), 'ERR_INVALID_ARGUMENT');
    await rejectsPkjwt(v.verify(alice.assertion(), { clientID: 'alice' }), 'ERR_INVALID_ARGUMENT');
    await rejectsPkjwt(v.verify(alice.assertion(), { clientId: 1 }), 'ERR_INVALID_ARGUMENT');
  });

  test('errorResponse: anything that is not a client failure is a 500, and descriptions stay in RFC 6749 §5.2 characters', () => {
    const v = new ClientAssertionVerifier({ issuer: 'https://as.example/"quoted"\\path\u00e9', getClient });
    for (const error of [new Error('boom'), undefined, null, 'text', new PkjwtError('x', 'ERR_INVALID_ARGUMENT')]) {
      const response = v.errorResponse(error);
      assert.equal(response.status, 500);
      assert.equal(response.body.error, 'server_error');
    }
    const aud = v.errorResponse(new PkjwtError('x', 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'aud', reason: 'mismatch' }));
    assert.equal(aud.status, 401);
    assert.match(aud.body.error_description, /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
    assert.match(aud.body.error_description, /https:\/\/as\.example\/quotedpath/);
    assert.match(aud.headers['www-authenticate'], /realm="https:\/\/as\.example\/quotedpath"/);
  });
});
