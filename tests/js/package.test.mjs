// The public API contract of the pkjwt npm package on Node (DESIGN.md "Public JS API", pkg/index.d.ts),
// imported by name.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Console } from 'node:console';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Writable } from 'node:stream';
import util from 'node:util';
import * as pkjwt from 'pkjwt';
import {
  CLIENT_ASSERTION_TYPE, certificateThumbprints, clientAuthParams, createClientAssertion, decodeJwt, generateKey,
  importKey, isPkjwtError, Key, PkjwtError, ReplayCache, requestToken, toJwks, verifyClientAssertion,
} from 'pkjwt';
import { assertPkjwtError, nowSeconds, rejectsPkjwt, splitJws, throwsPkjwt } from './helpers/assert.mjs';

const require = createRequire(import.meta.url);
const clientId = 'client-123';
const audience = 'https://as.example.com';

// Keys of every type, generated once (RSA key generation in wasm is the slow part).
const rsa = generateKey('RS256', { modulusLength: 2048 });
const KEYS = {
  RSA: rsa,
  'EC P-256': generateKey('ES256'),
  'EC P-384': generateKey('ES384'),
  OKP: generateKey('EdDSA'),
};
const ec = KEYS['EC P-256'];

/** A sign + verify round trip: proves the module still works after an error. */
function roundTrip() {
  const token = createClientAssertion({ clientId, audience, key: ec });
  const { payload } = verifyClientAssertion(token, { audience, clientId, keys: ec.publicKey() });
  assert.equal(payload.iss, clientId);
}

// ---------------------------------------------------------------------------------------------
describe('exports', () => {
  const DESIGN_FUNCTIONS = ['generateKey', 'importKey', 'toJwks', 'createClientAssertion', 'clientAuthParams',
    'requestToken', 'verifyClientAssertion', 'decodeJwt'];
  const DESIGN_CLASSES = ['Key', 'ReplayCache', 'PkjwtError'];

  test('every name of DESIGN.md "Public JS API" is exported with the right type', () => {
    for (const name of DESIGN_FUNCTIONS) assert.equal(typeof pkjwt[name], 'function', name);
    for (const name of DESIGN_CLASSES) {
      assert.equal(typeof pkjwt[name], 'function', name);
      assert.equal(pkjwt[name].name, name);
    }
    assert.ok(Object.prototype.isPrototypeOf.call(Error.prototype, PkjwtError.prototype), 'PkjwtError extends Error');
    assert.equal(pkjwt.requestToken.constructor.name, 'AsyncFunction');
    for (const name of ['kty', 'alg', 'kid', 'isPrivate']) {
      const descriptor = Object.getOwnPropertyDescriptor(Key.prototype, name);
      assert.equal(typeof descriptor?.get, 'function', `Key#${name} is a getter`);
      assert.equal(descriptor.set, undefined, `Key#${name} is read-only`);
    }
    for (const name of ['publicKey', 'toJwk', 'toPem', 'thumbprint']) {
      assert.equal(typeof Key.prototype[name], 'function', `Key#${name}`);
    }
    let proto = ReplayCache.prototype;
    while (proto && !Object.getOwnPropertyDescriptor(proto, 'size')) proto = Object.getPrototypeOf(proto);
    assert.equal(typeof Object.getOwnPropertyDescriptor(proto, 'size')?.get, 'function', 'ReplayCache#size is a getter');
  });

  test('the extra names of index.d.ts', () => {
    assert.equal(CLIENT_ASSERTION_TYPE, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    assert.equal(typeof certificateThumbprints, 'function');
    assert.equal(typeof isPkjwtError, 'function');
  });

  test('the runtime exports are exactly the names index.d.ts declares', () => {
    const dts = readFileSync(path.join(path.dirname(require.resolve('pkjwt/package.json')), 'index.d.ts'), 'utf8');
    const declared = [...dts.matchAll(/^export declare (?:function|class|const) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
    assert.deepEqual(Object.keys(pkjwt).sort(), [...new Set(declared)].sort());
  });
});

// ---------------------------------------------------------------------------------------------
describe('Key', () => {
  const EXPECT = {
    RSA: { kty: 'RSA', alg: 'RS256', members: ['e', 'n'], privateMembers: ['d', 'p', 'q', 'dp', 'dq', 'qi'] },
    'EC P-256': { kty: 'EC', alg: 'ES256', crv: 'P-256', members: ['crv', 'x', 'y'], privateMembers: ['d'] },
    'EC P-384': { kty: 'EC', alg: 'ES384', crv: 'P-384', members: ['crv', 'x', 'y'], privateMembers: ['d'] },
    OKP: { kty: 'OKP', alg: 'EdDSA', crv: 'Ed25519', members: ['crv', 'x'], privateMembers: ['d'] },
  };

  for (const [label, key] of Object.entries(KEYS)) {
    const expect = EXPECT[label];
    test(`${label}: getters, publicKey(), toJwk, toPem, thumbprint`, () => {
      assert.ok(key instanceof Key);
      assert.equal(key.kty, expect.kty);
      assert.equal(key.alg, expect.alg);
      assert.equal(key.isPrivate, true);
      assert.match(key.kid, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(key.kid, key.thumbprint(), 'kid defaults to the RFC 7638 thumbprint');

      const pub = key.publicKey();
      assert.ok(pub instanceof Key);
      assert.notEqual(pub, key);
      assert.equal(pub.isPrivate, false);
      assert.equal(pub.kty, key.kty);
      assert.equal(pub.alg, key.alg);
      assert.equal(pub.kid, key.kid);
      assert.equal(pub.thumbprint(), key.thumbprint());
      assert.equal(pub.publicKey().isPrivate, false);

      const jwk = key.toJwk();
      assert.deepEqual(jwk, pub.toJwk());
      assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'kid', 'kty', 'use', ...expect.members].sort());
      assert.equal(jwk.kty, expect.kty);
      assert.equal(jwk.alg, expect.alg);
      assert.equal(jwk.kid, key.kid);
      assert.equal(jwk.use, 'sig');
      if (expect.crv) assert.equal(jwk.crv, expect.crv);
      assert.deepEqual(key.toJwk({}), jwk);
      assert.deepEqual(key.toJwk({ private: false }), jwk);
      assert.deepEqual(JSON.parse(JSON.stringify(key)), jwk, 'toJSON is the public JWK');

      assert.match(key.toPem(), /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/);
      assert.match(pub.toPem(), /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n?$/);
    });

    test(`${label}: toJwk({ private: true }) and toPem() round-trip through importKey`, () => {
      const full = key.toJwk({ private: true });
      for (const member of expect.privateMembers) assert.equal(typeof full[member], 'string', member);
      const { d, p, q, dp, dq, qi, ...publicPart } = full;
      assert.deepEqual(publicPart, key.toJwk());

      for (const [how, input] of [['private JWK', full], ['private JWK text', JSON.stringify(full)], ['PKCS#8 PEM', key.toPem()]]) {
        const back = importKey(input);
        assert.equal(back.isPrivate, true, how);
        assert.equal(back.kty, key.kty, how);
        assert.equal(back.thumbprint(), key.thumbprint(), how);
        assert.equal(back.kid, key.kid, how);
        assert.equal(back.alg, how === 'PKCS#8 PEM' ? undefined : key.alg, how);
        assert.deepEqual(back.toJwk({ private: true }), how === 'PKCS#8 PEM' ? (({ alg, ...rest }) => rest)(full) : full, how);
        // The re-imported private key signs what the original's public half verifies.
        const token = createClientAssertion({ clientId, audience, key: back, alg: key.alg });
        verifyClientAssertion(token, { audience, clientId, keys: key.publicKey() });
      }
      const pubBack = importKey(key.publicKey().toPem());
      assert.equal(pubBack.isPrivate, false);
      assert.equal(pubBack.thumbprint(), key.thumbprint());
      throwsPkjwt(() => createClientAssertion({ clientId, audience, key: pubBack }), 'ERR_INVALID_ARGUMENT');
    });
  }

  test('generateKey and importKey take a kid', () => {
    const key = generateKey('ES256', { kid: 'my-key-1' });
    assert.equal(key.kid, 'my-key-1');
    assert.equal(key.toJwk().kid, 'my-key-1');
    assert.notEqual(key.thumbprint(), 'my-key-1');
    assert.equal(key.publicKey().kid, 'my-key-1');
    assert.equal(importKey(key.toJwk()).kid, 'my-key-1', "a JWK's own kid is kept");
    assert.equal(importKey(key.toJwk(), { kid: 'other' }).kid, 'other');
    assert.equal(importKey(key.toPem()).kid, key.thumbprint(), 'PEM carries no kid: the thumbprint');
    assert.equal(generateKey('Ed25519').alg, 'Ed25519');
  });

  test('a Key is immutable', () => {
    const key = generateKey('ES256', { kid: 'fixed' });
    for (const [name, value] of [['kid', 'changed'], ['alg', 'RS256'], ['kty', 'RSA'], ['isPrivate', false]]) {
      const before = key[name];
      assert.throws(() => { key[name] = value; }, TypeError, `assigning ${name} throws in strict mode`);
      assert.equal(key[name], before);
    }
    const jwk = key.toJwk();
    jwk.kid = 'mutated';
    assert.equal(key.kid, 'fixed', 'toJwk returns a copy');
  });

  test('printing a private key never shows its private members', () => {
    for (const [label, key] of Object.entries(KEYS)) {
      const full = key.toJwk({ private: true });
      const secrets = [];
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
        if (full[member] === undefined) continue;
        const bytes = Buffer.from(full[member], 'base64url');
        secrets.push(full[member], bytes.toString('base64'), bytes.toString('hex'), bytes.toString('hex').toUpperCase());
      }
      const pemLines = key.toPem().split('\n').filter((line) => line && !line.startsWith('-----'));
      secrets.push(...pemLines);

      const outputs = {
        'util.inspect': util.inspect(key),
        'util.inspect(showHidden, depth, getters)': util.inspect(key, { showHidden: true, depth: Infinity, getters: true }),
        'util.inspect nested': util.inspect({ nested: [key, new Map([['k', key]])] }, { depth: Infinity }),
        String: String(key),
        template: `${key}`,
        concat: '' + key,
        toString: key.toString(),
        'JSON.stringify': JSON.stringify(key),
        'JSON.stringify nested': JSON.stringify({ key, list: [key] }),
        'util.format': util.format('%s %o %O %j %d', key, key, key, key, key),
        'structuredClone + inspect': util.inspect(structuredClone({ ...key })),
        'Object.entries': JSON.stringify(Object.entries(key)),
      };
      let captured = '';
      const sink = new Writable({ write(chunk, _encoding, done) { captured += chunk; done(); } });
      const logger = new Console({ stdout: sink, stderr: sink, colorMode: false });
      logger.log(key);
      logger.log('%o', key);
      logger.error(key);
      logger.dir(key, { showHidden: true, depth: null });
      logger.table([key]);
      logger.log({ key });
      outputs['console.*'] = captured;

      for (const [how, text] of Object.entries(outputs)) {
        for (const secret of secrets) {
          assert.ok(!text.includes(secret), `${label}: ${how} shows private material`);
        }
      }
      assert.match(util.inspect(key), new RegExp(key.kid), `${label}: inspect shows the kid`);
      assert.ok(!String(key).includes('[object'), `${label}: String(key) is descriptive`);
    }
  });

  test('error messages never echo private key material', () => {
    const full = ec.toJwk({ private: true });
    for (const input of [{ ...full, alg: 'HS256' }, { ...full, crv: 'P-384' }, { ...full, x: full.d }, { ...full, kty: 'oct' }]) {
      try {
        importKey(input);
        assert.fail('imported a bad JWK');
      } catch (error) {
        assert.ok(isPkjwtError(error), error?.message);
        assert.ok(!error.message.includes(full.d), `message echoes d: ${error.message}`);
        assert.ok(!util.inspect(error).includes(full.d), 'inspect(error) echoes d');
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('errors', () => {
  test('verification failures are PkjwtError with code, claim and reason', () => {
    const token = createClientAssertion({ clientId, audience, key: ec });
    const aud = throwsPkjwt(() => verifyClientAssertion(token, { audience: 'https://other.example', keys: ec }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'aud', reason: 'mismatch' });
    assert.ok(aud instanceof Error);
    assert.ok(aud instanceof PkjwtError);
    assert.ok(isPkjwtError(aud));
    assert.equal(aud.name, 'PkjwtError');
    assert.equal(typeof aud.stack, 'string');
    assert.match(String(aud), /^PkjwtError: /);

    throwsPkjwt(() => verifyClientAssertion(token, { audience, keys: ec, clientId: 'someone-else' }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'iss', reason: 'mismatch' });
    const old = createClientAssertion({ clientId, audience, key: ec, now: nowSeconds() - 3600 });
    throwsPkjwt(() => verifyClientAssertion(old, { audience, keys: ec }), 'ERR_JWT_EXPIRED', { claim: 'exp' });
    const sig = throwsPkjwt(() => verifyClientAssertion(token, { audience, keys: importKey(generateKey('ES256').toJwk(), { kid: ec.kid }) }),
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    assert.equal(sig.claim, undefined);
    assert.equal(sig.reason, undefined);
    throwsPkjwt(() => verifyClientAssertion(token, { audience, keys: KEYS.OKP }), 'ERR_JWKS_NO_MATCHING_KEY');
    throwsPkjwt(() => verifyClientAssertion(token, { audience, keys: ec, algorithms: ['RS256'] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
    throwsPkjwt(() => verifyClientAssertion('a.b', { audience, keys: ec }), 'ERR_JWS_INVALID');
    throwsPkjwt(() => decodeJwt('x'), 'ERR_JWS_INVALID');
    throwsPkjwt(() => importKey({ kty: 'oct', k: 'AAAA' }), 'ERR_JOSE_NOT_SUPPORTED');
    throwsPkjwt(() => importKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'), 'ERR_JWK_INVALID');
    throwsPkjwt(() => generateKey('HS256'), 'ERR_JOSE_ALG_NOT_ALLOWED');
    throwsPkjwt(() => generateKey('none'), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  test('isPkjwtError', () => {
    assert.equal(isPkjwtError(new Error('x')), false);
    assert.equal(isPkjwtError(null), false);
    assert.equal(isPkjwtError(undefined), false);
    assert.equal(isPkjwtError('PkjwtError'), false);
    assert.equal(isPkjwtError({ name: 'PkjwtError', code: 'ERR_JWT_INVALID' }), false, 'a plain object is not an error');
    const foreign = Object.assign(new Error('from another copy'), { name: 'PkjwtError', code: 'ERR_JWT_INVALID' });
    assert.equal(isPkjwtError(foreign), true, 'a PkjwtError of another copy of the package');
  });

  test('errors thrown by Key methods and the ReplayCache constructor are PkjwtError instances', () => {
    throwsPkjwt(() => ec.publicKey().toJwk({ private: true }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => ec.toJwk({ private: 'yes' }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => ec.toJwk(5), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => new ReplayCache({ maxEntries: 0 }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => new ReplayCache(5), 'ERR_INVALID_ARGUMENT');
  });

  test('the same failures from Key methods and ReplayCache carry the code and are no wasm trap', () => {
    for (const fn of [() => ec.publicKey().toJwk({ private: true }), () => ec.toJwk(5), () => new ReplayCache({ maxEntries: 0 })]) {
      let error;
      try { fn(); } catch (e) { error = e; }
      assert.ok(error instanceof Error && !(error instanceof WebAssembly.RuntimeError));
      assert.ok(isPkjwtError(error));
      assert.equal(error.code, 'ERR_INVALID_ARGUMENT');
      roundTrip();
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('wrong arguments are ERR_INVALID_ARGUMENT, never a wasm trap', () => {
  const token = createClientAssertion({ clientId, audience, key: ec });
  const ok = { clientId, audience, key: ec };
  const vOk = { audience, keys: ec };
  const CASES = [
    ['verifyClientAssertion(number)', () => verifyClientAssertion(123, vOk)],
    ['verifyClientAssertion(undefined)', () => verifyClientAssertion(undefined, vOk)],
    ['verifyClientAssertion without options', () => verifyClientAssertion(token)],
    ['verifyClientAssertion(token, null)', () => verifyClientAssertion(token, null)],
    ['verifyClientAssertion(token, "opts")', () => verifyClientAssertion(token, 'opts')],
    ['verifyClientAssertion unknown option lifeTime', () => verifyClientAssertion(token, { ...vOk, lifeTime: 60 })],
    ['verifyClientAssertion unknown option issuer', () => verifyClientAssertion(token, { ...vOk, issuer: audience })],
    ['verifyClientAssertion without audience', () => verifyClientAssertion(token, { keys: ec })],
    ['verifyClientAssertion audience number', () => verifyClientAssertion(token, { ...vOk, audience: 5 })],
    ['verifyClientAssertion audience []', () => verifyClientAssertion(token, { ...vOk, audience: [] })],
    ['verifyClientAssertion without keys', () => verifyClientAssertion(token, { audience })],
    ['verifyClientAssertion keys number', () => verifyClientAssertion(token, { ...vOk, keys: 5 })],
    ['verifyClientAssertion keys {}', () => verifyClientAssertion(token, { ...vOk, keys: {} })],
    ['verifyClientAssertion keys [5]', () => verifyClientAssertion(token, { ...vOk, keys: [5] })],
    ['verifyClientAssertion keys "pem"', () => verifyClientAssertion(token, { ...vOk, keys: ec.publicKey().toPem() })],
    ['verifyClientAssertion replayCache {}', () => verifyClientAssertion(token, { ...vOk, replayCache: {} })],
    ['verifyClientAssertion algorithms [5]', () => verifyClientAssertion(token, { ...vOk, algorithms: [5] })],
    ['verifyClientAssertion algorithms []', () => verifyClientAssertion(token, { ...vOk, algorithms: [] })],
    ['verifyClientAssertion clockTolerance "x"', () => verifyClientAssertion(token, { ...vOk, clockTolerance: 'x' })],
    ['verifyClientAssertion clockTolerance -1', () => verifyClientAssertion(token, { ...vOk, clockTolerance: -1 })],
    ['verifyClientAssertion maxLifetime 0', () => verifyClientAssertion(token, { ...vOk, maxLifetime: 0 })],
    ['verifyClientAssertion requireJti "yes"', () => verifyClientAssertion(token, { ...vOk, requireJti: 'yes' })],
    ['verifyClientAssertion now NaN', () => verifyClientAssertion(token, { ...vOk, now: NaN })],
    ['createClientAssertion()', () => createClientAssertion()],
    ['createClientAssertion(null)', () => createClientAssertion(null)],
    ['createClientAssertion([])', () => createClientAssertion([])],
    ['createClientAssertion unknown option lifeTime', () => createClientAssertion({ ...ok, lifeTime: 60 })],
    ['createClientAssertion unknown option issuer', () => createClientAssertion({ ...ok, issuer: 'x' })],
    ['createClientAssertion key {}', () => createClientAssertion({ ...ok, key: {} })],
    ['createClientAssertion key = private JWK', () => createClientAssertion({ ...ok, key: ec.toJwk({ private: true }) })],
    ['createClientAssertion key = PEM', () => createClientAssertion({ ...ok, key: ec.toPem() })],
    ['createClientAssertion without key', () => createClientAssertion({ clientId, audience })],
    ['createClientAssertion key = Key.prototype-derived object', () => createClientAssertion({ ...ok, key: Object.create(null) })],
    ['createClientAssertion public key', () => createClientAssertion({ ...ok, key: ec.publicKey() })],
    ['createClientAssertion clientId number', () => createClientAssertion({ ...ok, clientId: 5 })],
    ['createClientAssertion clientId ""', () => createClientAssertion({ ...ok, clientId: '' })],
    ['createClientAssertion without audience', () => createClientAssertion({ clientId, key: ec })],
    ['createClientAssertion audience array', () => createClientAssertion({ ...ok, audience: [audience] })],
    ['createClientAssertion lifetime "60"', () => createClientAssertion({ ...ok, lifetime: '60' })],
    ['createClientAssertion lifetime 3601', () => createClientAssertion({ ...ok, lifetime: 3601 })],
    ['createClientAssertion lifetime 0', () => createClientAssertion({ ...ok, lifetime: 0 })],
    ['createClientAssertion lifetime 1.5', () => createClientAssertion({ ...ok, lifetime: 1.5 })],
    ['createClientAssertion lifetime Infinity', () => createClientAssertion({ ...ok, lifetime: Infinity })],
    ['createClientAssertion kid 5', () => createClientAssertion({ ...ok, kid: 5 })],
    ['createClientAssertion typ 5', () => createClientAssertion({ ...ok, typ: 5 })],
    ['createClientAssertion claims "x"', () => createClientAssertion({ ...ok, claims: 'x' })],
    ['createClientAssertion claims overriding iss', () => createClientAssertion({ ...ok, claims: { iss: 'x' } })],
    ['createClientAssertion claims overriding exp', () => createClientAssertion({ ...ok, claims: { exp: 1 } })],
    ['createClientAssertion claims with a BigInt', () => createClientAssertion({ ...ok, claims: { n: 1n } })],
    ['createClientAssertion jti ""', () => createClientAssertion({ ...ok, jti: '' })],
    ['createClientAssertion now "now"', () => createClientAssertion({ ...ok, now: 'now' })],
    ['createClientAssertion alg Symbol', () => createClientAssertion({ ...ok, alg: Symbol('ES256') })],
    ['generateKey(5)', () => generateKey(5)],
    ['generateKey()', () => generateKey()],
    ['generateKey("ES256", 5)', () => generateKey('ES256', 5)],
    ['generateKey modulusLength "4096"', () => generateKey('RS256', { modulusLength: '4096' })],
    ['generateKey modulusLength 1024', () => generateKey('RS256', { modulusLength: 1024 })],
    ['generateKey modulusLength 2049', () => generateKey('RS256', { modulusLength: 2049 })],
    ['generateKey modulusLength 1e9', () => generateKey('RS256', { modulusLength: 1e9 })],
    ['generateKey kid 5', () => generateKey('ES256', { kid: 5 })],
    ['importKey(5)', () => importKey(5)],
    ['importKey(null)', () => importKey(null)],
    ['importKey()', () => importKey()],
    ['importKey([])', () => importKey([])],
    ['importKey(Symbol)', () => importKey(Symbol('k'))],
    ['importKey(function)', () => importKey(() => 1)],
    ['importKey kid 5', () => importKey(ec.toJwk(), { kid: 5 })],
    ['toJwks(key)', () => toJwks(ec)],
    ['toJwks([{}])', () => toJwks([{}])],
    ['toJwks([jwk])', () => toJwks([ec.toJwk()])],
    ['clientAuthParams(5)', () => clientAuthParams(5)],
    ['decodeJwt(5)', () => decodeJwt(5)],
    ['decodeJwt()', () => decodeJwt()],
    ['certificateThumbprints(5)', () => certificateThumbprints(5)],
  ];

  for (const [label, fn] of CASES) {
    test(label, () => {
      throwsPkjwt(fn, 'ERR_INVALID_ARGUMENT');
      roundTrip();
    });
  }

  test('unknown option names of generateKey and importKey are refused like the others', () => {
    throwsPkjwt(() => generateKey('ES256', { modulusLenght: 4096 }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => importKey(ec.toJwk(), { algorithm: 'ES256' }), 'ERR_INVALID_ARGUMENT');
    roundTrip();
  });

  test('a JWK that JSON cannot serialise is ERR_JWK_INVALID or ERR_INVALID_ARGUMENT, not a TypeError', () => {
    let error;
    try { verifyClientAssertion(token, { audience, keys: [{ kty: 'EC', x: 1n }] }); } catch (e) { error = e; }
    assertPkjwtError(error, error?.code);
    assert.ok(['ERR_JWK_INVALID', 'ERR_INVALID_ARGUMENT'].includes(error.code), error.code);
  });

  test('a freed Key or `new Key()` is ERR_INVALID_ARGUMENT, not a bare "null pointer passed to rust"', () => {
    const freed = generateKey('ES256');
    freed.free();
    throwsPkjwt(() => createClientAssertion({ ...ok, key: freed }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => verifyClientAssertion(token, { audience, keys: freed }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => createClientAssertion({ ...ok, key: new Key() }), 'ERR_INVALID_ARGUMENT');
  });

  test('hostile values never trap the wasm module', () => {
    const throwingOptions = new Proxy({}, { get() { throw new Error('trap in a getter'); }, ownKeys() { return ['clientId']; } });
    const deep = (() => { let o = {}; for (let i = 0; i < 10000; i++) o = { o }; return o; })();
    const hostile = [
      () => verifyClientAssertion('a'.repeat(5_000_000), vOk),
      () => verifyClientAssertion(`${'A'.repeat(100)}.${'B'.repeat(100)}.${'C'.repeat(100)}`, vOk),
      () => verifyClientAssertion('\ud800.\udfff.x', vOk),
      () => decodeJwt(`${Buffer.from(`{"alg":"ES256","x":${'['.repeat(5000)}${']'.repeat(5000)}}`).toString('base64url')}.e30.AA`),
      () => createClientAssertion({ ...ok, claims: { deep } }),
      () => createClientAssertion(throwingOptions),
      () => importKey({ kty: 'RSA', n: Buffer.alloc(2000, 0xff).toString('base64url'), e: Buffer.alloc(600, 0xff).toString('base64url') }),
      () => importKey({ kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) }),
      () => importKey({ kty: 'OKP', crv: 'Ed25519', x: '' }),
      () => importKey(new Uint8Array(1_000_000)),
      () => importKey(`-----BEGIN PRIVATE KEY-----\n${'A'.repeat(100_000)}\n-----END PRIVATE KEY-----\n`),
      () => importKey('\u0000'),
      () => generateKey('RS256', { modulusLength: 2 ** 53 }),
      () => new ReplayCache({ maxEntries: 2 ** 53 }),
    ];
    for (const fn of hostile) {
      try {
        fn();
      } catch (error) {
        assert.ok(!(error instanceof WebAssembly.RuntimeError), `wasm trap: ${error.message}`);
        assert.ok(isPkjwtError(error) || error.message === 'trap in a getter', `unexpected ${error?.name}: ${error?.message}`);
      }
      roundTrip();
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('assertions, verification, JWKS', () => {
  test('createClientAssertion defaults and options', () => {
    const now = 1_700_000_000;
    const token = createClientAssertion({ clientId, audience, key: ec, now, jti: 'fixed-jti', claims: { extra: [1, 'two'] } });
    const { header, payload } = splitJws(token);
    assert.deepEqual(header, { alg: 'ES256', kid: ec.kid, typ: 'client-authentication+jwt' });
    assert.deepEqual(payload, { iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 60, jti: 'fixed-jti', extra: [1, 'two'] });
    const bare = splitJws(createClientAssertion({ clientId, audience, key: ec, kid: null, typ: null, lifetime: 3600, now }));
    assert.deepEqual(bare.header, { alg: 'ES256' });
    assert.equal(bare.payload.exp, now + 3600);
    const jtis = new Set(Array.from({ length: 50 }, () => splitJws(createClientAssertion({ clientId, audience, key: ec })).payload.jti));
    assert.equal(jtis.size, 50, 'a fresh jti per call');
    assert.deepEqual(decodeJwt(token).payload, payload);
    assert.deepEqual(decodeJwt(token).header, header);
    assert.equal(decodeJwt(token).signingInput, token.split('.').slice(0, 2).join('.'));
    assert.equal(decodeJwt(token).signature, token.split('.')[2]);
    assert.deepEqual(clientAuthParams(token), { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: token });
  });

  test('verifyClientAssertion returns header, payload and the matching Key', () => {
    const other = generateKey('ES256');
    const token = createClientAssertion({ clientId, audience, key: ec });
    for (const keys of [ec, ec.publicKey(), [other, ec.publicKey()], [other.toJwk(), ec.toJwk()], { keys: [other.toJwk(), ec.toJwk()] }, toJwks([other, ec])]) {
      const result = verifyClientAssertion(token, { audience: [audience, 'https://as.example.com/token'], clientId, keys });
      assert.deepEqual(Object.keys(result).sort(), ['header', 'key', 'payload']);
      assert.ok(result.key instanceof Key);
      assert.equal(result.key.kid, ec.kid);
      assert.equal(result.key.thumbprint(), ec.thumbprint());
      assert.equal(result.payload.iss, clientId);
    }
    const noKid = createClientAssertion({ clientId, audience, key: ec, kid: null });
    assert.equal(verifyClientAssertion(noKid, { audience, keys: [other, ec] }).key.thumbprint(), ec.thumbprint());
  });

  test('toJwks holds public keys only', () => {
    const jwks = toJwks(Object.values(KEYS));
    assert.equal(jwks.keys.length, 4);
    for (const jwk of jwks.keys) {
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(jwk[member], undefined);
      assert.equal(jwk.use, 'sig');
      assert.equal(typeof jwk.kid, 'string');
    }
    assert.deepEqual(toJwks([]), { keys: [] });
  });

  test('ReplayCache: size, replays, bounded', () => {
    const cache = new ReplayCache({ maxEntries: 2 });
    assert.equal(cache.size, 0);
    const tokens = [0, 1, 2].map(() => createClientAssertion({ clientId, audience, key: ec }));
    verifyClientAssertion(tokens[0], { audience, keys: ec, replayCache: cache });
    assert.equal(cache.size, 1);
    throwsPkjwt(() => verifyClientAssertion(tokens[0], { audience, keys: ec, replayCache: cache }), 'ERR_JWT_REPLAYED');
    verifyClientAssertion(tokens[1], { audience, keys: ec, replayCache: cache });
    assert.equal(cache.size, 2);
    throwsPkjwt(() => verifyClientAssertion(tokens[2], { audience, keys: ec, replayCache: cache }), 'ERR_REPLAY_CACHE_FULL');
    // A failed verification records nothing.
    const fresh = new ReplayCache();
    throwsPkjwt(() => verifyClientAssertion(tokens[2], { audience: 'https://x.example', keys: ec, replayCache: fresh }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED');
    assert.equal(fresh.size, 0);
    verifyClientAssertion(tokens[2], { audience, keys: ec, replayCache: null });
  });

  test('a registered JWK Set that also holds an encryption key still verifies', () => {
    const token = createClientAssertion({ clientId, audience, key: ec });
    const encryption = { ...generateKey('ES256').toJwk(), use: 'enc', alg: 'ECDH-ES', kid: 'enc-1' };
    const rsaEnc = { ...rsa.toJwk(), use: 'enc', alg: 'RSA-OAEP-256', kid: 'enc-2' };
    const result = verifyClientAssertion(token, { audience, clientId, keys: { keys: [encryption, rsaEnc, ec.toJwk()] } });
    assert.equal(result.key.kid, ec.kid, 'the returned key is the one that verified, not the one at the same index');
  });
});

// ---------------------------------------------------------------------------------------------
describe('CommonJS', () => {
  test('require("pkjwt") via createRequire returns the same module as the ESM import', () => {
    const cjs = require('pkjwt');
    assert.equal(cjs.Key, Key);
    assert.equal(cjs.PkjwtError, PkjwtError);
    assert.equal(cjs.verifyClientAssertion, verifyClientAssertion);
    assert.deepEqual(Object.keys(cjs).sort(), Object.keys(pkjwt).sort());
  });

  test('a CommonJS file requiring pkjwt gets the same Key class', () => {
    const fromCjsFile = require('./helpers/require-pkjwt.cjs');
    assert.equal(fromCjsFile.Key, Key);
    const key = fromCjsFile.generateKey('ES256');
    assert.ok(key instanceof Key);
    roundTrip();
    verifyClientAssertion(createClientAssertion({ clientId, audience, key }), { audience, keys: key });
  });

  test('plain require() in a CommonJS process', () => {
    const script = "const p = require('pkjwt'); const k = p.generateKey('ES256');"
      + " const t = p.createClientAssertion({ clientId: 'c', audience: 'a', key: k });"
      + " process.stdout.write(JSON.stringify({ Key: typeof p.Key, kty: k.kty, iss: p.verifyClientAssertion(t, { audience: 'a', keys: k }).payload.iss }));";
    const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
    const out = execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], { cwd: repo, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { Key: 'function', kty: 'EC', iss: 'c' });
  });
});

// ---------------------------------------------------------------------------------------------
describe('random source on Node (pkg/node.js: /dev/urandom, else WebCrypto)', () => {
  const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
  // Keys are generated (random), PS256 signs with a random salt, identifiers come from the pool;
  // every token must verify and every jti differ. The last field tells whether Node loaded WebCrypto.
  const script = "const p = await import('pkjwt');"
    + " const keys = [p.generateKey('PS256', { modulusLength: 2048 }), p.generateKey('ES256'), p.generateKey('EdDSA')];"
    + " const jtis = new Set();"
    + " for (let i = 0; i < 40; i++) for (const key of keys) {"
    + "   const t = p.createClientAssertion({ clientId: 'c', audience: 'a', key });"
    + "   jtis.add(p.verifyClientAssertion(t, { audience: 'a', keys: key }).payload.jti); }"
    + " process.stdout.write(JSON.stringify({ distinct: jtis.size,"
    + "   webcrypto: process.moduleLoadList.includes('NativeModule internal/crypto/webcrypto') }));";
  const run = (flags) => JSON.parse(execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script],
    { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));

  test('reads the kernel source and never loads WebCrypto', { skip: process.platform === 'win32' }, () => {
    assert.deepEqual(run([]), { distinct: 120, webcrypto: false });
  });

  test('falls back to WebCrypto where /dev/urandom cannot be opened (permission model)', () => {
    assert.deepEqual(run(['--experimental-permission', `--allow-fs-read=${repo}/*`]), { distinct: 120, webcrypto: true });
  });

  test('refuses a /dev/urandom that is a plain file (all zeros here) and falls back to WebCrypto', () => {
    const zeros = path.join(tmpdir(), `pkjwt-zeros-${process.pid}`);
    writeFileSync(zeros, Buffer.alloc(1 << 16));
    const redirect = path.join(tmpdir(), `pkjwt-redirect-${process.pid}.mjs`);
    writeFileSync(redirect, "const fs = process.getBuiltinModule('node:fs'); const open = fs.openSync;"
      + ` fs.openSync = (file, ...rest) => open(file === '/dev/urandom' ? ${JSON.stringify(zeros)} : file, ...rest);`);
    try {
      assert.deepEqual(run(['--import', redirect]), { distinct: 120, webcrypto: true });
    } finally {
      rmSync(zeros, { force: true });
      rmSync(redirect, { force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('requestToken', () => {
  const base = { tokenEndpoint: 'https://as.example.com/token', clientId, key: ec, audience, params: { grant_type: 'client_credentials' } };
  const jsonResponse = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  test('posts a form with a fresh assertion and resolves to the parsed JSON', async () => {
    const seen = [];
    const fetch = async (url, init) => {
      seen.push({ url: String(url), init });
      return jsonResponse(200, { access_token: 'at', token_type: 'Bearer', expires_in: 60 });
    };
    const result = await requestToken({ ...base, params: { grant_type: 'client_credentials', scope: 'api', client_id: 'evil', client_assertion: 'forged' }, fetch });
    assert.deepEqual(result, { access_token: 'at', token_type: 'Bearer', expires_in: 60 });
    assert.equal(seen.length, 1);
    const { url, init } = seen[0];
    assert.equal(url, base.tokenEndpoint);
    assert.equal(init.method, 'POST');
    const headers = new Headers(init.headers);
    assert.equal(headers.get('content-type'), 'application/x-www-form-urlencoded');
    assert.match(headers.get('accept'), /application\/json/);
    assert.ok(init.signal instanceof AbortSignal, 'the request can time out');
    const form = new URLSearchParams(String(init.body));
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('scope'), 'api');
    assert.deepEqual(form.getAll('client_id'), [clientId], 'client_id is the assertion\'s, once');
    assert.deepEqual(form.getAll('client_assertion_type'), [CLIENT_ASSERTION_TYPE]);
    const [assertion, ...more] = form.getAll('client_assertion');
    assert.equal(more.length, 0);
    assert.notEqual(assertion, 'forged');
    const { payload } = verifyClientAssertion(assertion, { audience, clientId, keys: ec.publicKey() });
    assert.equal(payload.aud, audience);
  });

  test('a fetch that throws: ERR_TOKEN_REQUEST_FAILED with the cause', async () => {
    const cause = new TypeError('fetch failed');
    const promise = requestToken({ ...base, fetch: async () => { throw cause; } });
    assert.ok(promise instanceof Promise);
    const error = await rejectsPkjwt(promise, 'ERR_TOKEN_REQUEST_FAILED');
    assert.equal(error.cause, cause);
    assert.equal(error.status, undefined);
    await rejectsPkjwt(requestToken({ ...base, fetch: () => { throw new Error('sync throw'); } }), 'ERR_TOKEN_REQUEST_FAILED');
  });

  test('a refused connection on loopback: ERR_TOKEN_REQUEST_FAILED', async () => {
    const net = await import('node:net');
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    await rejectsPkjwt(requestToken({ ...base, tokenEndpoint: `http://127.0.0.1:${port}/token` }), 'ERR_TOKEN_REQUEST_FAILED');
  });

  test('an OAuth error response: status, error, errorDescription', async () => {
    const error = await rejectsPkjwt(requestToken({
      ...base, fetch: async () => jsonResponse(401, { error: 'invalid_client', error_description: 'no key matched' }),
    }), 'ERR_TOKEN_REQUEST_FAILED', { status: 401, error: 'invalid_client', errorDescription: 'no key matched' });
    assert.match(error.message, /invalid_client/);
    await rejectsPkjwt(requestToken({ ...base, fetch: async () => new Response('<html>Bad Gateway</html>', { status: 502 }) }),
      'ERR_TOKEN_REQUEST_FAILED', { status: 502, error: undefined });
    await rejectsPkjwt(requestToken({ ...base, fetch: async () => new Response('not json', { status: 200 }) }),
      'ERR_TOKEN_REQUEST_FAILED', { status: 200 });
  });

  test('the timeout aborts the request', async () => {
    // AbortSignal.timeout's timer does not keep the event loop alive (a real fetch's socket
    // does): hold a ref'd timer until the abort.
    const hanging = (_url, init) => new Promise((_resolve, reject) => {
      const keepAlive = setTimeout(() => reject(new Error('never aborted')), 5000);
      init.signal.addEventListener('abort', () => { clearTimeout(keepAlive); reject(init.signal.reason); }, { once: true });
    });
    const started = Date.now();
    await rejectsPkjwt(requestToken({ ...base, timeout: 0.05, fetch: hanging }), 'ERR_TOKEN_REQUEST_FAILED');
    assert.ok(Date.now() - started < 5000);
  });

  test('bad arguments reject with ERR_INVALID_ARGUMENT before any request', async () => {
    let calls = 0;
    const fetch = async () => { calls += 1; return jsonResponse(200, {}); };
    for (const opts of [
      undefined,
      { ...base, fetch, key: {} },
      { ...base, fetch, key: ec.publicKey() },
      { ...base, fetch, lifeTime: 60 },
      { ...base, fetch, tokenEndpoint: 5 },
      { ...base, fetch, params: {} },
      { ...base, fetch, params: null },
      { ...base, fetch, params: { grant_type: 'client_credentials', n: 5 } },
      { ...base, fetch: 'not a function' },
    ]) {
      await rejectsPkjwt(requestToken(opts), 'ERR_INVALID_ARGUMENT');
    }
    assert.equal(calls, 0);
  });

  test('an invalid timeout is ERR_INVALID_ARGUMENT', async () => {
    await rejectsPkjwt(requestToken({ ...base, timeout: 'abc', fetch: async () => jsonResponse(200, {}) }), 'ERR_INVALID_ARGUMENT');
    await rejectsPkjwt(requestToken({ ...base, timeout: -1, fetch: async () => jsonResponse(200, {}) }), 'ERR_INVALID_ARGUMENT');
  });

  test('a response body that fails mid-read is ERR_TOKEN_REQUEST_FAILED', async () => {
    const fetch = async () => ({ ok: true, status: 200, text: async () => { throw new TypeError('terminated'); } });
    await rejectsPkjwt(requestToken({ ...base, fetch }), 'ERR_TOKEN_REQUEST_FAILED');
  });

  test('a 200 response that is not a JSON object is ERR_TOKEN_REQUEST_FAILED', async () => {
    await rejectsPkjwt(requestToken({ ...base, fetch: async () => jsonResponse(200, ['access_token']) }), 'ERR_TOKEN_REQUEST_FAILED');
  });
});
