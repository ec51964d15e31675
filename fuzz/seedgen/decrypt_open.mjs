// Writes the seeds of the decrypt_open fuzz target (fuzz/seeds/decrypt_open/) with jose and
// node:crypto from the fixture keys of tests/keys, independently of pkjwt:
//   node fuzz/seedgen/decrypt_open.mjs
// Selector byte: mode in the low 3 bits (0 raw JWE, 1 built JWE, 2 tampered sample, 3 raw token,
// 5 built token); for tokens, bits 3–4 pick the verifier (0 request object, 1 ID token,
// 2 userinfo, 3 signed JWK Set); for samples, bits 3–5 the key and 6–7 the content encryption.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { CompactEncrypt, SignJWT, exportJWK } from 'jose';

const root = new URL('../../', import.meta.url);
const out = new URL('fuzz/seeds/decrypt_open/', root);
mkdirSync(out, { recursive: true });
const pem = (name) => readFileSync(new URL(`tests/keys/${name}`, root), 'utf8');
const rsa = createPublicKey(pem('rsa2048.spki.pem'));
const p256 = createPublicKey(pem('p256.spki.pem'));
const signer = createPrivateKey(pem('p256.pkcs8.pem'));
const NOW = 1_700_000_000;
const ISSUER = 'https://op.example.com';
const CLIENT_ID = 'fuzz-client';
const SEP = Buffer.from([0xff]);
const write = (name, selector, ...parts) => {
  const body = [];
  parts.forEach((part, i) => {
    if (i > 0) body.push(SEP);
    body.push(Buffer.from(part));
  });
  writeFileSync(new URL(name, out), Buffer.concat([Buffer.from([selector]), ...body]));
};

const inner = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIyNDgyODk3NjEwMDEifQ.c2lnbmF0dXJl';
for (const [alg, key] of [['RSA-OAEP-256', rsa], ['RSA-OAEP', rsa], ['ECDH-ES', p256], ['ECDH-ES+A128KW', p256], ['ECDH-ES+A256KW', p256]]) {
  for (const enc of ['A128CBC-HS256', 'A256GCM']) {
    const jwe = await new CompactEncrypt(Buffer.from(inner)).setProtectedHeader({ alg, enc, cty: 'JWT' }).encrypt(key);
    write(`raw_${alg}_${enc}`, 0, jwe);
    const [header, ...rest] = jwe.split('.');
    write(`built_${alg}_${enc}`, 1, Buffer.from(header, 'base64url'), ...rest.map((p) => Buffer.from(p, 'base64url')));
  }
}
for (let key = 0; key < 5; key++) {
  write(`tampered_key${key}`, 2 | (key << 3) | ((key & 3) << 6), inner, Buffer.from([0, 40, 0x41]));
}

const claims = {
  request: { iss: CLIENT_ID, client_id: CLIENT_ID, aud: ISSUER, response_type: 'code', scope: 'openid', jti: 'r-1', iat: NOW - 10, nbf: NOW - 10, exp: NOW + 290 },
  idToken: { iss: ISSUER, sub: '248289761001', aud: CLIENT_ID, nonce: 'n-0S6_WzA2Mj', iat: NOW - 10, exp: NOW + 290, auth_time: NOW - 60 },
  userinfo: { iss: ISSUER, sub: '248289761001', aud: CLIENT_ID, name: 'Matti Meikäläinen' },
  jwks: { iss: ISSUER, sub: ISSUER, iat: NOW - 10, exp: NOW + 3600, keys: [{ ...(await exportJWK(p256)), use: 'sig', kid: 'k1' }] },
};
const typs = { request: 'oauth-authz-req+jwt', idToken: 'JWT', userinfo: 'JWT', jwks: 'jwk-set+jwt' };
for (const [verifier, name] of ['request', 'idToken', 'userinfo', 'jwks'].entries()) {
  const header = { alg: 'ES256', typ: typs[name], kid: 'k1' };
  const token = await new SignJWT(claims[name]).setProtectedHeader(header).sign(signer);
  write(`token_${name}`, 3 | (verifier << 3) | 0x80, token);
  write(`claims_${name}`, 5 | (verifier << 3) | 0x80, JSON.stringify(header), JSON.stringify(claims[name]));
}
console.log('seeds written to', out.pathname);
