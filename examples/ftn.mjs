// Integrating with FTN (the Finnish Trust Network, e.g. through Idura): the relying party's side
// of the authorization-code flow, with pkjwt doing every JOSE step. The README's "Integrating with
// FTN" walkthrough shows these functions; tests/ftn/flow.test.mjs runs them against an FTN-style
// oidc-provider on 127.0.0.1 (request objects required, private_key_jwt, RSA-OAEP-256 encrypted
// ID token and userinfo).
//
//   1. keys        createKeys() / loadKeys()     one RS256 signing key, one RSA-OAEP-256 encryption key
//   2. register    jwksToRegister()              the public JWK Set for the provider (separate keys)
//   3. login       startLogin() / startLoginWithPar()   signed request object -> authorization URL
//   4. callback    finishLogin()                 token request, decrypted + verified ID token, userinfo
import { randomBytes } from 'node:crypto';
import {
  authorizationUrl, createRequestObject, generateKey, importKey, openIdToken, openUserinfo,
  pushAuthorizationRequest, requestToken, toJwks,
} from 'pkjwt';

// 1. Keys: one for signing (request objects and client assertions), one for encryption (the
//    provider encrypts the ID token and userinfo to it). FTN requires them to be separate.
export function createKeys() {
  const signingKey = generateKey('RS256', { kid: 'rp-sig-1' });
  const encryptionKey = generateKey('RSA-OAEP-256', { kid: 'rp-enc-1' });
  return { signingKey, encryptionKey };
}

// Or load them from PKCS#8 PEM files (`pkjwt keygen --alg RS256` and `pkjwt keygen --use enc`).
export function loadKeys({ signingPem, encryptionPem }) {
  const signingKey = importKey(signingPem, { alg: 'RS256', kid: 'rp-sig-1' });
  const encryptionKey = importKey(encryptionPem, { alg: 'RSA-OAEP-256', kid: 'rp-enc-1' });
  return { signingKey, encryptionKey };
}

// 2. The public JWK Set to register with the provider (or to serve at your jwks_uri). The
//    idura-ftn preset refuses one key pair used for both signing and encryption.
export function jwksToRegister({ signingKey, encryptionKey }) {
  return toJwks([signingKey, encryptionKey], { preset: 'idura-ftn' });
}

// The provider's metadata and signing keys, from its discovery document.
export async function discover(issuer) {
  const metadata = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  const jwks = await (await fetch(metadata.jwks_uri)).json();
  return { metadata, jwks };
}

function loginParams({ redirectUri, scope }) {
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  return { state, nonce, params: { response_type: 'code', redirect_uri: redirectUri, scope, state, nonce } };
}

// 3. The login: every authorization parameter goes into a request object signed with your
//    signing key; the authorization URL carries only client_id and request.
export function startLogin({ metadata, clientId, keys, redirectUri, scope = 'openid profile ssn' }) {
  const { state, nonce, params } = loginParams({ redirectUri, scope });
  const requestObject = createRequestObject({
    clientId, audience: metadata.issuer, key: keys.signingKey, params,
  });
  const url = authorizationUrl({
    authorizationEndpoint: metadata.authorization_endpoint, clientId, requestObject,
  });
  return { url, state, nonce };
}

// Or push the request object first (PAR, RFC 9126) and send the browser with a request_uri.
export async function startLoginWithPar({ metadata, clientId, keys, redirectUri, scope = 'openid profile ssn' }) {
  const { state, nonce, params } = loginParams({ redirectUri, scope });
  const requestObject = createRequestObject({
    clientId, audience: metadata.issuer, key: keys.signingKey, params,
  });
  const { request_uri: requestUri } = await pushAuthorizationRequest({
    parEndpoint: metadata.pushed_authorization_request_endpoint,
    clientId, key: keys.signingKey, audience: metadata.issuer, requestObject,
  });
  const url = authorizationUrl({
    authorizationEndpoint: metadata.authorization_endpoint, clientId, requestUri,
  });
  return { url, state, nonce };
}

// 4. The callback: check state, exchange the code (the client authenticates with a fresh
//    private_key_jwt assertion), then decrypt and verify the ID token and the userinfo.
export async function finishLogin({ metadata, jwks, clientId, keys, redirectUri, callbackUrl, state, nonce }) {
  const callback = new URL(callbackUrl).searchParams;
  if (callback.get('error')) throw new Error(`login failed: ${callback.get('error')}`);
  if (callback.get('state') !== state) throw new Error('state mismatch');

  const tokens = await requestToken({
    tokenEndpoint: metadata.token_endpoint,
    clientId, key: keys.signingKey, audience: metadata.issuer,
    params: { grant_type: 'authorization_code', code: callback.get('code'), redirect_uri: redirectUri },
  });

  const idToken = openIdToken(tokens.id_token, {
    decryptionKeys: [keys.encryptionKey],
    issuer: metadata.issuer, clientId, keys: jwks, nonce,
  });

  const response = await fetch(metadata.userinfo_endpoint, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  if (!response.ok) throw new Error(`userinfo answered ${response.status}`);
  const userinfo = openUserinfo(await response.text(), {
    decryptionKeys: [keys.encryptionKey],
    issuer: metadata.issuer, clientId, keys: jwks, subject: idToken.payload.sub,
  });
  return { tokens, idToken, userinfo };
}
