// sign (claims, presets), inspect (good, expired, tampered; --json) and verify (exit 0 / exit 1 with
// the failing check named) through the real executable, with stdin "-".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { decodeJwt, importKey, toJwks } from 'pkjwt';
import { KEYS, hasStack, run, tempDir } from './helpers.mjs';

const tmp = tempDir();
after(() => tmp.cleanup());

const RSA = path.join(KEYS, 'rsa2048.pkcs8.pem');
const RSA_CERT = path.join(KEYS, 'rsa2048.cert.pem');
const EC = path.join(KEYS, 'p256.pkcs8.pem');
const ED = path.join(KEYS, 'ed25519.pkcs8.pem');
const certs = JSON.parse(fs.readFileSync(path.join(KEYS, 'certs.json'), 'utf8'));
const AUD = 'https://as.example.com';
const now = () => Math.floor(Date.now() / 1000);

let jwksFile; // p256 + rsa2048 public keys (kids = thumbprints, no alg binding)
before(() => {
  jwksFile = tmp.file('jwks.json');
  const keys = [EC, RSA].map((file) => importKey(fs.readFileSync(file, 'utf8')).publicKey());
  fs.writeFileSync(jwksFile, JSON.stringify(toJwks(keys)));
});

async function sign(args) {
  const result = await run(['sign', ...args]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

const flip = (token, segment) => {
  const parts = token.split('.');
  const bytes = Buffer.from(parts[segment], 'base64url');
  bytes[Math.floor(bytes.length / 2)] ^= 1;
  parts[segment] = bytes.toString('base64url');
  return parts.join('.');
};

describe('sign', { concurrency: true }, () => {
  test('defaults: iss = sub, single aud, jti, 60 s, kid, typ', async () => {
    const token = await sign(['--key', EC, '--client-id', 'c1', '--aud', AUD]);
    const { header, payload } = decodeJwt(token);
    assert.deepEqual(Object.keys(header).sort(), ['alg', 'kid', 'typ']);
    assert.equal(header.alg, 'ES256');
    assert.equal(header.typ, 'client-authentication+jwt');
    assert.equal(payload.iss, 'c1');
    assert.equal(payload.sub, 'c1');
    assert.equal(payload.aud, AUD);
    assert.equal(payload.exp - payload.iat, 60);
    assert.ok(Math.abs(payload.iat - now()) < 30);
    assert.match(payload.jti, /^[\w-]{22,}$/);
  });

  test('--claim name=value (string) and name:=JSON; --lifetime; --json', async () => {
    const result = await run(['sign', '--key', ED, '--client-id', 'c2', '--aud', AUD, '--lifetime', '120',
      '--claim', 'purpose=a=b', '--claim', 'n:=3', '--claim', 'obj:={"x":[1,true]}', '--json']);
    assert.equal(result.code, 0, result.stderr);
    const { assertion, header, payload } = JSON.parse(result.stdout);
    assert.deepEqual(decodeJwt(assertion).payload, payload);
    assert.equal(header.alg, 'EdDSA');
    assert.equal(payload.purpose, 'a=b');
    assert.equal(payload.n, 3);
    assert.deepEqual(payload.obj, { x: [1, true] });
    assert.equal(payload.exp - payload.iat, 120);
  });

  test('--claim cannot override the registered claims; bad JSON is a usage error', async () => {
    const override = await run(['sign', '--key', EC, '--client-id', 'c', '--aud', AUD, '--claim', 'aud=https://evil']);
    assert.equal(override.code, 2);
    assert.match(override.stderr, /^pkjwt: ERR_INVALID_ARGUMENT: /);
    const bad = await run(['sign', '--key', EC, '--client-id', 'c', '--aud', AUD, '--claim', 'n:={']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /ERR_INVALID_ARGUMENT: --claim n:=\{: the value after := must be JSON/);
  });

  test('--no-typ, --typ, --no-kid, --kid, --cert --x5t', async () => {
    const a = decodeJwt(await sign(['--key', RSA, '--client-id', 'c', '--aud', AUD, '--no-typ', '--no-kid'])).header;
    assert.deepEqual(a, { alg: 'RS256' });
    const b = decodeJwt(await sign(['--key', RSA, '--client-id', 'c', '--aud', AUD, '--typ', 'JWT', '--kid', 'k1',
      '--cert', RSA_CERT, '--x5t'])).header;
    assert.equal(b.typ, 'JWT');
    assert.equal(b.kid, 'k1');
    assert.equal(b.x5t, certs['rsa2048.cert.pem'].x5t);
    assert.equal(b['x5t#S256'], certs['rsa2048.cert.pem']['x5t#S256']);
  });

  test('a public key cannot sign: exit 2', async () => {
    const { code, stderr } = await run(['sign', '--key', path.join(KEYS, 'p256.spki.pem'), '--client-id', 'c', '--aud', AUD]);
    assert.equal(code, 2);
    assert.match(stderr, /ERR_INVALID_ARGUMENT: key .* is a public key/);
  });

  test('--preset idura-ftn: RS256, kid and jti, aud as given; refuses a non-RSA key', async () => {
    const aud = 'https://acme.idura.broker';
    const { header, payload } = decodeJwt(await sign(['--key', RSA, '--client-id', 'urn:my:app', '--aud', aud, '--preset', 'idura-ftn']));
    assert.equal(header.alg, 'RS256');
    assert.equal(typeof header.kid, 'string');
    assert.equal(payload.aud, aud);
    assert.equal(typeof payload.jti, 'string');
    const ec = await run(['sign', '--key', EC, '--client-id', 'c', '--aud', aud, '--preset', 'idura-ftn']);
    assert.equal(ec.code, 2);
    assert.match(ec.stderr, /ERR_INVALID_ARGUMENT: --preset idura-ftn requires an RSA key/);
    const ps = await run(['sign', '--key', RSA, '--client-id', 'c', '--aud', aud, '--preset', 'idura-ftn', '--alg', 'PS256']);
    assert.equal(ps.code, 2);
  });

  test('--preset entra: PS256, x5t#S256 from --cert (required), no typ, no kid', async () => {
    const aud = 'https://login.microsoftonline.com/tenant-id/oauth2/v2.0/token';
    const { header, payload } = decodeJwt(await sign(['--key', RSA, '--cert', RSA_CERT, '--client-id', 'app', '--aud', aud, '--preset', 'entra']));
    assert.deepEqual(header, { alg: 'PS256', 'x5t#S256': certs['rsa2048.cert.pem']['x5t#S256'] });
    assert.equal(payload.aud, aud);
    const noCert = await run(['sign', '--key', RSA, '--client-id', 'app', '--aud', aud, '--preset', 'entra']);
    assert.equal(noCert.code, 2);
    assert.match(noCert.stderr, /ERR_INVALID_ARGUMENT: --preset entra requires --cert/);
  });

  test('--preset okta: kid kept, aud as given; warns when aud is not a token endpoint', async () => {
    const aud = 'https://dev-1.okta.com/oauth2/v1/token';
    const ok = await run(['sign', '--key', EC, '--client-id', 'c', '--aud', aud, '--preset', 'okta']);
    assert.equal(ok.code, 0);
    assert.equal(ok.stderr, '');
    const { header, payload } = decodeJwt(ok.stdout.trim());
    assert.equal(typeof header.kid, 'string');
    assert.equal(payload.aud, aud);
    const warned = await run(['sign', '--key', EC, '--client-id', 'c', '--aud', 'https://dev-1.okta.com', '--preset', 'okta']);
    assert.equal(warned.code, 0);
    assert.match(warned.stderr, /warning: --preset okta: aud .* does not end in \/token/);
  });

  test('the key from stdin', async () => {
    const result = await run(['sign', '--key', '-', '--client-id', 'c', '--aud', AUD], { input: fs.readFileSync(EC) });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(decodeJwt(result.stdout.trim()).header.alg, 'ES256');
  });
});

describe('inspect', { concurrency: true }, () => {
  test('a good token: header, payload, human times, every keyless check passes, never "valid"', async () => {
    const token = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD]);
    const text = await run(['inspect', token, '--aud', AUD]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Header\n/);
    assert.match(text.stdout, /"typ": "client-authentication\+jwt"/);
    assert.match(text.stdout, /^ {2}exp {2}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}\(in \d+ s\)$/m);
    assert.match(text.stdout, /skip +signature/);
    assert.match(text.stdout, /NOT verified/);
    assert.doesNotMatch(text.stdout, /\bvalid:/);

    const json = await run(['inspect', '-', '--json'], { input: `${token}\n` });
    assert.equal(json.code, 0, json.stderr);
    const result = JSON.parse(json.stdout);
    assert.equal(result.verified, false);
    assert.equal(result.header.alg, 'ES256');
    assert.equal(result.payload.iss, 'c');
    assert.equal(result.times.exp.epoch, result.payload.exp);
    assert.match(result.times.exp.iso, /Z$/);
    const status = Object.fromEntries(result.checks.map((c) => [c.check, c.status]));
    assert.deepEqual(status, {
      form: 'passed', alg: 'passed', key: 'not checked', signature: 'not checked', typ: 'passed',
      'iss/sub': 'passed', aud: 'passed', 'exp/nbf/iat': 'passed', lifetime: 'passed', jti: 'passed',
    });
  });

  test('an expired token: exit 1, exp/nbf/iat failed with ERR_JWT_EXPIRED', async () => {
    const token = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD, '--now', String(now() - 3600)]);
    const { code, stdout } = await run(['inspect', token, '--json']);
    assert.equal(code, 1);
    const result = JSON.parse(stdout);
    const exp = result.checks.find((c) => c.check === 'exp/nbf/iat');
    assert.equal(exp.status, 'failed');
    assert.equal(exp.code, 'ERR_JWT_EXPIRED');
    assert.match(exp.message, /expired 59 min ago/);
    assert.match(result.summary, /reject/);
    assert.equal(result.verified, false);
  });

  test('a tampered token still decodes: inspect cannot tell (signature not checked), verify can', async () => {
    const token = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD]);
    const tampered = flip(token, 2);
    const inspect = await run(['inspect', tampered, '--json']);
    assert.equal(inspect.code, 0);
    const result = JSON.parse(inspect.stdout);
    assert.equal(result.verified, false);
    assert.equal(result.checks.find((c) => c.check === 'signature').status, 'not checked');
  });

  test('an undecodable token: form failed, the rest not reached; wrong aud, several auds, alg none', async () => {
    const broken = await run(['inspect', 'eyJhbGciOiJFUzI1NiJ9.e30=.AAAA', '--json']);
    assert.equal(broken.code, 1);
    const checks = JSON.parse(broken.stdout).checks;
    assert.equal(checks[0].status, 'failed');
    assert.equal(checks[0].code, 'ERR_JWS_INVALID');
    assert.ok(checks.slice(1).every((c) => c.status === 'not reached'));

    const token = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD]);
    const wrongAud = JSON.parse((await run(['inspect', token, '--aud', 'https://other', '--json'])).stdout);
    assert.equal(wrongAud.checks.find((c) => c.check === 'aud').reason, 'mismatch');

    const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const payload = { iss: 'c', sub: 'c', aud: [AUD, 'https://other'], exp: now() + 60, iat: now(), jti: 'j' };
    const multi = await run(['inspect', `${b64({ alg: 'none' })}.${b64(payload)}.AAAA`, '--json']);
    assert.equal(multi.code, 1);
    const byName = Object.fromEntries(JSON.parse(multi.stdout).checks.map((c) => [c.check, c]));
    assert.equal(byName.alg.code, 'ERR_JOSE_ALG_NOT_ALLOWED');
    assert.equal(byName.aud.status, 'failed');
    assert.match(byName.aud.message, /2 values/);
  });
});

describe('verify', { concurrency: true }, () => {
  const verify = (token, extra = [], opts = {}) => run(['verify', token, '--jwks', jwksFile, '--aud', AUD, '--json', ...extra], opts);
  const failedCheck = (stdout) => {
    const result = JSON.parse(stdout);
    assert.equal(result.valid, false);
    const failed = result.checks.filter((c) => c.status === 'failed');
    assert.equal(failed.length, 1);
    const index = result.checks.indexOf(failed[0]);
    assert.ok(result.checks.slice(0, index).every((c) => c.status === 'passed'));
    assert.ok(result.checks.slice(index + 1).every((c) => c.status === 'not reached'));
    return failed[0];
  };

  test('valid: exit 0, every check passed (text and JSON)', async () => {
    const token = await sign(['--key', RSA, '--client-id', 'c', '--aud', AUD]);
    const json = await verify(token, ['--client-id', 'c']);
    assert.equal(json.code, 0, json.stdout + json.stderr);
    assert.equal(JSON.parse(json.stdout).valid, true);
    const text = await run(['verify', token, '--jwks', jwksFile, '--aud', AUD]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^ {2}pass {2}signature/m);
    assert.match(text.stdout, /^valid: client c, key \S+, alg RS256$/m);
  });

  test('wrong aud: exit 1, aud failed', async () => {
    const token = await sign(['--key', EC, '--client-id', 'c', '--aud', 'https://other.example.com']);
    const { code, stdout } = await verify(token);
    assert.equal(code, 1);
    const failed = failedCheck(stdout);
    assert.equal(failed.check, 'aud');
    assert.equal(failed.code, 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    assert.equal(failed.reason, 'mismatch');
  });

  test('tampered payload and signature: exit 1, signature failed', async () => {
    const token = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD]);
    for (const tampered of [flip(token, 2), flip(token, 1)]) {
      const { code, stdout } = await verify(tampered);
      assert.equal(code, 1);
      const failed = failedCheck(stdout);
      if (failed.check === 'form') continue; // a flipped payload byte may break the JSON first
      assert.equal(failed.check, 'signature');
      assert.equal(failed.code, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    }
  });

  test('expired: exit 1, exp/nbf/iat failed; text output names it', async () => {
    const token = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD, '--now', String(now() - 600)]);
    const { code, stdout } = await verify(token);
    assert.equal(code, 1);
    assert.equal(failedCheck(stdout).code, 'ERR_JWT_EXPIRED');
    const text = await run(['verify', token, '--jwks', jwksFile, '--aud', AUD]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^ {2}FAIL {2}exp\/nbf\/iat +ERR_JWT_EXPIRED: /m);
    assert.match(text.stdout, /^ {2}---- {2}jti +not reached/m);
    assert.match(text.stdout, /^invalid: ERR_JWT_EXPIRED/m);
  });

  test('lifetime, client id, alg allowlist, unknown kid, typ: each check named', async () => {
    const long = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD, '--lifetime', '3600']);
    assert.equal(failedCheck((await verify(long)).stdout).check, 'lifetime');
    const token = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD]);
    assert.equal(failedCheck((await verify(token, ['--client-id', 'someone-else'])).stdout).check, 'iss/sub');
    assert.equal(failedCheck((await verify(token, ['--alg', 'RS256'])).stdout).check, 'alg');
    const unknownKid = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD, '--kid', 'nope']);
    const key = failedCheck((await verify(unknownKid)).stdout);
    assert.equal(key.check, 'key');
    assert.equal(key.code, 'ERR_JWKS_NO_MATCHING_KEY');
    const untyped = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD, '--no-typ']);
    assert.equal((await verify(untyped)).code, 0);
    assert.equal(failedCheck((await verify(untyped, ['--require-typ'])).stdout).check, 'typ');
  });

  test('the token from stdin, and a PEM public key as --jwks', async () => {
    const token = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD]);
    const piped = await run(['verify', '-', '--jwks', path.join(KEYS, 'p256.spki.pem'), '--aud', AUD], { input: `${token}\n` });
    assert.equal(piped.code, 0, piped.stdout + piped.stderr);
  });

  test('sign | verify - through a shell pipe', async () => {
    const { execFile } = await import('node:child_process');
    const { CLI } = await import('./helpers.mjs');
    const script = `"${process.execPath}" "${CLI}" sign --key "${EC}" --client-id c --aud ${AUD} | "${process.execPath}" "${CLI}" verify - --jwks "${jwksFile}" --aud ${AUD}`;
    const stdout = await new Promise((resolve, reject) => {
      execFile('sh', ['-c', script], (error, out) => (error ? reject(error) : resolve(out)));
    });
    assert.match(stdout, /^valid: client c/m);
  });

  test('a JWKS that is not one: exit 2; a missing file: exit 3', async () => {
    const bad = tmp.file('bad.json');
    fs.writeFileSync(bad, '{"nope":1}');
    const token = await sign(['--key', EC, '--client-id', 'c', '--aud', AUD]);
    const notJwks = await run(['verify', token, '--jwks', bad, '--aud', AUD]);
    assert.equal(notJwks.code, 2);
    assert.match(notJwks.stderr, /^pkjwt: ERR_JWK_INVALID: /);
    const missing = await run(['verify', token, '--jwks', tmp.file('missing.json'), '--aud', AUD]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /^pkjwt: ERR_IO: /);
    assert.ok(!hasStack(missing.stderr));
  });
});
