// pkjwt's RSA kernel against OpenSSL (node:crypto) over many random keys and messages: RS256,
// RS384 and RS512 (deterministic PKCS#1 v1.5) signatures must be byte-identical to node:crypto's
// for the same key and signing input; PS256 signatures must verify both ways. Keys are generated
// by node:crypto (OpenSSL) in several sizes, odd bit lengths included, with e = 65537 and e = 3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { spawnSync } from 'node:child_process';
import { createClientAssertion, generateKey, importKey, verifyClientAssertion } from 'pkjwt';
import { splitJws, throwsPkjwt } from './helpers/assert.mjs';

const generateKeyPair = promisify(crypto.generateKeyPair);
const RS = ['RS256', 'RS384', 'RS512'];
const HASH = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
const MESSAGES_PER_KEY = 32;
const clientId = 'rsa-openssl-client';
const audience = 'https://as.example.com';

// [modulus bits, public exponent, keys]: 2048 dominates (the size that matters in practice);
// OpenSSL's key generation is most of the run time, so there are more messages than keys.
const PLAN = [
  [2048, 65537, 48],
  [2048, 3, 6],
  [2049, 65537, 2],
  [2055, 3, 1],
  [3071, 65537, 1],
  [3072, 65537, 3],
  [4096, 65537, 1],
];

async function keys() {
  const jobs = PLAN.flatMap(([modulusLength, publicExponent, count]) => Array.from({ length: count }, () => (
    generateKeyPair('rsa', {
      modulusLength, publicExponent,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).then((pair) => ({ ...pair, modulusLength, publicExponent }))
  )));
  return Promise.all(jobs);
}

const generated = keys();
const randomClaim = () => crypto.randomBytes(crypto.randomInt(0, 300)).toString('base64url');

test('RS256/RS384/RS512 signatures are byte-identical to OpenSSL over random keys and messages', async () => {
  const pairs = await generated;
  let compared = 0;
  for (const [k, pair] of pairs.entries()) {
    const label = `RSA-${pair.modulusLength} e=${pair.publicExponent} #${k}`;
    const key = importKey(pair.privateKey);
    for (let m = 0; m < MESSAGES_PER_KEY; m += 1) {
      const alg = RS[m % RS.length];
      const token = createClientAssertion({ clientId, audience, key, alg, claims: { m: randomClaim() } });
      const { signingInput, signature } = splitJws(token);
      const expected = crypto.sign(HASH[alg], Buffer.from(signingInput), pair.privateKey);
      assert.equal(Buffer.from(signature, 'base64url').toString('hex'), expected.toString('hex'), `${label} ${alg}`);
      compared += 1;
    }
  }
  assert.equal(compared, pairs.length * MESSAGES_PER_KEY);
  assert.ok(compared >= 1500, `${compared} key+message pairs compared`);
});

test('PS256 signatures verify both ways between pkjwt and OpenSSL', async () => {
  const pairs = (await generated).filter((_, i) => i % 2 === 0);
  for (const [k, pair] of pairs.entries()) {
    const label = `RSA-${pair.modulusLength} e=${pair.publicExponent} #${k}`;
    const key = importKey(pair.privateKey, { alg: 'PS256' });
    const ours = createClientAssertion({ clientId, audience, key, claims: { m: randomClaim() } });
    const { signingInput, signature } = splitJws(ours);
    const pss = { key: pair.publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    assert.ok(crypto.verify('sha256', Buffer.from(signingInput), pss, Buffer.from(signature, 'base64url')), label);

    const now = Math.floor(Date.now() / 1000);
    const header = Buffer.from(JSON.stringify({ alg: 'PS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({
      iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 60, jti: crypto.randomUUID(), m: randomClaim(),
    })).toString('base64url');
    const input = `${header}.${payload}`;
    const theirs = crypto.sign('sha256', Buffer.from(input), { ...pss, key: pair.privateKey });
    const token = `${input}.${theirs.toString('base64url')}`;
    const verified = verifyClientAssertion(token, { audience, keys: importKey(pair.publicKey) });
    assert.equal(verified.payload.iss, clientId, label);
    theirs[crypto.randomInt(theirs.length)] ^= 1 << crypto.randomInt(8);
    const tampered = `${input}.${theirs.toString('base64url')}`;
    throwsPkjwt(() => verifyClientAssertion(tampered, { audience, keys: importKey(pair.publicKey) }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  }
});

// Keys pkjwt generates (own Miller–Rabin, d = e⁻¹ mod λ(n) and CRT values from its kernel): OpenSSL's
// key check (`openssl pkey -check`: p and q prime, n = p·q, d·e ≡ 1 mod λ(n), dp, dq, qi) passes,
// node:crypto imports the PKCS#8 PEM and the JWK, and signatures verify both ways.
test('keys pkjwt generates pass OpenSSL\'s key check and sign what node:crypto verifies', () => {
  for (const modulusLength of [2048, 2056]) {
    const key = generateKey('RS256', { modulusLength });
    const pem = key.toPem();
    const check = spawnSync('openssl', ['pkey', '-check', '-noout'], { input: pem, encoding: 'utf8' });
    assert.equal(check.status, 0, `${modulusLength}: ${check.stderr}`);
    assert.match(check.stdout + check.stderr, /Key is valid/);
    const fromPem = crypto.createPrivateKey(pem);
    const fromJwk = crypto.createPrivateKey({ key: key.toJwk({ private: true }), format: 'jwk' });
    assert.equal(fromPem.asymmetricKeyDetails.modulusLength, modulusLength);
    assert.deepEqual(fromJwk.export({ format: 'jwk' }), fromPem.export({ format: 'jwk' }));
    const token = createClientAssertion({ clientId, audience, key });
    const { signingInput, signature } = splitJws(token);
    assert.ok(crypto.verify('sha256', signingInput, fromJwk, signature));
    assert.deepEqual(
      crypto.sign('sha256', signingInput, fromPem),
      signature,
      'PKCS#1 v1.5 is deterministic: node:crypto signs the same bytes',
    );
  }
});
