// keygen -> jwks -> sign -> verify for every algorithm through the real executable; keygen's file
// handling (mode 0600, refusing to overwrite, --force, --jwks); jwks and thumbprint.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ALGS, KEYS, hasStack, run, tempDir } from './helpers.mjs';

const tmp = tempDir();
after(() => tmp.cleanup());

const KTY = { RS: 'RSA', PS: 'RSA', ES: 'EC', Ed: 'OKP' };

describe('keygen -> jwks -> sign -> verify round trip', { concurrency: 4 }, () => {
  for (const alg of ALGS) {
    test(alg, async () => {
      const keyFile = tmp.file(`rt-${alg}.pem`);
      const jwksFile = tmp.file(`rt-${alg}.jwks.json`);
      const kid = `cli-${alg.toLowerCase()}`;
      const gen = await run(['keygen', '--alg', alg, '--kid', kid, '--out', keyFile, '--json']);
      assert.equal(gen.code, 0, gen.stderr);
      const generated = JSON.parse(gen.stdout);
      assert.equal(generated.kid, kid);
      assert.equal(generated.alg, alg);
      assert.equal(generated.kty, KTY[alg.slice(0, 2)]);
      assert.equal(generated.jwks.keys.length, 1);
      assert.equal(generated.jwks.keys[0].d, undefined);
      assert.match(generated.signWith, new RegExp(`--kid ${kid}`));
      assert.match(fs.readFileSync(keyFile, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
      assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);

      // jwks of the private key file gives the same public JWK (bound with --alg/--kid as keygen did).
      const jwks = await run(['jwks', keyFile, '--alg', alg, '--kid', kid]);
      assert.equal(jwks.code, 0, jwks.stderr);
      assert.deepEqual(JSON.parse(jwks.stdout), generated.jwks);
      fs.writeFileSync(jwksFile, jwks.stdout);

      const sign = await run(['sign', '--key', keyFile, '--alg', alg, '--kid', kid, '--client-id', 'rt-client',
        '--aud', 'https://as.example.com']);
      assert.equal(sign.code, 0, sign.stderr);
      const token = sign.stdout.trim();
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);

      const verify = await run(['verify', token, '--jwks', jwksFile, '--aud', 'https://as.example.com',
        '--client-id', 'rt-client', '--json']);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      const result = JSON.parse(verify.stdout);
      assert.equal(result.valid, true);
      assert.equal(result.header.alg, alg);
      assert.equal(result.header.kid, kid);
      assert.equal(result.kid, kid);
      assert.equal(result.payload.iss, 'rt-client');
      assert.ok(result.checks.every((check) => check.status === 'passed'));
    });
  }
});

describe('keygen files', () => {
  test('writes PKCS#8 with mode 0600 and prints the JWKS; refuses to overwrite (exit 3); --force replaces', async () => {
    const keyFile = tmp.file('ec.pem');
    const first = await run(['keygen', '--alg', 'ES256', '--out', keyFile]);
    assert.equal(first.code, 0, first.stderr);
    const jwks = JSON.parse(first.stdout);
    assert.equal(jwks.keys[0].kty, 'EC');
    assert.equal(jwks.keys[0].alg, 'ES256');
    assert.match(first.stderr, /mode 0600/);
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    const pem = fs.readFileSync(keyFile, 'utf8');

    const again = await run(['keygen', '--alg', 'ES256', '--out', keyFile]);
    assert.equal(again.code, 3);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /^pkjwt: ERR_IO: .*ec\.pem exists; use --force/);
    assert.ok(!hasStack(again.stderr));
    assert.equal(fs.readFileSync(keyFile, 'utf8'), pem, 'the existing key is untouched');

    fs.chmodSync(keyFile, 0o644); // --force must not keep a laxer mode of the old file
    const forced = await run(['keygen', '--alg', 'ES256', '--out', keyFile, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.notEqual(fs.readFileSync(keyFile, 'utf8'), pem);
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(tmp.dir).filter((name) => name.endsWith('.tmp')), []);
  });

  test('--jwks FILE writes the JWKS there (and also refuses to overwrite it); RSA --bits 3072', async () => {
    const keyFile = tmp.file('rsa3072.pem');
    const jwksFile = tmp.file('rsa3072.jwks.json');
    fs.writeFileSync(jwksFile, '{}');
    const refused = await run(['keygen', '--alg', 'RS256', '--bits', '3072', '--out', keyFile, '--jwks', jwksFile]);
    assert.equal(refused.code, 3);
    assert.equal(fs.existsSync(keyFile), false, 'nothing written when one target exists');
    fs.rmSync(jwksFile);
    const made = await run(['keygen', '--alg', 'RS256', '--bits', '3072', '--out', keyFile, '--jwks', jwksFile]);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(made.stdout, '');
    const jwks = JSON.parse(fs.readFileSync(jwksFile, 'utf8'));
    assert.equal(Buffer.from(jwks.keys[0].n, 'base64url').length, 384);
    const thumb = await run(['thumbprint', keyFile, '--json']);
    assert.equal(JSON.parse(thumb.stdout).kid, jwks.keys[0].kid);
  });

  test('a key file that cannot be written: exit 3', async () => {
    const { code, stderr } = await run(['keygen', '--alg', 'EdDSA', '--out', tmp.file('no/such/dir/key.pem')]);
    assert.equal(code, 3);
    assert.match(stderr, /^pkjwt: ERR_IO: cannot write /);
  });
});

describe('jwks', () => {
  test('several keys of every format, public parts only; - reads stdin', async () => {
    const files = ['rsa2048.pkcs8.pem', 'p256.sec1.pem', 'p384.spki.pem', 'ed25519.pkcs8.der', 'rsa2048.cert.pem', 'jwk/p256.priv.json']
      .map((name) => path.join(KEYS, name));
    const { code, stdout, stderr } = await run(['jwks', ...files]);
    assert.equal(code, 0, stderr);
    const { keys } = JSON.parse(stdout);
    assert.deepEqual(keys.map((k) => k.kty), ['RSA', 'EC', 'EC', 'OKP', 'RSA', 'EC']);
    for (const key of keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key[member], undefined);

    const piped = await run(['jwks', '-', '--json'], { input: fs.readFileSync(files[1]) });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout.trim().split('\n').length, 1, '--json is one line');
    assert.deepEqual(JSON.parse(piped.stdout).keys[0], keys[1]);
  });

  test('--kid with several keys is a usage error', async () => {
    const { code, stderr } = await run(['jwks', '--kid', 'x', path.join(KEYS, 'p256.spki.pem'), path.join(KEYS, 'p384.spki.pem')]);
    assert.equal(code, 2);
    assert.match(stderr, /ERR_INVALID_ARGUMENT: --kid applies to a single key/);
  });
});

describe('thumbprint', () => {
  const certs = JSON.parse(fs.readFileSync(path.join(KEYS, 'certs.json'), 'utf8'));
  for (const [name, expected] of Object.entries(certs)) {
    test(`of the certificate ${name}: kid, x5t, x5t#S256`, async () => {
      const { code, stdout, stderr } = await run(['thumbprint', path.join(KEYS, name), '--json']);
      assert.equal(code, 0, stderr);
      const result = JSON.parse(stdout);
      assert.equal(result.x5t, expected.x5t);
      assert.equal(result['x5t#S256'], expected['x5t#S256']);
      // The certificate's key has the same RFC 7638 thumbprint as the private key it certifies.
      const base = name.replace('.cert.pem', '');
      const key = await run(['thumbprint', path.join(KEYS, `${base}.pkcs8.pem`), '--json']);
      assert.equal(JSON.parse(key.stdout).kid, result.kid);
      assert.equal(result.kid, result.thumbprint);

      const text = await run(['thumbprint', path.join(KEYS, name)]);
      assert.match(text.stdout, new RegExp(`^kid +${result.kid}$`, 'm'));
      assert.match(text.stdout, new RegExp(`^x5t +${expected.x5t}$`, 'm'));
      assert.match(text.stdout, new RegExp(`^x5t#S256 +${expected['x5t#S256']}$`, 'm'));
    });
  }

  test('of a key: the RFC 7638 thumbprint (jwk/*.json fixtures), no x5t', async () => {
    const jwk = JSON.parse(fs.readFileSync(path.join(KEYS, 'jwk/p256.pub.json'), 'utf8'));
    const { code, stdout } = await run(['thumbprint', path.join(KEYS, 'p256.spki.pem')]);
    assert.equal(code, 0);
    assert.doesNotMatch(stdout, /x5t/);
    const kid = /^kid +(\S+)$/m.exec(stdout)[1];
    const viaStdin = await run(['thumbprint', '-', '--json'], { input: JSON.stringify(jwk) });
    assert.equal(viaStdin.code, 0, viaStdin.stderr);
    const result = JSON.parse(viaStdin.stdout);
    assert.equal(result.thumbprint, kid);
    assert.equal(result.x5t, undefined);
  });
});
