// pkjwt (imported by name) against a real token endpoint: panva's oidc-provider v9 on 127.0.0.1,
// client_credentials grant, private_key_jwt client authentication with keys registered as
// toJwks([...]). Also: what oidc-provider accepted, pkjwt's own verifier accepts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  clientAuthParams, createClientAssertion, generateKey, importKey, isPkjwtError, PkjwtError, ReplayCache,
  requestToken, toJwks, verifyClientAssertion,
} from 'pkjwt';
import { rejectsPkjwt, splitJws, throwsPkjwt } from './helpers/assert.mjs';
import { postForm, startProvider } from './helpers/oidc-server.mjs';

const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519'];
const clientId = 'pkjwt-client';
const pinnedClientId = 'pkjwt-client-ps256-only';

// One RSA key (wasm RSA key generation is slow), bound to each RSA alg under its own kid so the
// registered JWK Set has one entry per (kid, alg); fresh EC and OKP keys.
const rsa = generateKey('RS256', { kid: 'rsa-RS256' });
const keys = Object.fromEntries(ALGS.map((alg) => {
  if (alg === 'RS256') return [alg, rsa];
  if (/^[RP]S/.test(alg)) return [alg, importKey(rsa.toPem(), { alg, kid: `rsa-${alg}` })];
  return [alg, generateKey(alg)];
}));
const registered = toJwks(Object.values(keys));
const pinnedRsa = importKey(rsa.toPem(), { kid: 'rsa-unbound' }); // no alg: the server pins PS256

let op;
before(async () => {
  op = await startProvider({
    algorithms: ALGS,
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'private_key_jwt',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        jwks: registered,
      },
      {
        client_id: pinnedClientId,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'PS256',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        jwks: toJwks([pinnedRsa]),
      },
    ],
  });
});

after(async () => {
  await op?.close();
});

/** A fetch that records the assertion of each request before sending it. */
function recordingFetch(sent) {
  return async (url, init) => {
    const form = new URLSearchParams(String(init.body));
    sent.push({ url: String(url), form });
    return fetch(url, init);
  };
}

const grant = { grant_type: 'client_credentials' };

describe('oidc-provider token endpoint accepts pkjwt assertions', () => {
  test('discovery advertises private_key_jwt and every algorithm', () => {
    assert.ok(op.discovery.token_endpoint_auth_methods_supported.includes('private_key_jwt'));
    for (const alg of ALGS) assert.ok(op.discovery.token_endpoint_auth_signing_alg_values_supported.includes(alg), alg);
    assert.equal(op.tokenEndpoint, `${op.issuer}/token`);
    assert.equal(registered.keys.length, ALGS.length);
    for (const jwk of registered.keys) assert.equal(jwk.d, undefined);
  });

  for (const alg of ALGS) {
    test(`requestToken with a key for ${alg} gets an access token`, async () => {
      const key = keys[alg];
      const sent = [];
      const response = await requestToken({
        tokenEndpoint: op.tokenEndpoint, clientId, key, audience: op.issuer, params: grant, fetch: recordingFetch(sent),
      });
      assert.equal(typeof response.access_token, 'string');
      assert.ok(response.access_token.length > 0);
      assert.equal(response.token_type, 'Bearer');
      assert.equal(response.expires_in, 600);

      // What went over the wire.
      assert.equal(sent.length, 1);
      const { url, form } = sent[0];
      assert.equal(url, op.tokenEndpoint);
      assert.equal(form.get('grant_type'), 'client_credentials');
      assert.equal(form.get('client_id'), clientId);
      assert.equal(form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      const assertion = form.get('client_assertion');
      const { header, payload } = splitJws(assertion);
      assert.deepEqual(header, { alg, kid: key.kid, typ: 'client-authentication+jwt' });
      assert.equal(payload.aud, op.issuer);

      // oidc-provider recorded the jti for its own replay detection.
      const replayId = crypto.hash('sha256', `${clientId}${payload.jti}`, 'base64url');
      assert.ok(op.records.has(`ReplayDetection:${replayId}`), 'oidc-provider stored the (iss, jti)');

      // The very assertion oidc-provider accepted passes pkjwt's own (stricter) verifier, with
      // the JWK Set as registered, and only once with a replay cache.
      const replayCache = new ReplayCache();
      const verified = verifyClientAssertion(assertion, {
        audience: op.issuer, clientId, keys: registered, algorithms: [alg], requireTyp: true, replayCache,
      });
      assert.equal(verified.payload.jti, payload.jti);
      assert.equal(verified.key.kid, key.kid);
      assert.equal(verified.key.thumbprint(), key.thumbprint());
      throwsPkjwt(() => verifyClientAssertion(assertion, { audience: op.issuer, clientId, keys: registered, replayCache }),
        'ERR_JWT_REPLAYED');
    });
  }

  test('the token endpoint URL as audience is accepted too (Okta-style recipe)', async () => {
    const response = await requestToken({
      tokenEndpoint: op.tokenEndpoint, clientId, key: keys.ES256, audience: op.tokenEndpoint, params: grant,
    });
    assert.equal(typeof response.access_token, 'string');
  });

  test('a client pinned to token_endpoint_auth_signing_alg PS256', async () => {
    const ok = await requestToken({
      tokenEndpoint: op.tokenEndpoint, clientId: pinnedClientId, key: pinnedRsa, alg: 'PS256', audience: op.issuer, params: grant,
    });
    assert.equal(typeof ok.access_token, 'string');
    // The same key signing RS256 (pkjwt's RSA default) is refused by the server.
    await rejectsPkjwt(requestToken({
      tokenEndpoint: op.tokenEndpoint, clientId: pinnedClientId, key: pinnedRsa, audience: op.issuer, params: grant,
    }), 'ERR_TOKEN_REQUEST_FAILED', { status: 401, error: 'invalid_client' });
  });
});

describe('oidc-provider refuses what it must', () => {
  test('replaying the exact same assertion is rejected with invalid_client', async () => {
    const assertion = createClientAssertion({ clientId, audience: op.issuer, key: keys.ES256 });
    const fields = { ...grant, client_id: clientId, ...clientAuthParams(assertion) };
    const first = await postForm(op.tokenEndpoint, fields);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(typeof first.body.access_token, 'string');
    const second = await postForm(op.tokenEndpoint, fields);
    assert.ok([400, 401].includes(second.status), `status ${second.status}`);
    assert.equal(second.body.error, 'invalid_client');
    // pkjwt's verifier with a replay cache agrees.
    const replayCache = new ReplayCache();
    verifyClientAssertion(assertion, { audience: op.issuer, clientId, keys: registered, replayCache });
    throwsPkjwt(() => verifyClientAssertion(assertion, { audience: op.issuer, clientId, keys: registered, replayCache }),
      'ERR_JWT_REPLAYED');
  });

  test('an unregistered key: ERR_TOKEN_REQUEST_FAILED with status and invalid_client', async () => {
    const stranger = generateKey('ES256');
    const error = await rejectsPkjwt(requestToken({
      tokenEndpoint: op.tokenEndpoint, clientId, key: stranger, audience: op.issuer, params: grant,
    }), 'ERR_TOKEN_REQUEST_FAILED', { status: 401, error: 'invalid_client' });
    assert.ok(error instanceof PkjwtError && error instanceof Error && isPkjwtError(error));
    assert.equal(typeof error.errorDescription, 'string');
    assert.match(error.message, /401/);
    throwsPkjwt(() => verifyClientAssertion(createClientAssertion({ clientId, audience: op.issuer, key: stranger }),
      { audience: op.issuer, clientId, keys: registered }), 'ERR_JWKS_NO_MATCHING_KEY');
  });

  test('a wrong key under a registered kid: invalid_client (signature)', async () => {
    const impostor = importKey(generateKey('ES256').toPem(), { alg: 'ES256', kid: keys.ES256.kid });
    await rejectsPkjwt(requestToken({
      tokenEndpoint: op.tokenEndpoint, clientId, key: impostor, audience: op.issuer, params: grant,
    }), 'ERR_TOKEN_REQUEST_FAILED', { status: 401, error: 'invalid_client' });
    throwsPkjwt(() => verifyClientAssertion(createClientAssertion({ clientId, audience: op.issuer, key: impostor }),
      { audience: op.issuer, clientId, keys: registered }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  test('a wrong audience: invalid_client', async () => {
    await rejectsPkjwt(requestToken({
      tokenEndpoint: op.tokenEndpoint, clientId, key: keys.EdDSA, audience: 'https://evil.example', params: grant,
    }), 'ERR_TOKEN_REQUEST_FAILED', { status: 401, error: 'invalid_client' });
  });

  test('an unknown client id: invalid_client', async () => {
    await rejectsPkjwt(requestToken({
      tokenEndpoint: op.tokenEndpoint, clientId: 'nobody', key: keys.ES256, audience: op.issuer, params: grant,
    }), 'ERR_TOKEN_REQUEST_FAILED', { status: 401, error: 'invalid_client' });
  });

  test('an expired assertion: invalid_client', async () => {
    const assertion = createClientAssertion({
      clientId, audience: op.issuer, key: keys.ES256, now: Math.floor(Date.now() / 1000) - 600,
    });
    const result = await postForm(op.tokenEndpoint, { ...grant, client_id: clientId, ...clientAuthParams(assertion) });
    assert.ok([400, 401].includes(result.status), `status ${result.status}`);
    assert.equal(result.body.error, 'invalid_client');
    throwsPkjwt(() => verifyClientAssertion(assertion, { audience: op.issuer, clientId, keys: registered }), 'ERR_JWT_EXPIRED');
  });
});
