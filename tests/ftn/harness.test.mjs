// The FTN-style provider of provider.mjs, checked with jose as the whole client side (no pkjwt):
// a jose-signed request object, a jose-signed client assertion, the code exchange, the encrypted
// ID token decrypted with compactDecrypt and verified with jwtVerify, and the encrypted userinfo
// likewise, for RSA-OAEP-256 with A128CBC-HS256 and with A256GCM. This shows the provider's setup
// is FTN-correct independently of pkjwt; flow.test.mjs then drives the same provider with pkjwt.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as jose from 'jose';
import { REDIRECT_URI, SCOPE, TEST_PERSON, completeLogin, ftnClient, startFtnProvider } from './provider.mjs';

const ENCS = ['A128CBC-HS256', 'A256GCM'];
const clientIdFor = (enc) => `jose-ftn-${enc.toLowerCase()}`;
const plainClientId = 'jose-ftn-unencrypted';

async function keyPair(alg, use, kid) {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  return { privateKey, jwk: { ...(await jose.exportJWK(publicKey)), kid, use, alg } };
}

let op;
let sig;
let enc;
before(async () => {
  sig = await keyPair('RS256', 'sig', 'rp-sig-1');
  enc = await keyPair('RSA-OAEP-256', 'enc', 'rp-enc-1');
  const jwks = { keys: [sig.jwk, enc.jwk] };
  op = await startFtnProvider({
    clients: [
      ...ENCS.map((e) => ftnClient({ clientId: clientIdFor(e), jwks, enc: e })),
      ftnClient({ clientId: plainClientId, jwks, enc: null }),
    ],
  });
});

after(async () => {
  await op?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

function requestObject(clientId, params) {
  const now = nowSeconds();
  return new jose.SignJWT({ ...params, client_id: clientId, jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid: sig.jwk.kid, typ: 'oauth-authz-req+jwt' })
    .setIssuer(clientId)
    .setAudience(op.issuer)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300)
    .sign(sig.privateKey);
}

function clientAssertion(clientId) {
  return new jose.SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid: sig.jwk.kid, typ: 'client-authentication+jwt' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(op.issuer)
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(sig.privateKey);
}

function authorizeUrl(clientId, fields) {
  const url = new URL(op.discovery.authorization_endpoint);
  for (const [name, value] of Object.entries({ client_id: clientId, ...fields })) url.searchParams.set(name, value);
  return url.href;
}

async function tokenRequest(clientId, code) {
  const response = await fetch(op.discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion(clientId),
    }),
  });
  return { status: response.status, body: await response.json() };
}

async function userinfo(accessToken) {
  const response = await fetch(op.discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

function params(state, nonce) {
  return { response_type: 'code', redirect_uri: REDIRECT_URI, scope: SCOPE, state, nonce };
}

async function loginAndExchange(clientId) {
  const state = crypto.randomBytes(16).toString('base64url');
  const nonce = crypto.randomBytes(16).toString('base64url');
  const login = await completeLogin(authorizeUrl(clientId, { request: await requestObject(clientId, params(state, nonce)) }));
  assert.equal(login.error, undefined, login.errorDescription);
  assert.equal(login.state, state);
  assert.equal(login.iss, op.issuer);
  assert.deepEqual(login.prompts, ['login', 'consent']);
  const token = await tokenRequest(clientId, login.code);
  assert.equal(token.status, 200, JSON.stringify(token.body));
  return { ...token.body, nonce };
}

describe('the FTN-style provider, with jose as the client', () => {
  test('discovery: request objects, private_key_jwt, encryption algorithms, PAR', () => {
    const d = op.discovery;
    assert.equal(d.issuer, op.issuer);
    assert.equal(d.request_parameter_supported, true);
    assert.ok(d.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
    assert.deepEqual(d.token_endpoint_auth_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(d.request_object_signing_alg_values_supported, ['RS256']);
    assert.ok(d.id_token_encryption_alg_values_supported.includes('RSA-OAEP-256'));
    assert.deepEqual(d.id_token_encryption_enc_values_supported, ['A128CBC-HS256', 'A256GCM']);
    assert.ok(d.userinfo_encryption_alg_values_supported.includes('RSA-OAEP-256'));
    assert.equal(typeof d.pushed_authorization_request_endpoint, 'string');
    assert.deepEqual(op.jwks.keys.map((k) => [k.kty, k.alg, k.use]), [['RSA', 'RS256', 'sig']]);
    assert.equal(op.jwks.keys[0].d, undefined);
  });

  for (const contentEncryption of ENCS) {
    test(`code flow with RSA-OAEP-256 + ${contentEncryption}: encrypted ID token and userinfo`, async () => {
      const clientId = clientIdFor(contentEncryption);
      const { id_token: idToken, access_token: accessToken, nonce } = await loginAndExchange(clientId);

      assert.equal(idToken.split('.').length, 5, 'the ID token is a compact JWE');
      const { plaintext, protectedHeader } = await jose.compactDecrypt(idToken, enc.privateKey, {
        keyManagementAlgorithms: ['RSA-OAEP-256'], contentEncryptionAlgorithms: [contentEncryption],
      });
      assert.equal(protectedHeader.alg, 'RSA-OAEP-256');
      assert.equal(protectedHeader.enc, contentEncryption);
      assert.equal(protectedHeader.kid, enc.jwk.kid);
      assert.equal(protectedHeader.cty, 'JWT');
      const inner = new TextDecoder().decode(plaintext);
      const providerKeys = jose.createLocalJWKSet(op.jwks);
      const { payload, protectedHeader: jwsHeader } = await jose.jwtVerify(inner, providerKeys, {
        issuer: op.issuer, audience: clientId, algorithms: ['RS256'],
      });
      assert.equal(jwsHeader.alg, 'RS256');
      assert.equal(jwsHeader.kid, 'op-rs256');
      assert.equal(payload.sub, TEST_PERSON.sub);
      assert.equal(payload.nonce, nonce);

      const info = await userinfo(accessToken);
      assert.equal(info.status, 200, info.body);
      assert.match(info.type, /^application\/jwt/);
      assert.equal(info.body.split('.').length, 5, 'the userinfo response is a compact JWE');
      const decryptedInfo = await jose.compactDecrypt(info.body, enc.privateKey);
      assert.equal(decryptedInfo.protectedHeader.enc, contentEncryption);
      const claims = await jose.jwtVerify(new TextDecoder().decode(decryptedInfo.plaintext), providerKeys, {
        issuer: op.issuer, audience: clientId, algorithms: ['RS256'],
      });
      for (const [name, value] of Object.entries(TEST_PERSON)) assert.equal(claims.payload[name], value, name);
    });
  }

  test('a client without encryption gets a plain signed ID token', async () => {
    const { id_token: idToken } = await loginAndExchange(plainClientId);
    assert.equal(idToken.split('.').length, 3);
    const { payload } = await jose.jwtVerify(idToken, jose.createLocalJWKSet(op.jwks), { issuer: op.issuer, audience: plainClientId });
    assert.equal(payload.sub, TEST_PERSON.sub);
  });

  test('PAR: the request object pushed with a client assertion, then request_uri', async () => {
    const clientId = clientIdFor('A256GCM');
    const state = crypto.randomBytes(8).toString('hex');
    const pushed = await fetch(op.discovery.pushed_authorization_request_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: clientId,
        request: await requestObject(clientId, params(state, 'n-par')),
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await clientAssertion(clientId),
      }),
    });
    const par = await pushed.json();
    assert.equal(pushed.status, 201, JSON.stringify(par));
    assert.match(par.request_uri, /^urn:ietf:params:oauth:request_uri:/);
    const login = await completeLogin(authorizeUrl(clientId, { request_uri: par.request_uri }));
    assert.equal(login.state, state);
    const token = await tokenRequest(clientId, login.code);
    assert.equal(token.status, 200, JSON.stringify(token.body));
    const { plaintext } = await jose.compactDecrypt(token.body.id_token, enc.privateKey);
    const { payload } = await jose.jwtVerify(new TextDecoder().decode(plaintext), jose.createLocalJWKSet(op.jwks), {
      issuer: op.issuer, audience: clientId,
    });
    assert.equal(payload.nonce, 'n-par');
  });

  test('the provider refuses what FTN forbids', async () => {
    const clientId = clientIdFor('A128CBC-HS256');
    // Plain authorization parameters, no request object.
    const plain = await completeLogin(authorizeUrl(clientId, params('s', 'n')));
    assert.equal(plain.error, 'invalid_request');
    assert.match(plain.errorDescription, /Request Object must be used/);
    // A request object signed by a key the client never registered.
    const stranger = await jose.generateKeyPair('RS256');
    const now = nowSeconds();
    const forged = await new jose.SignJWT({ ...params('s', 'n'), client_id: clientId })
      .setProtectedHeader({ alg: 'RS256', kid: sig.jwk.kid })
      .setIssuer(clientId).setAudience(op.issuer).setIssuedAt(now).setExpirationTime(now + 60)
      .sign(stranger.privateKey);
    const refused = await completeLogin(authorizeUrl(clientId, { request: forged }));
    assert.equal(refused.error, 'invalid_request_object');
    // The user cancels.
    const cancelled = await completeLogin(authorizeUrl(clientId, { request: await requestObject(clientId, params('s', 'n')) }), { cancel: true });
    assert.equal(cancelled.error, 'access_denied');
    assert.equal(op.serverErrors.length, 0, op.serverErrors.map(String).join('\n'));
  });
});
