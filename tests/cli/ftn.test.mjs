// The FTN commands of the real executable: `keygen --use enc` (PKCS#8, the JWKS with use/alg, jwks
// and thumbprint agreeing), and `decrypt` of JWEs made by jose to the generated key — a nested ID
// token signed by a jose "provider" key (decrypted; then verified with --jwks/--issuer/--client-id/
// --nonce), a wrong nonce, a wrong key, a non-JWT plaintext, stdin — plus the usage errors.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as jose from 'jose';
import { KEYS, hasStack, run, tempDir } from './helpers.mjs';

const tmp = tempDir();
after(() => tmp.cleanup());

const ENC_ALGS = ['RSA-OAEP-256', 'RSA-OAEP', 'ECDH-ES'];
const issuer = 'https://tenant.idura.example';
const clientId = 'ftn-client';

async function keygenEnc(alg, name = alg, extra = []) {
  const keyFile = tmp.file(`${name}.pem`);
  const result = await run(['keygen', '--use', 'enc', '--alg', alg, '--out', keyFile, '--json', ...extra]);
  assert.equal(result.code, 0, result.stderr);
  return { keyFile, generated: JSON.parse(result.stdout) };
}

let rsaEnc; // { keyFile, generated } for RSA-OAEP-256
let otherEnc; // a second RSA-OAEP-256 key with the same kid
let provider; // the "provider": its signing key and its JWKS file

/** An ID token signed by the provider and encrypted by jose to `recipient` (a public JWK). */
async function encryptedIdToken(recipient, { enc = 'A128CBC-HS256', nonce = 'n-0S6_WzA2Mj', claims = {} } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const signed = await new jose.SignJWT({ nonce, name: 'Testi Henkilö', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'op-rs256', typ: 'JWT' })
    .setIssuer(issuer).setAudience(clientId).setSubject('ftn-person-1')
    .setIssuedAt(now).setExpirationTime(now + 600)
    .sign(provider.privateKey);
  return new jose.CompactEncrypt(new TextEncoder().encode(signed))
    .setProtectedHeader({ alg: recipient.alg, enc, cty: 'JWT', kid: recipient.kid })
    .encrypt(await jose.importJWK(recipient, recipient.alg));
}

describe('keygen --use enc', { concurrency: 3 }, () => {
  for (const alg of ENC_ALGS) {
    test(alg, async () => {
      const { keyFile, generated } = await keygenEnc(alg, `gen-${alg}`);
      assert.equal(generated.alg, alg);
      assert.equal(generated.use, 'enc');
      assert.equal(generated.kty, alg.startsWith('RSA') ? 'RSA' : 'EC');
      const [jwk] = generated.jwks.keys;
      assert.equal(generated.jwks.keys.length, 1);
      assert.equal(jwk.use, 'enc');
      assert.equal(jwk.alg, alg);
      assert.equal(jwk.kid, generated.kid);
      assert.equal(jwk.d, undefined);
      assert.match(fs.readFileSync(keyFile, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
      assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
      assert.match(generated.decryptWith, new RegExp(`--alg ${alg}`));

      const jwks = await run(['jwks', keyFile, '--alg', alg, '--json']);
      assert.equal(jwks.code, 0, jwks.stderr);
      assert.deepEqual(JSON.parse(jwks.stdout), generated.jwks);

      fs.writeFileSync(tmp.file(`gen-${alg}.jwk.json`), JSON.stringify(jwk));
      const thumb = await run(['thumbprint', tmp.file(`gen-${alg}.jwk.json`), '--json']);
      assert.equal(thumb.code, 0, thumb.stderr);
      const printed = JSON.parse(thumb.stdout);
      assert.equal(printed.thumbprint, generated.thumbprint);
      assert.equal(printed.use, 'enc');
      assert.equal(printed.alg, alg);
      // jose agrees on the RFC 7638 thumbprint of the published key.
      assert.equal(printed.thumbprint, await jose.calculateJwkThumbprint(jwk, 'sha256'));
    });
  }

  test('human output names the key an encryption key and prints the JWKS', async () => {
    const keyFile = tmp.file('human-enc.pem');
    const result = await run(['keygen', '--use', 'enc', '--alg', 'ECDH-ES', '--out', keyFile]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /ECDH-ES encryption key/);
    assert.equal(JSON.parse(result.stdout).keys[0].use, 'enc');
  });
});

describe('decrypt', () => {
  before(async () => {
    rsaEnc = await keygenEnc('RSA-OAEP-256', 'enc-main', ['--kid', 'rp-enc-1']);
    otherEnc = await keygenEnc('RSA-OAEP-256', 'enc-other', ['--kid', 'rp-enc-1']);
    const { privateKey, publicKey } = await jose.generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'op-rs256', alg: 'RS256', use: 'sig' };
    const jwksFile = tmp.file('provider.jwks.json');
    fs.writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
    provider = { privateKey, jwksFile };
  });

  for (const enc of ['A128CBC-HS256', 'A256GCM']) {
    test(`a nested ID token (RSA-OAEP-256 + ${enc}): decrypted, then verified with --jwks`, async () => {
      const [recipient] = rsaEnc.generated.jwks.keys;
      const token = await encryptedIdToken(recipient, { enc });

      const plain = await run(['decrypt', token, '--key', rsaEnc.keyFile, '--json']);
      assert.equal(plain.code, 0, plain.stderr);
      const opened = JSON.parse(plain.stdout);
      assert.equal(opened.verified, false);
      assert.deepEqual([opened.jweHeader.alg, opened.jweHeader.enc, opened.jweHeader.cty, opened.jweHeader.kid], ['RSA-OAEP-256', enc, 'JWT', 'rp-enc-1']);
      assert.equal(opened.header.kid, 'op-rs256');
      assert.equal(opened.payload.sub, 'ftn-person-1');
      assert.equal(opened.payload.name, 'Testi Henkilö');

      const human = await run(['decrypt', token, '--key', rsaEnc.keyFile]);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /JWE protected header/);
      assert.match(human.stdout, /Claims \(NOT verified\)/);
      assert.match(human.stdout, /the inner token was NOT verified/);

      const verified = await run(['decrypt', token, '--key', rsaEnc.keyFile, '--jwks', provider.jwksFile,
        '--issuer', issuer, '--client-id', clientId, '--nonce', 'n-0S6_WzA2Mj', '--json']);
      assert.equal(verified.code, 0, verified.stderr);
      const result = JSON.parse(verified.stdout);
      assert.equal(result.verified, true);
      assert.equal(result.payload.iss, issuer);
      assert.equal(result.jweHeader.enc, enc);

      const humanVerified = await run(['decrypt', token, '--key', rsaEnc.keyFile, '--jwks', provider.jwksFile,
        '--issuer', issuer, '--client-id', clientId]);
      assert.equal(humanVerified.code, 0, humanVerified.stderr);
      assert.match(humanVerified.stdout, /valid: ID token of ftn-person-1 from https:\/\/tenant\.idura\.example, signed RS256, encrypted RSA-OAEP-256 \+ /);
    });
  }

  test('from stdin', async () => {
    const token = await encryptedIdToken(rsaEnc.generated.jwks.keys[0]);
    const result = await run(['decrypt', '-', '--key', rsaEnc.keyFile, '--json'], { input: `${token}\n` });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).payload.sub, 'ftn-person-1');
  });

  test('a wrong nonce: exit 1, ERR_JWT_CLAIM_VALIDATION_FAILED on nonce', async () => {
    const token = await encryptedIdToken(rsaEnc.generated.jwks.keys[0]);
    const result = await run(['decrypt', token, '--key', rsaEnc.keyFile, '--jwks', provider.jwksFile,
      '--issuer', issuer, '--client-id', clientId, '--nonce', 'another-nonce', '--json']);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '');
    const { error } = JSON.parse(result.stderr);
    assert.equal(error.code, 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    assert.equal(error.claim, 'nonce');
  });

  test('the wrong issuer or client id: exit 1', async () => {
    const token = await encryptedIdToken(rsaEnc.generated.jwks.keys[0]);
    for (const [flag, value] of [['--issuer', 'https://other.example'], ['--client-id', 'someone-else']]) {
      const args = { '--issuer': issuer, '--client-id': clientId, [flag]: value };
      const result = await run(['decrypt', token, '--key', rsaEnc.keyFile, '--jwks', provider.jwksFile, ...Object.entries(args).flat()]);
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /^pkjwt: ERR_JWT_CLAIM_VALIDATION_FAILED: /);
      assert.ok(!hasStack(result.stderr), result.stderr);
    }
  });

  test('a wrong key (same kid): exit 1, ERR_JWE_DECRYPTION_FAILED', async () => {
    const token = await encryptedIdToken(rsaEnc.generated.jwks.keys[0]);
    const result = await run(['decrypt', token, '--key', otherEnc.keyFile]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^pkjwt: ERR_JWE_DECRYPTION_FAILED: /);
    assert.ok(!hasStack(result.stderr), result.stderr);
  });

  test('a tampered ciphertext: exit 1, ERR_JWE_DECRYPTION_FAILED', async () => {
    const token = await encryptedIdToken(rsaEnc.generated.jwks.keys[0]);
    const parts = token.split('.');
    const ct = Buffer.from(parts[3], 'base64url');
    ct[0] ^= 1;
    parts[3] = ct.toString('base64url');
    const result = await run(['decrypt', parts.join('.'), '--key', rsaEnc.keyFile]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^pkjwt: ERR_JWE_DECRYPTION_FAILED: /);
  });

  test('ECDH-ES with a plaintext that is not a JWT: printed as text', async () => {
    const { keyFile, generated } = await keygenEnc('ECDH-ES', 'ecdh-text');
    const [recipient] = generated.jwks.keys;
    const jwe = await new jose.CompactEncrypt(new TextEncoder().encode('hello, FTN'))
      .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: recipient.kid })
      .encrypt(await jose.importJWK(recipient, 'ECDH-ES'));
    const result = await run(['decrypt', jwe, '--key', keyFile, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const opened = JSON.parse(result.stdout);
    assert.equal(opened.plaintext, 'hello, FTN');
    assert.equal(opened.payload, undefined);
    assert.equal(opened.jweHeader.epk.crv, 'P-256');
  });

  test('--enc narrows the accepted content encryption', async () => {
    const token = await encryptedIdToken(rsaEnc.generated.jwks.keys[0], { enc: 'A128CBC-HS256' });
    const result = await run(['decrypt', token, '--key', rsaEnc.keyFile, '--enc', 'A256GCM']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^pkjwt: ERR_JOSE_(ALG_NOT_ALLOWED|NOT_SUPPORTED): /);
  });
});

describe('usage errors (exit 2) and not-a-JWE (exit 1)', () => {
  const cases = [
    [['keygen', '--use', 'both', '--alg', 'RSA-OAEP-256', '--out', 'x.pem'], /--use must be sig or enc/],
    [['keygen', '--use', 'enc', '--alg', 'RS256', '--out', 'x.pem'], /RS256 is a signing algorithm: drop --use enc/],
    [['keygen', '--alg', 'RSA-OAEP-256', '--out', 'x.pem'], /RSA-OAEP-256 is an encryption algorithm: add --use enc/],
    [['keygen', '--use', 'enc', '--alg', 'ECDH-ES', '--bits', '3072', '--out', 'x.pem'], /--bits applies to RSA algorithms only/],
    [['decrypt', 'a.b.c.d.e'], /--key is required/],
    [['decrypt', 'a.b.c.d.e', '--key', 'k.pem', '--issuer', issuer], /--issuer verifies the ID token, which needs --jwks/],
    [['decrypt', 'a.b.c.d.e', '--key', 'k.pem', '--jwks', 'j.json', '--client-id', 'c'], /--issuer is required/],
    [['decrypt', 'a.b.c.d.e', '--key', 'k.pem', '--alg', 'RSA1_5'], /--alg must be one of RSA-OAEP-256/],
    [['decrypt', 'a.b.c.d.e', '--key', 'k.pem', '--enc', 'A192GCM'], /--enc must be one of/],
    [['decrypt', '--key', 'k.pem'], /decrypt takes exactly one JWE/],
  ];
  for (const [args, message] of cases) {
    test(args.join(' '), async () => {
      const result = await run(args, { cwd: tmp.dir });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /^pkjwt: ERR_INVALID_ARGUMENT: /);
      assert.match(result.stderr, message);
      assert.ok(!hasStack(result.stderr), result.stderr);
    });
  }

  test('a signed JWT is not a JWE: exit 1, ERR_JWE_INVALID, saying it is not encrypted', async () => {
    const jws = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    const result = await run(['decrypt', jws, '--key', `${KEYS}rsa2048.pkcs8.pem`]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^pkjwt: ERR_JWE_INVALID: .*it is not encrypted/);
  });

  test('decrypt --help lists the options and examples', async () => {
    const result = await run(['decrypt', '--help']);
    assert.equal(result.code, 0);
    for (const word of ['--key', '--jwks', '--issuer', '--client-id', '--nonce', 'Examples:', 'ERR_JWE_DECRYPTION_FAILED']) {
      assert.ok(result.stdout.includes(word), word);
    }
  });
});
