// The FTN integration of examples/ftn.mjs (the README's "Integrating with FTN" walkthrough), driven
// end to end by pkjwt against the FTN-style oidc-provider of provider.mjs: keys -> JWKS registered
// with the provider -> signed request object -> authorization URL (or PAR) -> login through the
// provider's interaction endpoints -> token request with private_key_jwt -> the encrypted ID token
// decrypted and verified -> the encrypted userinfo likewise. For RSA-OAEP-256 with A128CBC-HS256
// and with A256GCM; jose checks the same artefacts independently. Then the failure modes: a wrong
// nonce, an unencrypted ID token when encryption is required, a wrong decryption key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import { importKey, openIdToken, openUserinfo, requestToken } from 'pkjwt';
import {
  createKeys, discover, finishLogin, jwksToRegister, loadKeys, startLogin, startLoginWithPar,
} from '../../examples/ftn.mjs';
import { rejectsPkjwt, throwsPkjwt } from '../js/helpers/assert.mjs';
import { REDIRECT_URI, TEST_PERSON, completeLogin, ftnClient, startFtnProvider } from './provider.mjs';

const ENCS = ['A128CBC-HS256', 'A256GCM'];
const clientIdFor = (enc) => `pkjwt-ftn-${enc.toLowerCase()}`;
const plainClientId = 'pkjwt-ftn-unencrypted';

// RSA keys from node:crypto (fast), loaded the way the example loads PEM files.
const pemPair = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
const signingPem = pemPair();
const encryptionPem = pemPair();

let op;
let keys;
let registered;
let provider; // { metadata, jwks } from discovery, as the example gets it
before(async () => {
  keys = loadKeys({ signingPem, encryptionPem });
  registered = jwksToRegister(keys);
  op = await startFtnProvider({
    clients: [
      ...ENCS.map((enc) => ftnClient({ clientId: clientIdFor(enc), jwks: registered, enc })),
      ftnClient({ clientId: plainClientId, jwks: registered, enc: null }),
    ],
  });
  provider = await discover(op.issuer);
});

after(async () => {
  await op?.close();
});

const joseEncryptionKey = () => crypto.createPrivateKey(encryptionPem);
const joseProviderKeys = () => jose.createLocalJWKSet(op.jwks);

/** The example's login, completed by the test user; returns what the callback needs. */
async function login(clientId, { par = false } = {}) {
  const started = await (par ? startLoginWithPar : startLogin)({
    metadata: provider.metadata, clientId, keys, redirectUri: REDIRECT_URI,
  });
  const done = await completeLogin(started.url);
  assert.equal(done.error, undefined, done.errorDescription);
  return { ...started, callbackUrl: done.location, code: done.code };
}

/** The example's steps up to the token response (for the failure modes). */
async function tokensFor(clientId) {
  const { code, nonce } = await login(clientId);
  const tokens = await requestToken({
    tokenEndpoint: provider.metadata.token_endpoint, clientId, key: keys.signingKey, audience: op.issuer,
    params: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
  });
  return { tokens, nonce };
}

describe('step 1-2: keys and the JWK Set to register', () => {
  test('separate sig and enc keys; only public members; accepted by oidc-provider as client jwks', () => {
    assert.equal(registered.keys.length, 2);
    const [sig, enc] = registered.keys;
    assert.deepEqual([sig.kty, sig.use, sig.alg, sig.kid], ['RSA', 'sig', 'RS256', 'rp-sig-1']);
    assert.deepEqual([enc.kty, enc.use, enc.alg, enc.kid], ['RSA', 'enc', 'RSA-OAEP-256', 'rp-enc-1']);
    for (const jwk of registered.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(jwk[member], undefined);
    assert.notEqual(sig.n, enc.n);
    assert.equal(keys.encryptionKey.use, 'enc');
    assert.equal(keys.signingKey.use ?? 'sig', 'sig');
    assert.equal(provider.metadata.issuer, op.issuer);
  });

  test('createKeys() makes a fresh pair the idura-ftn preset accepts; one key for both uses is refused', () => {
    const fresh = createKeys();
    const jwks = jwksToRegister(fresh);
    assert.deepEqual(jwks.keys.map((k) => [k.use, k.alg]), [['sig', 'RS256'], ['enc', 'RSA-OAEP-256']]);
    const reused = { signingKey: keys.signingKey, encryptionKey: importKey(signingPem, { alg: 'RSA-OAEP-256' }) };
    throwsPkjwt(() => jwksToRegister(reused), 'ERR_INVALID_ARGUMENT');
  });
});

describe('step 3: the request object and the authorization URL', () => {
  test('only client_id and request on the URL; the request object verifies with jose', async () => {
    const clientId = clientIdFor('A128CBC-HS256');
    const { url, state, nonce } = startLogin({ metadata: provider.metadata, clientId, keys, redirectUri: REDIRECT_URI });
    const parsed = new URL(url);
    assert.equal(`${parsed.origin}${parsed.pathname}`, provider.metadata.authorization_endpoint);
    assert.deepEqual([...parsed.searchParams.keys()].sort(), ['client_id', 'request']);
    assert.equal(parsed.searchParams.get('client_id'), clientId);
    const sigJwk = registered.keys.find((k) => k.use === 'sig');
    const { payload, protectedHeader } = await jose.jwtVerify(parsed.searchParams.get('request'), await jose.importJWK(sigJwk, 'RS256'), {
      issuer: clientId, audience: op.issuer, typ: 'oauth-authz-req+jwt', algorithms: ['RS256'],
    });
    assert.equal(protectedHeader.kid, 'rp-sig-1');
    assert.equal(payload.client_id, clientId);
    assert.equal(payload.response_type, 'code');
    assert.equal(payload.redirect_uri, REDIRECT_URI);
    assert.equal(payload.scope, 'openid profile ssn');
    assert.equal(payload.state, state);
    assert.equal(payload.nonce, nonce);
    assert.equal(payload.nbf, payload.iat);
    assert.equal(payload.exp - payload.iat, 300);
    assert.equal(typeof payload.jti, 'string');
  });
});

describe('step 4: the whole flow, ending in a verified, decrypted ID token and userinfo', () => {
  for (const enc of ENCS) {
    test(`RSA-OAEP-256 + ${enc}`, async () => {
      const clientId = clientIdFor(enc);
      const { url, state, nonce, callbackUrl } = await login(clientId);
      assert.ok(url.startsWith(provider.metadata.authorization_endpoint));
      const { tokens, idToken, userinfo } = await finishLogin({
        ...provider, clientId, keys, redirectUri: REDIRECT_URI, callbackUrl, state, nonce,
      });

      assert.equal(tokens.id_token.split('.').length, 5);
      assert.equal(idToken.jweHeader.alg, 'RSA-OAEP-256');
      assert.equal(idToken.jweHeader.enc, enc);
      assert.equal(idToken.jweHeader.kid, 'rp-enc-1');
      assert.equal(idToken.header.alg, 'RS256');
      assert.equal(idToken.payload.iss, op.issuer);
      assert.equal(idToken.payload.sub, TEST_PERSON.sub);
      assert.equal(idToken.payload.nonce, nonce);
      assert.ok([idToken.payload.aud].flat().includes(clientId));
      for (const [name, value] of Object.entries(TEST_PERSON)) assert.equal(userinfo[name], value, name);

      // jose, independently, reads the same ID token the same way.
      const { plaintext } = await jose.compactDecrypt(tokens.id_token, joseEncryptionKey());
      const checked = await jose.jwtVerify(new TextDecoder().decode(plaintext), joseProviderKeys(), { issuer: op.issuer, audience: clientId });
      assert.deepEqual(idToken.payload, checked.payload);
    });
  }

  test('PAR: pushAuthorizationRequest, then authorizationUrl with requestUri', async () => {
    const clientId = clientIdFor('A256GCM');
    const { url, state, nonce, callbackUrl } = await login(clientId, { par: true });
    const parsed = new URL(url);
    assert.deepEqual([...parsed.searchParams.keys()].sort(), ['client_id', 'request_uri']);
    assert.match(parsed.searchParams.get('request_uri'), /^urn:ietf:params:oauth:request_uri:/);
    const { idToken, userinfo } = await finishLogin({ ...provider, clientId, keys, redirectUri: REDIRECT_URI, callbackUrl, state, nonce });
    assert.equal(idToken.payload.nonce, nonce);
    assert.equal(userinfo.hetu, TEST_PERSON.hetu);
  });
});

describe('failure modes', () => {
  test('a wrong nonce: ERR_JWT_CLAIM_VALIDATION_FAILED on claim nonce', async () => {
    const clientId = clientIdFor('A128CBC-HS256');
    const { state, callbackUrl } = await login(clientId);
    const error = await rejectsPkjwt(finishLogin({
      ...provider, clientId, keys, redirectUri: REDIRECT_URI, callbackUrl, state, nonce: 'not-the-nonce-sent',
    }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    assert.equal(error.claim, 'nonce');
  });

  test('a state mismatch stops before the token request', async () => {
    const clientId = clientIdFor('A128CBC-HS256');
    const { nonce, callbackUrl } = await login(clientId);
    await assert.rejects(finishLogin({ ...provider, clientId, keys, redirectUri: REDIRECT_URI, callbackUrl, state: 'other', nonce }), /state mismatch/);
  });

  test('an unencrypted ID token when encryption is required: refused (ERR_JWE_INVALID)', async () => {
    const { tokens, nonce } = await tokensFor(plainClientId);
    assert.equal(tokens.id_token.split('.').length, 3);
    const opts = { decryptionKeys: [keys.encryptionKey], issuer: op.issuer, clientId: plainClientId, keys: provider.jwks, nonce };
    throwsPkjwt(() => openIdToken(tokens.id_token, opts), 'ERR_JWE_INVALID');
    // Explicitly allowed, the same signed token verifies; without decryption keys it verifies too.
    assert.equal(openIdToken(tokens.id_token, { ...opts, requireEncryption: false }).payload.sub, TEST_PERSON.sub);
    const { decryptionKeys, ...plain } = opts;
    assert.ok(decryptionKeys);
    const opened = openIdToken(tokens.id_token, plain);
    assert.equal(opened.payload.nonce, nonce);
    assert.equal(opened.jweHeader, undefined);
  });

  test('a wrong decryption key (same kid): ERR_JWE_DECRYPTION_FAILED, for the ID token and the userinfo', async () => {
    const clientId = clientIdFor('A256GCM');
    const { tokens, nonce } = await tokensFor(clientId);
    const impostor = importKey(pemPair(), { alg: 'RSA-OAEP-256', kid: 'rp-enc-1' });
    throwsPkjwt(() => openIdToken(tokens.id_token, {
      decryptionKeys: [impostor], issuer: op.issuer, clientId, keys: provider.jwks, nonce,
    }), 'ERR_JWE_DECRYPTION_FAILED');
    const response = await fetch(provider.metadata.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const body = await response.text();
    throwsPkjwt(() => openUserinfo(body, {
      decryptionKeys: [impostor], issuer: op.issuer, clientId, keys: provider.jwks, subject: TEST_PERSON.sub,
    }), 'ERR_JWE_DECRYPTION_FAILED');
    // With the right key the same userinfo opens; a different subject is refused.
    const claims = openUserinfo(body, { decryptionKeys: [keys.encryptionKey], issuer: op.issuer, clientId, keys: provider.jwks, subject: TEST_PERSON.sub });
    assert.equal(claims.name, TEST_PERSON.name);
    throwsPkjwt(() => openUserinfo(body, {
      decryptionKeys: [keys.encryptionKey], issuer: op.issuer, clientId, keys: provider.jwks, subject: 'someone-else',
    }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  });

  test('the ID token for another client: aud refused', async () => {
    const { tokens, nonce } = await tokensFor(plainClientId);
    const error = throwsPkjwt(() => openIdToken(tokens.id_token, {
      issuer: op.issuer, clientId: clientIdFor('A256GCM'), keys: provider.jwks, nonce,
    }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    assert.equal(error.claim, 'aud');
  });
});

describe('the README walkthrough is this example', () => {
  test('every code block of "Integrating with FTN" appears in examples/ftn.mjs', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('../../examples/ftn.mjs', import.meta.url), 'utf8');
    const section = /^## Integrating with FTN\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
    assert.ok(section, 'README has the section');
    const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.ok(blocks.length >= 4, `${blocks.length} js blocks`);
    const squash = (text) => text.replace(/\s+/g, ' ').trim();
    for (const block of blocks) assert.ok(squash(example).includes(squash(block)), `not in examples/ftn.mjs:\n${block}`);
  });
});
