// Issue 8 (FTN) against real peers: panva's jose 6 verifying pkjwt's request objects and signed JWK
// Sets and minting the ID tokens, userinfo JWTs and signed JWK Sets pkjwt verifies; panva's
// oidc-provider v9 accepting a pushed authorization request (RFC 9126) authenticated with
// private_key_jwt and carrying a signed request object (RFC 9101), and accepting the request and
// request_uri URLs authorizationUrl builds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as jose from 'jose';
import {
  authorizationUrl, createClientAssertion, createRequestObject, createSignedJwks, generateKey,
  pushAuthorizationRequest, ReplayCache, toJwks, verifyClientAssertion, verifyIdToken, verifyRequestObject,
  verifySignedJwks, verifyUserinfo,
} from 'pkjwt';
import { nowSeconds, rejectsPkjwt, splitJws, throwsPkjwt } from './helpers/assert.mjs';
import { startProvider } from './helpers/oidc-server.mjs';

const clientId = 'ftn-client';
const issuer = 'https://broker.example';
const redirectUri = 'https://rp.example/callback';
const params = { response_type: 'code', scope: 'openid', redirect_uri: redirectUri, state: 'st-1', nonce: 'n-1' };
const key = generateKey('ES256');
const jwk = key.publicKey().toJwk();

/** A token with one segment changed by a single payload claim. */
function withPayload(token, change) {
  const [h, , s] = token.split('.');
  const payload = { ...splitJws(token).payload, ...change };
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

describe('request objects', () => {
  test('jose jwtVerify accepts ours: typ oauth-authz-req+jwt, iss = client_id = clientId, aud, exp/iat/nbf/jti', async () => {
    const token = createRequestObject({ clientId, audience: issuer, key, params });
    const { payload, protectedHeader } = await jose.jwtVerify(token, await jose.importJWK(jwk, 'ES256'), {
      issuer: clientId, audience: issuer, typ: 'oauth-authz-req+jwt', algorithms: ['ES256'],
      requiredClaims: ['exp', 'iat', 'nbf', 'jti', 'client_id'],
    });
    assert.equal(protectedHeader.kid, key.kid);
    assert.equal(payload.client_id, clientId);
    assert.equal(payload.exp - payload.iat, 300);
    assert.equal(payload.nbf, payload.iat);
    for (const [name, value] of Object.entries(params)) assert.equal(payload[name], value);
    assert.equal(verifyRequestObject(token, { clientId, audience: issuer, keys: key }).payload.state, 'st-1');
  });

  test('typ: null and jti: null omit them (as Idura\'s example does); params cannot override claims', () => {
    const token = createRequestObject({ clientId, audience: issuer, key, params, typ: null, jti: null });
    const { header, payload } = splitJws(token);
    assert.equal(header.typ, undefined);
    assert.equal(payload.jti, undefined);
    for (const name of ['iss', 'aud', 'client_id', 'exp', 'request', 'request_uri']) {
      throwsPkjwt(() => createRequestObject({ clientId, audience: issuer, key, params: { ...params, [name]: 'x' } }),
        'ERR_INVALID_ARGUMENT');
    }
    throwsPkjwt(() => createRequestObject({ clientId, audience: issuer, key, params, lifetime: 3601 }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => createRequestObject({ clientId, audience: issuer, key, parms: params }), 'ERR_INVALID_ARGUMENT');
  });

  test('our verifier accepts jose-made request objects and refuses tampered, mis-typed and foreign ones', async () => {
    const josePrivate = await jose.importJWK(key.toJwk({ private: true }), 'ES256');
    const now = nowSeconds();
    const make = (typ, claims = {}) => new jose.SignJWT({ client_id: clientId, ...params, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, ...(typ ? { typ } : {}) })
      .setIssuer(clientId).setAudience(issuer).setIssuedAt(now).setExpirationTime(now + 120).setJti(`j-${Math.random()}`)
      .sign(josePrivate);
    const opts = { clientId, audience: issuer, keys: [jwk] };
    assert.equal(verifyRequestObject(await make('oauth-authz-req+jwt'), opts).payload.nonce, 'n-1');
    verifyRequestObject(await make(undefined), opts);
    throwsPkjwt(() => verifyRequestObject(42, opts), 'ERR_INVALID_ARGUMENT');
    const good = await make('oauth-authz-req+jwt');
    throwsPkjwt(() => verifyRequestObject(withPayload(good, { scope: 'openid admin' }), opts),
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    await rejectsPkjwt(async () => verifyRequestObject(await make('client-authentication+jwt'), opts),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'typ', reason: 'check_failed' });
    await rejectsPkjwt(async () => verifyRequestObject(await make(undefined), { ...opts, requireTyp: true }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'typ', reason: 'missing' });
    await rejectsPkjwt(async () => verifyRequestObject(await make('oauth-authz-req+jwt', { client_id: 'other' }), opts),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'client_id', reason: 'mismatch' });
    await rejectsPkjwt(async () => verifyRequestObject(await make('oauth-authz-req+jwt', { request_uri: 'urn:x' }), opts),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'request_uri', reason: 'check_failed' });
    const replayCache = new ReplayCache();
    verifyRequestObject(good, { ...opts, replayCache });
    throwsPkjwt(() => verifyRequestObject(good, { ...opts, replayCache }), 'ERR_JWT_REPLAYED');
  });

  test('a client assertion is never a request object, and a request object never a client assertion', () => {
    const assertion = createClientAssertion({ clientId, audience: issuer, key });
    throwsPkjwt(() => verifyRequestObject(assertion, { clientId, audience: issuer, keys: key }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'typ' });
    const untypedAssertion = createClientAssertion({ clientId, audience: issuer, key, typ: null });
    throwsPkjwt(() => verifyRequestObject(untypedAssertion, { clientId, audience: issuer, keys: key }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'client_id', reason: 'missing' });
    const request = createRequestObject({ clientId, audience: issuer, key, params: { ...params, sub: clientId } });
    throwsPkjwt(() => verifyClientAssertion(request, { audience: issuer, keys: key, maxLifetime: 3600 }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'typ' });
  });
});

describe('authorizationUrl', () => {
  test('only client_id and request (or request_uri) are added, URL-safe, after the endpoint\'s own query', () => {
    const requestObject = createRequestObject({ clientId: 'client id&x', audience: issuer, key, params });
    const url = new URL(authorizationUrl({
      authorizationEndpoint: 'https://broker.example/oauth2/authorize?tenant=a%20b', clientId: 'client id&x', requestObject,
    }));
    assert.deepEqual([...url.searchParams.keys()], ['tenant', 'client_id', 'request']);
    assert.equal(url.searchParams.get('tenant'), 'a b');
    assert.equal(url.searchParams.get('client_id'), 'client id&x');
    assert.equal(url.searchParams.get('request'), requestObject);
    assert.ok(url.href.startsWith('https://broker.example/oauth2/authorize?tenant=a%20b&client_id=client%20id%26x&request='));
    const byUri = authorizationUrl({ authorizationEndpoint: 'https://b.example/auth', clientId, requestUri: 'urn:ietf:params:oauth:request_uri:abc' });
    assert.equal(byUri, `https://b.example/auth?client_id=${clientId}&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc`);
  });

  test('refuses a fragment, a relative endpoint, both or neither request forms, and a clashing query', () => {
    const requestObject = 'a.b.c';
    throwsPkjwt(() => authorizationUrl({ authorizationEndpoint: 'https://b.example/auth#x', clientId, requestObject }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => authorizationUrl({ authorizationEndpoint: '/auth', clientId, requestObject }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => authorizationUrl({ authorizationEndpoint: 'https://b.example/auth', clientId }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => authorizationUrl({ authorizationEndpoint: 'https://b.example/auth', clientId, requestObject, requestUri: 'u' }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => authorizationUrl({ authorizationEndpoint: 'https://b.example/auth?client_id=x', clientId, requestObject }), 'ERR_INVALID_ARGUMENT');
    throwsPkjwt(() => authorizationUrl({ authorizationEndpoint: 'https://b.example/auth', clientId, requestObject, scope: 'openid' }), 'ERR_INVALID_ARGUMENT');
  });
});

describe('signed JWK Sets', () => {
  const entityKey = generateKey('RS256', { kid: 'entity-1' });
  const entityJwk = entityKey.publicKey().toJwk();
  const published = [generateKey('ES256'), generateKey('ES256')];
  const rp = 'https://rp.example';

  test('jose jwtVerify accepts our jwk-set+jwt and entity-statement+jwt', async () => {
    const entityPublic = await jose.importJWK(entityJwk, 'RS256');
    const jwt = createSignedJwks({ keys: published, signingKey: entityKey, iss: rp });
    const { payload, protectedHeader } = await jose.jwtVerify(jwt, entityPublic, {
      typ: 'jwk-set+jwt', issuer: rp, subject: rp, requiredClaims: ['iat', 'exp', 'keys'],
    });
    assert.equal(protectedHeader.kid, 'entity-1');
    assert.deepEqual(payload.keys, toJwks(published).keys);
    assert.deepEqual(verifySignedJwks(jwt, { keys: entityKey.publicKey(), issuer: rp }).keys, toJwks(published).keys);

    const statement = createSignedJwks({
      keys: [], signingKey: entityKey, iss: rp, format: 'entity-statement', signedJwksUri: `${rp}/signed.jwks`,
    });
    const entity = await jose.jwtVerify(statement, entityPublic, { typ: 'entity-statement+jwt', issuer: rp, subject: rp });
    assert.deepEqual(entity.payload.metadata, { openid_relying_party: { signed_jwks_uri: `${rp}/signed.jwks` } });
    assert.equal(entity.payload.jwks.keys[0].kid, 'entity-1');
    assert.equal(entity.payload.jwks.keys[0].d, undefined);
    const verified = verifySignedJwks(statement, { keys: [entityJwk], issuer: rp });
    assert.equal(verified.format, 'entity-statement');
    assert.equal(verified.signedJwksUri, `${rp}/signed.jwks`);
  });

  test('our verifier accepts a jose-made signed JWKS (Telia\'s shape: no exp) and refuses tampered or mis-typed ones', async () => {
    const entityPrivate = await jose.importJWK(entityKey.toJwk({ private: true }), 'RS256');
    const keys = toJwks(published).keys;
    const make = (typ, claims = {}) => new jose.SignJWT({ keys, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'entity-1', typ })
      .setIssuer(rp).setSubject(rp).setIssuedAt()
      .sign(entityPrivate);
    const jwt = await make('jwk-set+jwt');
    assert.deepEqual(verifySignedJwks(jwt, { keys: { keys: [entityJwk] }, issuer: rp }).keys, keys);
    throwsPkjwt(() => verifySignedJwks(withPayload(jwt, { keys: [keys[0]] }), { keys: entityKey, issuer: rp }),
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    throwsPkjwt(() => verifySignedJwks(jwt, { keys: published[0], issuer: rp }), 'ERR_JWKS_NO_MATCHING_KEY');
    throwsPkjwt(() => verifySignedJwks(jwt, { keys: entityKey, issuer: 'https://other.example' }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'iss', reason: 'mismatch' });
    throwsPkjwt(() => verifySignedJwks(jwt, { keys: entityKey, issuer: rp, subject: 'https://other.example' }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'sub', reason: 'mismatch' });
    await rejectsPkjwt(async () => verifySignedJwks(await make('JWT'), { keys: entityKey, issuer: rp }),
      'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'typ', reason: 'check_failed' });
    await rejectsPkjwt(async () => verifySignedJwks(await make('jwk-set+jwt', { exp: nowSeconds() - 3600 }), { keys: entityKey, issuer: rp }),
      'ERR_JWT_EXPIRED');
    throwsPkjwt(() => createSignedJwks({ keys: { keys: [key.toJwk({ private: true })] }, signingKey: entityKey, iss: rp }),
      'ERR_JWK_INVALID');
  });
});

describe('ID tokens and signed userinfo (jose-minted)', () => {
  const op = 'https://op.example';
  let opPrivate;
  let opJwks;
  before(async () => {
    const pair = await jose.generateKeyPair('RS256', { extractable: true });
    opPrivate = pair.privateKey;
    opJwks = { keys: [{ ...(await jose.exportJWK(pair.publicKey)), kid: 'op-1', alg: 'RS256', use: 'sig' }] };
  });
  const now = nowSeconds();
  const base = { sub: 'user-1', nonce: 'n-1', auth_time: now - 100 };
  // `null` leaves a registered claim out.
  const mint = (claims = {}, { aud = clientId, iss = op, header = {}, exp = now + 300, iat = now } = {}) => {
    const jwt = new jose.SignJWT({ ...base, ...claims }).setProtectedHeader({ alg: 'RS256', kid: 'op-1', ...header });
    if (iss !== null) jwt.setIssuer(iss);
    if (aud !== null) jwt.setAudience(aud);
    if (exp !== null) jwt.setExpirationTime(exp);
    if (iat !== null) jwt.setIssuedAt(iat);
    return jwt.sign(opPrivate);
  };
  const opts = () => ({ issuer: op, clientId, keys: opJwks, nonce: 'n-1' });
  const claimFails = (token, claim, reason, extra = {}) => throwsPkjwt(
    () => verifyIdToken(token, { ...opts(), ...extra }), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim, reason });

  test('a good ID token passes; payload and header come back', async () => {
    const { payload, header } = verifyIdToken(await mint(), opts());
    assert.equal(payload.sub, 'user-1');
    assert.equal(header.kid, 'op-1');
    verifyIdToken(await mint({ azp: clientId }, { aud: [clientId, 'other'] }), opts());
  });

  test('OIDC Core §3.1.3.7 failure cases', async () => {
    await claimFails(await mint({}, { iss: `${op}/` }), 'iss', 'mismatch');
    await claimFails(await mint({}, { aud: 'other' }), 'aud', 'mismatch');
    await claimFails(await mint({}, { aud: [clientId, 'other'] }), 'azp', 'missing');
    await claimFails(await mint({ azp: 'other' }, { aud: [clientId, 'other'] }), 'azp', 'mismatch');
    await claimFails(await mint({ azp: 'other' }), 'azp', 'mismatch');
    await claimFails(await mint({}, { exp: null }), 'exp', 'missing');
    throwsPkjwt(() => verifyIdToken(42, opts()), 'ERR_INVALID_ARGUMENT');
    await rejectsPkjwt(async () => verifyIdToken(await mint({}, { exp: now - 60, iat: now - 400 }), opts()), 'ERR_JWT_EXPIRED');
    await claimFails(await mint({}, { iat: null }), 'iat', 'missing');
    await claimFails(await mint({}, { iat: now + 3600 }), 'iat', 'check_failed');
    await claimFails(await mint({ nonce: 'other' }), 'nonce', 'mismatch');
    await claimFails(await mint({ nonce: undefined }), 'nonce', 'missing');
    await claimFails(await mint({ sub: undefined }), 'sub', 'missing');
    await claimFails(await mint({ auth_time: undefined }), 'auth_time', 'missing', { maxAge: 600 });
    await claimFails(await mint({ auth_time: now - 3600 }), 'auth_time', 'check_failed', { maxAge: 600 });
    await claimFails(await mint({}, { header: { typ: 'logout+jwt' } }), 'typ', 'check_failed');
    const hs256 = await new jose.SignJWT(base).setProtectedHeader({ alg: 'HS256' }).setIssuer(op).setAudience(clientId)
      .setIssuedAt(now).setExpirationTime(now + 60).sign(new Uint8Array(32));
    throwsPkjwt(() => verifyIdToken(hs256, opts()), 'ERR_JOSE_ALG_NOT_ALLOWED');
    await rejectsPkjwt(async () => verifyIdToken(await mint(), { ...opts(), algorithms: ['PS256'] }), 'ERR_JOSE_ALG_NOT_ALLOWED');
  });

  test('signed userinfo: iss and aud required, sub must equal the ID token\'s', async () => {
    const body = await new jose.SignJWT({ sub: 'user-1', name: 'Matti' }).setProtectedHeader({ alg: 'RS256', kid: 'op-1' })
      .setIssuer(op).setAudience(clientId).sign(opPrivate);
    const uopts = { issuer: op, clientId, keys: opJwks, subject: 'user-1' };
    assert.equal(verifyUserinfo(body, uopts).name, 'Matti');
    throwsPkjwt(() => verifyUserinfo(body, { ...uopts, subject: 'user-2' }), 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      { claim: 'sub', reason: 'mismatch' });
    const noIss = await new jose.SignJWT({ sub: 'user-1' }).setProtectedHeader({ alg: 'RS256', kid: 'op-1' })
      .setAudience(clientId).sign(opPrivate);
    throwsPkjwt(() => verifyUserinfo(noIss, uopts), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'iss', reason: 'missing' });
    const noAud = await new jose.SignJWT({ sub: 'user-1' }).setProtectedHeader({ alg: 'RS256', kid: 'op-1' })
      .setIssuer(op).sign(opPrivate);
    throwsPkjwt(() => verifyUserinfo(noAud, uopts), 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim: 'aud', reason: 'missing' });
    throwsPkjwt(() => verifyUserinfo(withPayload(body, { name: 'Eve' }), uopts), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });
});

describe('PAR and request objects against oidc-provider', () => {
  const parKey = generateKey('ES256', { kid: 'par-es256' });
  let op;
  before(async () => {
    op = await startProvider({
      algorithms: ['ES256'],
      features: {
        pushedAuthorizationRequests: { enabled: true },
        requestObjects: { enabled: true, requireSignedRequestObject: true },
      },
      clients: [{
        client_id: clientId,
        token_endpoint_auth_method: 'private_key_jwt',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [redirectUri],
        request_object_signing_alg: 'ES256',
        jwks: toJwks([parKey]),
      }],
    });
  });
  after(async () => {
    await op?.close();
  });

  const request = () => createRequestObject({ clientId, audience: op.issuer, key: parKey, params });

  test('the provider accepts a pushed signed request object with private_key_jwt and returns a request_uri', async () => {
    const parEndpoint = op.discovery.pushed_authorization_request_endpoint;
    const result = await pushAuthorizationRequest({
      parEndpoint, clientId, key: parKey, audience: op.issuer, requestObject: request(),
    });
    assert.match(result.request_uri, /^urn:ietf:params:oauth:request_uri:/);
    assert.equal(typeof result.expires_in, 'number');
    const url = authorizationUrl({
      authorizationEndpoint: op.discovery.authorization_endpoint, clientId, requestUri: result.request_uri,
    });
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 303, await response.text());
    assert.match(response.headers.get('location'), /^\/interaction\//);
  });

  test('the authorization endpoint accepts authorizationUrl with the request object by value', async () => {
    const url = authorizationUrl({ authorizationEndpoint: op.discovery.authorization_endpoint, clientId, requestObject: request() });
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 303, await response.text());
    assert.match(response.headers.get('location'), /^\/interaction\//);
  });

  test('the provider\'s refusals come back as ERR_TOKEN_REQUEST_FAILED with the OAuth error', async () => {
    const parEndpoint = op.discovery.pushed_authorization_request_endpoint;
    const other = generateKey('ES256');
    const foreign = createRequestObject({ clientId, audience: op.issuer, key: other, params });
    await rejectsPkjwt(pushAuthorizationRequest({ parEndpoint, clientId, key: parKey, audience: op.issuer, requestObject: foreign }),
      'ERR_TOKEN_REQUEST_FAILED', { status: 400, error: 'invalid_request_object' });
    await rejectsPkjwt(pushAuthorizationRequest({ parEndpoint, clientId, key: other, audience: op.issuer, requestObject: request() }),
      'ERR_TOKEN_REQUEST_FAILED', { status: 401, error: 'invalid_client' });
    await rejectsPkjwt(pushAuthorizationRequest({ parEndpoint, clientId, key: parKey, audience: op.issuer }), 'ERR_INVALID_ARGUMENT');
    await rejectsPkjwt(pushAuthorizationRequest({
      parEndpoint, clientId, key: parKey, audience: op.issuer, requestObject: request(), params: { request_uri: 'x' },
    }), 'ERR_INVALID_ARGUMENT');
  });
});
