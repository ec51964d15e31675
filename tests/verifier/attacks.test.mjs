// The attack catalogue of research/verifier.md §3, row by row, through ClientAssertionVerifier.verify:
// every forged assertion is refused with the expected code, and its errorResponse is a 401
// invalid_client whose description keeps to RFC 6749 §5.2's characters and never echoes the token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { ClientAssertionVerifier, generateKey, toJwks } from 'pkjwt';
import { rejectsPkjwt } from '../js/helpers/assert.mjs';
import { ISSUER, assertClientError, claims, forge, nodeSigner, startJwksServer } from './helpers.mjs';

const ec = generateKey('ES256', { kid: 'ec' });
const ec2 = generateKey('ES256', { kid: 'ec2' });
const rsaKey = generateKey('RS256', { kid: 'rsa' });
const attacker = generateKey('ES256', { kid: 'ec' }); // same kid as the client's key
const registry = new Map([
  ['ec-client', { jwks: toJwks([ec]) }],
  ['rsa-client', { jwks: toJwks([rsaKey]) }],
  ['two-keys', { jwks: { keys: toJwks([ec, ec2]).keys.map(({ kid, ...jwk }) => jwk) } }],
  ['café', { jwks: toJwks([ec]) }],
]);

let server;
let verifier;
before(async () => {
  server = await startJwksServer();
  server.state.jwks = toJwks([ec]);
  registry.set('remote', { jwksUri: server.url('/jwks') });
  verifier = new ClientAssertionVerifier({ issuer: ISSUER, getClient: (id) => registry.get(id) });
});
after(async () => { await server?.close(); });

const es256 = nodeSigner(ec, 'ES256');
const header = (extra = {}) => ({ alg: 'ES256', kid: 'ec', ...extra });

/** Expects `token` to be refused with `code` (one of `code` when an array), as a safe 401. */
async function refused(token, code, opts) {
  const codes = Array.isArray(code) ? code : [code];
  let error;
  try {
    await verifier.verify(token, opts);
  } catch (e) {
    error = e;
  }
  assert.ok(error, `accepted: ${token.slice(0, 80)}`);
  assert.ok(codes.includes(error.code), `expected ${codes.join(' or ')}, got ${error.code}: ${error.message}`);
  assertClientError(verifier, error, token);
  return error;
}

describe('attack catalogue through ClientAssertionVerifier.verify', () => {
  test('control: a well-formed forged-by-node assertion is accepted', async () => {
    await verifier.verify(forge(header(), claims('ec-client'), es256));
  });

  test('#1 alg none (none, None, NONE)', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      await refused(forge({ alg }, claims('ec-client')), 'ERR_JWS_INVALID'); // empty signature segment
      await refused(forge({ alg }, claims('ec-client'), () => Buffer.from('x')), ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JOSE_NOT_SUPPORTED']);
    }
  });

  test('#2 HS256 keyed with the client\'s public key (PEM, DER, JWK JSON)', async () => {
    const pub = ec.publicKey();
    for (const secret of [pub.toPem(), crypto.createPublicKey(pub.toPem()).export({ type: 'spki', format: 'der' }), JSON.stringify(pub.toJwk())]) {
      const token = forge({ alg: 'HS256', kid: 'ec' }, claims('ec-client'), (input) => crypto.createHmac('sha256', secret).update(input).digest());
      await refused(token, 'ERR_JOSE_ALG_NOT_ALLOWED');
    }
  });

  test('#3 key type / alg mismatch', async () => {
    await refused(forge({ alg: 'ES256' }, claims('rsa-client'), es256), ['ERR_JWKS_NO_MATCHING_KEY']);
    await refused(forge({ alg: 'PS256', kid: 'rsa' }, claims('rsa-client'), nodeSigner(rsaKey, 'PS256')), ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JWKS_NO_MATCHING_KEY']);
    await refused(forge({ alg: 'ES384', kid: 'ec' }, claims('ec-client'), es256), ['ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JWKS_NO_MATCHING_KEY']);
  });

  test('#4 psychic signatures: zero r and s, r = n, s = n', async () => {
    const n = Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex');
    const valid = es256(Buffer.from('x'));
    for (const signature of [Buffer.alloc(64), Buffer.concat([Buffer.alloc(32), valid.subarray(32)]), Buffer.concat([n, valid.subarray(32)]), Buffer.concat([valid.subarray(0, 32), n])]) {
      await refused(forge(header(), claims('ec-client'), () => signature), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    }
  });

  test('#5 DER-encoded and wrong-length ECDSA signatures', async () => {
    await refused(forge(header(), claims('ec-client'), nodeSigner(ec, 'ES256', { der: true })), ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWS_INVALID']);
    await refused(forge(header(), claims('ec-client'), (i) => es256(i).subarray(1)), ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWS_INVALID']);
    await refused(forge(header(), claims('ec-client'), (i) => Buffer.concat([es256(i), Buffer.alloc(1)])), ['ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWS_INVALID']);
  });

  test('#6 high-S twin of an accepted assertion is a replay', async () => {
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const payload = claims('ec-client');
    const token = forge(header(), payload, es256);
    const [h, p, s] = token.split('.');
    const signature = Buffer.from(s, 'base64url');
    const lowS = BigInt(`0x${signature.subarray(32).toString('hex')}`);
    const twin = Buffer.concat([signature.subarray(0, 32), Buffer.from((n - lowS).toString(16).padStart(64, '0'), 'hex')]);
    const twinToken = `${h}.${p}.${twin.toString('base64url')}`;
    await verifier.verify(token);
    await refused(twinToken, 'ERR_JWT_REPLAYED'); // accepted as a signature, stopped by (client, jti)
  });

  test('#7 non-canonical base64url signatures', async () => {
    const token = forge(header(), claims('ec-client'), es256);
    const [h, p, s] = token.split('.');
    const last = s.at(-1);
    const flipped = 'AQgw'.includes(last) ? String.fromCharCode(last.charCodeAt(0) + 1) : last; // change unused trailing bits
    for (const variant of [`${s}==`, `${s.slice(0, 10)} ${s.slice(10)}`, `${s.slice(0, 10)}\n${s.slice(10)}`, s.replace(/-/g, '+').replace(/_/g, '/') + (s.includes('-') || s.includes('_') ? '' : '+'), s.slice(0, -1) + flipped]) {
      if (variant === s) continue;
      await refused(`${h}.${p}.${variant}`, 'ERR_JWS_INVALID');
    }
  });

  test('#8 malformed registered EC key: the client has no usable key', async () => {
    const jwk = ec.publicKey().toJwk();
    const offCurve = { ...jwk, y: jwk.x };
    const short = { ...jwk, x: jwk.x.slice(0, 42) };
    const wrongCrv = { ...jwk, crv: 'P-384' };
    for (const bad of [offCurve, short, wrongCrv]) {
      const v = new ClientAssertionVerifier({ issuer: ISSUER, getClient: () => ({ jwks: { keys: [bad] } }) });
      const error = await rejectsPkjwt(v.verify(forge(header(), claims('x'), es256)), 'ERR_JWKS_NO_MATCHING_KEY');
      assertClientError(v, error);
    }
  });

  test('#9 weak RSA: a 1024-bit key is refused', async () => {
    const weak = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = { ...weak.publicKey.export({ format: 'jwk' }), kid: 'weak' };
    const v = new ClientAssertionVerifier({ issuer: ISSUER, getClient: () => ({ jwks: { keys: [jwk] } }) });
    const token = forge({ alg: 'RS256', kid: 'weak' }, claims('weak'), (i) => crypto.sign('sha256', i, weak.privateKey));
    const error = await rejectsPkjwt(v.verify(token), 'ERR_JWKS_NO_MATCHING_KEY');
    assertClientError(v, error);
  });

  test('#10 kid injection: opaque, matched exactly', async () => {
    for (const kid of ['../../dev/null', "' OR 1=1--", 'k'.repeat(10_000), 'ec ', 'EC']) {
      await refused(forge(header({ kid }), claims('ec-client'), es256), 'ERR_JWKS_NO_MATCHING_KEY');
    }
  });

  test('#11 keys in the header are never trusted, jku and x5u never fetched', async () => {
    const sign = nodeSigner(attacker, 'ES256');
    const jku = server.url('/attacker-jwks');
    for (const extra of [{ jwk: attacker.publicKey().toJwk() }, { jku }, { x5u: server.url('/attacker-cert') }, { x5c: ['MIIB'] }]) {
      await refused(forge(header(extra), claims('ec-client'), sign), ['ERR_JOSE_NOT_SUPPORTED', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWS_INVALID']);
      await refused(forge(header(extra), claims('remote'), sign), ['ERR_JOSE_NOT_SUPPORTED', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'ERR_JWS_INVALID']);
    }
    assert.equal(server.state.byPath.get('/attacker-jwks'), undefined);
    assert.equal(server.state.byPath.get('/attacker-cert'), undefined);
  });

  test('#12 crit, #13 b64=false', async () => {
    for (const extra of [{ crit: ['exp'], exp: 1 }, { crit: [] }, { crit: ['b64'], b64: false }, { b64: false }]) {
      await refused(forge(header(extra), claims('ec-client'), es256), 'ERR_JOSE_NOT_SUPPORTED');
    }
  });

  test('#14 duplicate member names', async () => {
    const c = claims('ec-client');
    const body = JSON.stringify(c);
    await refused(forge(header(), `{"iss":"evil",${body.slice(1)}`, es256), 'ERR_JWT_INVALID');
    await refused(forge('{"alg":"none","alg":"ES256","kid":"ec"}', c, es256), ['ERR_JWS_INVALID']);
  });

  test('#15 serialization confusion, #16 huge tokens', async () => {
    const token = forge(header(), claims('ec-client'), es256);
    const [h, p, s] = token.split('.');
    const json = JSON.stringify({ protected: h, payload: p, signature: s });
    for (const bad of [json, `${token}.${s}`, `${h}.${p}.${s}.${s}.${s}`, `${h}.${p}.`, `${h}..${s}`, '', 'a'.repeat(1_000_000), '.'.repeat(500_000)]) {
      await refused(bad, 'ERR_JWS_INVALID');
    }
  });

  test('#17 deep JSON nesting', async () => {
    const deep = `{"iss":"ec-client","sub":"ec-client","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    await refused(forge(header(), deep, es256), ['ERR_JWT_INVALID', 'ERR_JWS_INVALID']);
  });

  test('#18 exp type and range', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused(forge(header(), claims('ec-client', { exp: String(now + 60) }), es256), ['ERR_JWT_CLAIM_VALIDATION_FAILED', 'ERR_JWT_INVALID']);
    await refused(forge(header(), JSON.stringify(claims('ec-client')).replace(/"exp":\d+/, '"exp":1e400'), es256), ['ERR_JWT_CLAIM_VALIDATION_FAILED', 'ERR_JWT_INVALID', 'ERR_JWS_INVALID']);
    await refused(forge(header(), claims('ec-client', { exp: now + 100_000 }), es256), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    await refused(forge(header(), claims('ec-client', { exp: now + 30.5 }), es256), ['ERR_JWT_CLAIM_VALIDATION_FAILED', 'ERR_JWT_INVALID']);
    await refused(forge(header(), claims('ec-client', { exp: -1 }), es256), ['ERR_JWT_CLAIM_VALIDATION_FAILED', 'ERR_JWT_EXPIRED']);
    const { exp, ...noExp } = claims('ec-client');
    assert.ok(exp);
    await refused(forge(header(), noExp, es256), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  test('#19 aud arrays, #20 audience injection', async () => {
    await refused(forge(header(), claims('ec-client', { aud: [ISSUER, 'https://evil.example'] }), es256), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    await verifier.verify(forge(header(), claims('ec-client', { aud: [ISSUER] }), es256));
    // Minted by the client for another (malicious) server that forwards it, with our token endpoint as aud.
    await refused(forge(header(), claims('ec-client', { aud: `${ISSUER}/token` }), es256), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    await refused(forge(header(), claims('ec-client', { aud: 'https://evil.example' }), es256), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  test('#21 Unicode: no normalisation of client ids', async () => {
    const nfd = 'cafe\u0301';
    await refused(forge(header(), claims(nfd), es256), 'ERR_CLIENT_UNKNOWN');
    await refused(forge(header(), claims('café'), es256), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { clientId: nfd });
    await verifier.verify(forge(header(), claims('café'), es256), { clientId: 'café' });
    await refused(forge(header(), `{"iss":"\\ud800","sub":"\\ud800","aud":"${ISSUER}","exp":${Math.floor(Date.now() / 1000) + 60},"jti":"j"}`, es256), ['ERR_JWT_INVALID', 'ERR_JWS_INVALID']);
  });

  test('#22 replay race: 50 concurrent, exactly one accepted; iss ≠ sub refused', async () => {
    const token = forge(header(), claims('ec-client'), es256);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => verifier.verify(token)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    await refused(forge(header(), claims('ec-client', { iss: 'rsa-client' }), es256), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    await refused(forge(header(), claims('ec-client', { sub: undefined }), es256), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  test('#24 no kid with two keys: a bounded try over the keys that fit', async () => {
    await verifier.verify(forge({ alg: 'ES256' }, claims('two-keys'), nodeSigner(ec2, 'ES256')));
    await refused(forge({ alg: 'ES256' }, claims('two-keys'), nodeSigner(attacker, 'ES256')), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  test('typ: other explicit types are refused', async () => {
    for (const typ of ['at+jwt', 'oauth-authz-req+jwt', 'JOSE']) {
      await refused(forge(header({ typ }), claims('ec-client'), es256), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    }
    await verifier.verify(forge(header({ typ: 'client-authentication+jwt' }), claims('ec-client'), es256));
    await verifier.verify(forge(header({ typ: 'JWT' }), claims('ec-client'), es256));
  });
});
