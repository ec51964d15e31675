// The public JavaScript API of pkjwt (../../shared/DESIGN.md), over the raw wasm-bindgen exports.
// Every loader (node.js, deno.js, workerd.js, edge-light.js, browser.js) initialises the one
// .wasm its own way and then re-exports this module, so the API is the same on every runtime.
import * as raw from './wasm/pkjwt.js';
import { PkjwtError, adopt, guarded, invalid } from './errors.js';

export { PkjwtError, isPkjwtError } from './errors.js';

export const Key = raw.Key;

/** The `client_assertion_type` value of RFC 7523 §2.2. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function requireString(value, name) {
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
}

function requireOptions(opts, name) {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw invalid(`${name} takes an options object`);
  }
}

function rejectUnknown(opts, known, where) {
  for (const name of Object.keys(opts)) {
    if (!known.includes(name)) throw invalid(`${where}: unknown option ${JSON.stringify(name)}`);
  }
}

const ASSERTION_OPTIONS = ['clientId', 'audience', 'key', 'alg', 'lifetime', 'kid', 'typ', 'certificate', 'x5t', 'jti', 'now', 'claims'];
const VERIFY_OPTIONS = ['audience', 'keys', 'clientId', 'algorithms', 'clockTolerance', 'maxLifetime', 'requireJti',
  'requireTyp', 'allowMultipleAudiences', 'replayCache', 'now'];

function requireKey(key, name = 'key') {
  if (!(key instanceof raw.Key) || !key.__wbg_ptr) {
    throw invalid(`${name} must be a live Key from generateKey() or importKey()`);
  }
}

function jsonText(value, what) {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    throw new PkjwtError(`${what} cannot be serialised as JSON: ${cause?.message ?? cause}`, 'ERR_JWK_INVALID', { cause });
  }
}

const GENERATE_OPTIONS = ['modulusLength', 'kid'];
const IMPORT_OPTIONS = ['alg', 'kid'];

const inspectSymbols = [Symbol.for('nodejs.util.inspect.custom'), Symbol.for('Deno.customInspect')];
for (const symbol of inspectSymbols) {
  Object.defineProperty(raw.Key.prototype, symbol, {
    value() { return this.toString(); },
    configurable: true,
  });
}

for (const method of ['publicKey', 'toJwk', 'toPem', 'thumbprint', 'toJSON', 'toString']) {
  const original = raw.Key.prototype[method];
  Object.defineProperty(raw.Key.prototype, method, {
    value(...args) { return guarded(() => original.apply(this, args)); },
    configurable: true,
    writable: true,
  });
}

/** A bounded in-memory replay cache keyed by (iss, jti). */
export class ReplayCache extends raw.ReplayCache {
  constructor(opts) {
    if (opts !== undefined) {
      requireOptions(opts, 'ReplayCache');
      rejectUnknown(opts, ['maxEntries'], 'ReplayCache');
    }
    try {
      super(opts);
    } catch (error) {
      throw adopt(error);
    }
  }

  /**
   * A ReplayCache is a ReplayStore: records `key` until `expiresAtMs` (epoch milliseconds) unless
   * held unexpired already; true when recorded, false when present. Atomic (one synchronous call).
   */
  setIfAbsent(key, expiresAtMs) {
    requireString(key, 'key');
    return guarded(() => super.setIfAbsent(key, expiresAtMs));
  }
}

// The verifier for authorization servers lives in verifier.js (it imports from this module; see
// the note there on the import cycle).
export { ClientAssertionVerifier, createRedisReplayStore } from './verifier.js';
// openIdToken / openUserinfo (decrypt, then verify) live in openid.js, with the same kind of cycle.
export { openIdToken, openUserinfo } from './openid.js';

/**
 * Generates a key for `alg`: a signature algorithm, or a JWE key-management algorithm
 * ('RSA-OAEP-256', 'RSA-OAEP', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'), which gives an
 * encryption key (use 'enc'; ECDH-ES on P-256). RSA takes `modulusLength` (default 2048).
 * @example const key = generateKey('ES256');
 */
export function generateKey(alg, opts) {
  requireString(alg, 'alg');
  if (opts !== undefined) {
    requireOptions(opts, 'generateKey');
    rejectUnknown(opts, GENERATE_OPTIONS, 'generateKey');
  }
  return guarded(() => raw.generateKey(alg, opts));
}

/**
 * Imports a PEM (PKCS#8, PKCS#1, SEC1, SPKI, certificate), a JWK object or JSON text, or DER bytes.
 * @example const key = importKey(fs.readFileSync('key.pem', 'utf8'));
 */
export function importKey(input, opts) {
  if (opts !== undefined) {
    requireOptions(opts, 'importKey');
    rejectUnknown(opts, IMPORT_OPTIONS, 'importKey');
  }
  if (input instanceof raw.Key) {
    if (opts !== undefined) throw invalid('importKey: this is already a Key; options cannot be applied to it');
    requireKey(input, 'input');
    return input;
  }
  const value = input instanceof ArrayBuffer ? new Uint8Array(input)
    : ArrayBuffer.isView(input) && !(input instanceof Uint8Array)
      ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
      : input;
  return guarded(() => raw.importKey(value, opts));
}

function keySetOf(keys, where = 'keys') {
  const set = new raw.KeySet();
  try {
    if (keys instanceof raw.Key) {
      requireKey(keys, where);
      set.add(keys);
    } else if (Array.isArray(keys)) {
      for (const item of keys) {
        if (item instanceof raw.Key) {
          requireKey(item, `every member of ${where}`);
          set.add(item);
        } else if (item !== null && typeof item === 'object') {
          const text = jsonText({ keys: [item] }, 'a JWK');
          guarded(() => set.addJwks(text));
        } else {
          throw invalid(`${where} must hold Keys or JWK objects`);
        }
      }
    } else if (keys !== null && typeof keys === 'object' && Array.isArray(keys.keys)) {
      const text = jsonText(keys, 'the JWK Set');
      guarded(() => set.addJwks(text));
    } else {
      throw invalid(`${where} must be a Key, an array of Keys, or a JWK Set { keys: [...] }`);
    }
  } catch (error) {
    set.free();
    throw error;
  }
  return set;
}

// KeySets of public Keys, reused while the same Key (or an array holding the same Keys) is passed
// again: a verifier that keeps its keys does not copy them into a new set on every call. Sets
// holding private keys are never kept, so freeing a private Key leaves no copy behind.
const keySetsOfKey = new WeakMap();
const keySetsOfArray = new WeakMap();

function sameMembers(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A KeySet for `keys`, and whether the caller must free it: a Key or a non-empty array of public
 * Keys gets a kept set (see above); everything else a new one (keySetOf).
 */
function borrowKeySet(keys) {
  if (keys instanceof raw.Key) {
    requireKey(keys, 'keys');
    const kept = keySetsOfKey.get(keys);
    if (kept !== undefined) return { set: kept, owned: false };
    const set = keySetOf(keys);
    if (keys.isPrivate) return { set, owned: true };
    keySetsOfKey.set(keys, set);
    return { set, owned: false };
  }
  if (Array.isArray(keys) && keys.length > 0 && keys.every((item) => item instanceof raw.Key)) {
    for (const item of keys) requireKey(item, 'every member of keys');
    const kept = keySetsOfArray.get(keys);
    if (kept !== undefined && sameMembers(kept.members, keys)) return { set: kept.set, owned: false };
    const set = keySetOf(keys);
    if (keys.some((item) => item.isPrivate)) return { set, owned: true };
    if (kept !== undefined) kept.set.free();
    keySetsOfArray.set(keys, { members: [...keys], set });
    return { set, owned: false };
  }
  return { set: keySetOf(keys), owned: true };
}

const TO_JWKS_OPTIONS = ['requireSeparateKeys', 'preset'];
// 'idura-ftn': Idura's FTN rules need separate signing and encryption key pairs.
const JWKS_PRESETS = ['idura-ftn'];

/**
 * The JWK Set of the keys' public halves, ready to register with an authorization server.
 * `{ requireSeparateKeys: true }` (or `{ preset: 'idura-ftn' }`) refuses one key pair used for
 * both signing and encryption, and keys without a `use`.
 * @example const jwks = toJwks([signingKey, encryptionKey], { preset: 'idura-ftn' });
 */
export function toJwks(keys, opts) {
  if (!Array.isArray(keys)) throw invalid('toJwks takes an array of Keys');
  for (const key of keys) requireKey(key, 'every key');
  let options;
  if (opts !== undefined) {
    requireOptions(opts, 'toJwks');
    rejectUnknown(opts, TO_JWKS_OPTIONS, 'toJwks');
    if (opts.preset !== undefined && !JWKS_PRESETS.includes(opts.preset)) {
      throw invalid(`toJwks: unknown preset ${JSON.stringify(opts.preset)} (known: ${JWKS_PRESETS.join(', ')})`);
    }
    if (opts.requireSeparateKeys !== undefined && typeof opts.requireSeparateKeys !== 'boolean') {
      throw invalid('requireSeparateKeys must be a boolean');
    }
    options = { requireSeparateKeys: opts.requireSeparateKeys ?? opts.preset === 'idura-ftn' };
  }
  const set = keySetOf(keys);
  try {
    return guarded(() => raw.toJwks(set, options));
  } finally {
    set.free();
  }
}

/**
 * Signs a client assertion: iss = sub = clientId, aud = audience, fresh jti, 60 s lifetime,
 * kid and typ client-authentication+jwt in the header.
 * @example const assertion = createClientAssertion({ clientId, audience: issuer, key });
 */
export function createClientAssertion(opts) {
  requireOptions(opts, 'createClientAssertion');
  rejectUnknown(opts, ASSERTION_OPTIONS, 'createClientAssertion');
  const { key } = opts;
  requireKey(key);
  return guarded(() => raw.createClientAssertion(key, [opts.clientId, opts.audience, opts.alg, opts.lifetime,
    opts.kid, opts.typ, opts.certificate, opts.x5t, opts.jti, opts.now, opts.claims]));
}

/**
 * The form parameters that carry an assertion to a token endpoint.
 * @example new URLSearchParams({ grant_type: 'client_credentials', ...clientAuthParams(assertion) })
 */
export function clientAuthParams(assertion) {
  requireString(assertion, 'assertion');
  return { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion };
}

/**
 * Verifies a client assertion under pkjwt's strict policy. Replays are detected when a
 * `replayCache` is given.
 * @example const { payload } = verifyClientAssertion(token, { audience: issuer, keys: jwks, replayCache });
 */
export function verifyClientAssertion(token, opts) {
  requireString(token, 'token');
  requireOptions(opts, 'verifyClientAssertion');
  rejectUnknown(opts, VERIFY_OPTIONS, 'verifyClientAssertion');
  const { keys, replayCache } = opts;
  if (replayCache != null && !(replayCache instanceof raw.ReplayCache)) {
    throw invalid('replayCache must be a ReplayCache');
  }
  const { set, owned } = borrowKeySet(keys);
  try {
    const args = [opts.audience, opts.clientId, opts.algorithms, opts.clockTolerance, opts.maxLifetime, opts.requireJti,
      opts.requireTyp, opts.allowMultipleAudiences, opts.now];
    const text = guarded(() => (replayCache == null
      ? raw.verifyClientAssertion(token, set, args)
      : raw.verifyClientAssertionWithReplay(token, set, args, replayCache)));
    const { header, payload, keyIndex } = JSON.parse(text);
    return { header, payload, key: keyAt(keys, set, keyIndex) };
  } finally {
    if (owned) set.free();
  }
}

/** The verifying key: the caller's own Key when it passed Keys, else a new Key from the set. */
function keyAt(keys, set, index) {
  if (keys instanceof raw.Key) return keys;
  if (Array.isArray(keys) && keys.every((item) => item instanceof raw.Key)) return keys[index];
  return set.keyAt(index);
}

/** Runs `verify(set)` with a KeySet built from `keys`; the result carries the caller's key. */
function verifyWithKeys(keys, verify) {
  const { set, owned } = borrowKeySet(keys);
  try {
    const result = guarded(() => verify(set));
    return { header: result.header, payload: result.payload, key: callersKey(keys, result) };
  } finally {
    if (owned) set.free();
  }
}

function callersKey(keys, result) {
  if (keys instanceof raw.Key) {
    result.key.free();
    return keys;
  }
  if (Array.isArray(keys) && keys.every((item) => item instanceof raw.Key)) {
    result.key.free();
    return keys[result.keyIndex];
  }
  return result.key;
}

/**
 * Decodes a compact JWS strictly, without verifying it.
 * @example const { header, payload } = decodeJwt(token);
 */
export function decodeJwt(token) {
  requireString(token, 'token');
  return guarded(() => raw.decodeJwt(token));
}

/**
 * `x5t` and `x5t#S256` of a PEM certificate.
 */
export function certificateThumbprints(pem) {
  requireString(pem, 'certificate');
  return guarded(() => raw.certificateThumbprints(pem));
}

// ---- Issue 8 (FTN): request objects, PAR, signed JWK Sets, ID token and userinfo verification ----

const REQUEST_OBJECT_OPTIONS = ['clientId', 'audience', 'key', 'params', 'alg', 'kid', 'lifetime', 'typ', 'jti', 'now'];
const VERIFY_REQUEST_OBJECT_OPTIONS = ['clientId', 'audience', 'keys', 'algorithms', 'clockTolerance', 'maxLifetime',
  'requireTyp', 'requireJti', 'replayCache', 'now'];
const SIGNED_JWKS_OPTIONS = ['keys', 'signingKey', 'iss', 'sub', 'lifetime', 'kid', 'alg', 'now', 'format', 'signedJwksUri'];
const VERIFY_SIGNED_JWKS_OPTIONS = ['keys', 'issuer', 'subject', 'algorithms', 'clockTolerance', 'now'];
const ID_TOKEN_OPTIONS = ['issuer', 'clientId', 'keys', 'nonce', 'algorithms', 'clockTolerance', 'maxAge',
  'requireAuthTime', 'now'];
const USERINFO_OPTIONS = ['issuer', 'clientId', 'keys', 'subject', 'algorithms', 'clockTolerance', 'now'];

function checkedOptions(opts, known, where) {
  requireOptions(opts, where);
  rejectUnknown(opts, known, where);
  return opts;
}

/**
 * Signs a request object (RFC 9101): `params` plus iss = client_id = clientId, aud = audience (the
 * provider's issuer), iat, nbf, exp (default 300 s), jti; header typ oauth-authz-req+jwt (null omits).
 * @example const request = createRequestObject({ clientId, audience: issuer, key, params: { response_type: 'code', scope: 'openid', redirect_uri, state, nonce } });
 */
export function createRequestObject(opts) {
  checkedOptions(opts, REQUEST_OBJECT_OPTIONS, 'createRequestObject');
  const { key, ...rest } = opts;
  requireKey(key);
  return guarded(() => raw.createRequestObject(key, rest));
}

/**
 * The authorization URL that carries only client_id and request (or request_uri), after the
 * endpoint's own query; a fragment in the endpoint is refused.
 * @example location.href = authorizationUrl({ authorizationEndpoint, clientId, requestObject });
 */
export function authorizationUrl(opts) {
  checkedOptions(opts, ['authorizationEndpoint', 'clientId', 'requestObject', 'requestUri'], 'authorizationUrl');
  const { authorizationEndpoint, clientId, requestObject, requestUri } = opts;
  requireString(authorizationEndpoint, 'authorizationEndpoint');
  requireString(clientId, 'clientId');
  if ((requestObject === undefined) === (requestUri === undefined)) {
    throw invalid('authorizationUrl takes exactly one of requestObject and requestUri');
  }
  const [name, value] = requestObject === undefined ? ['request_uri', requestUri] : ['request', requestObject];
  requireString(value, requestObject === undefined ? 'requestUri' : 'requestObject');
  if (clientId === '' || value === '') throw invalid('clientId and the request must not be empty');
  let url;
  try {
    url = new URL(authorizationEndpoint);
  } catch {
    throw invalid('authorizationEndpoint must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('authorizationEndpoint must be an http(s) URL');
  if (authorizationEndpoint.includes('#')) throw invalid('authorizationEndpoint must not have a fragment');
  for (const reserved of ['client_id', 'request', 'request_uri']) {
    if (url.searchParams.has(reserved)) throw invalid(`authorizationEndpoint already has a ${reserved} parameter`);
  }
  const separator = url.search === '' ? (url.href.endsWith('?') ? '' : '?') : '&';
  return `${url.href}${separator}client_id=${encodeURIComponent(clientId)}&${name}=${encodeURIComponent(value)}`;
}

/**
 * Pushes an authorization request (RFC 9126), the client authenticated with private_key_jwt (aud
 * = audience = the issuer); resolves to { request_uri, expires_in }.
 * @example const { request_uri } = await pushAuthorizationRequest({ parEndpoint, clientId, key, audience: issuer, requestObject });
 */
export async function pushAuthorizationRequest(opts) {
  requireOptions(opts, 'pushAuthorizationRequest');
  const {
    parEndpoint, requestObject, params = {}, fetch: fetchImpl = globalThis.fetch, timeout = 10, ...assertionOptions
  } = opts;
  requireString(parEndpoint, 'parEndpoint');
  requireTransport(fetchImpl, timeout);
  if (params === null || typeof params !== 'object' || Array.isArray(params)) throw invalid('params must be an object of strings');
  for (const name of ['request', 'request_uri', 'client_id', 'client_assertion', 'client_assertion_type']) {
    if (Object.hasOwn(params, name)) throw invalid(`params.${name} is set by pushAuthorizationRequest`);
  }
  if (requestObject !== undefined) requireString(requestObject, 'requestObject');
  if (requestObject === undefined && Object.keys(params).length === 0) {
    throw invalid('pushAuthorizationRequest needs a requestObject or params');
  }
  const fields = requestObject === undefined ? params : { ...params, request: requestObject };
  const body = authenticatedForm(fields, assertionOptions);
  const json = await postAuthenticated(parEndpoint, body, fetchImpl, timeout, 'pushed authorization request',
    'PAR endpoint');
  if (typeof json.request_uri !== 'string' || typeof json.expires_in !== 'number') {
    throw new PkjwtError('PAR endpoint answered without request_uri and expires_in', 'ERR_TOKEN_REQUEST_FAILED');
  }
  return json;
}

/**
 * Verifies a request object for an authorization server: typ, iss = client_id = clientId, aud,
 * exp required, no nested request/request_uri; replays detected with a `replayCache`.
 * @example const { payload } = verifyRequestObject(request, { clientId, audience: issuer, keys: clientJwks });
 */
export function verifyRequestObject(jwt, opts) {
  requireString(jwt, 'jwt');
  checkedOptions(opts, VERIFY_REQUEST_OBJECT_OPTIONS, 'verifyRequestObject');
  const { keys, replayCache, ...rest } = opts;
  if (replayCache != null && !(replayCache instanceof raw.ReplayCache)) {
    throw invalid('replayCache must be a ReplayCache');
  }
  return verifyWithKeys(keys, (set) => (replayCache == null
    ? raw.verifyRequestObject(jwt, set, rest)
    : raw.verifyRequestObjectWithReplay(jwt, set, rest, replayCache)));
}

/**
 * Signs a JWK Set with a long-lived entity key: typ jwk-set+jwt (claims iss, sub, iat, exp, keys),
 * or format 'entity-statement' (typ entity-statement+jwt, jwks, metadata.openid_relying_party).
 * @example const jwt = createSignedJwks({ keys: [sigKey, encKey], signingKey: entityKey, iss: 'https://rp.example' });
 */
export function createSignedJwks(opts) {
  checkedOptions(opts, SIGNED_JWKS_OPTIONS, 'createSignedJwks');
  const { keys = [], signingKey, ...rest } = opts;
  requireKey(signingKey, 'signingKey');
  let jwks;
  if (Array.isArray(keys)) {
    jwks = keys.length === 0 ? { keys: [] } : toJwks(keys);
  } else if (keys !== null && typeof keys === 'object' && Array.isArray(keys.keys)) {
    jwks = keys;
  } else {
    throw invalid('keys must be an array of Keys or a JWK Set { keys: [...] }');
  }
  const text = jsonText(jwks, 'the JWK Set');
  return guarded(() => raw.createSignedJwks(signingKey, text, rest));
}

/**
 * Verifies a signed JWK Set or entity statement with the entity key(s); returns the published keys.
 * @example const { keys } = verifySignedJwks(jwt, { keys: entityKey, issuer: 'https://rp.example' });
 */
export function verifySignedJwks(jwt, opts) {
  requireString(jwt, 'jwt');
  checkedOptions(opts, VERIFY_SIGNED_JWKS_OPTIONS, 'verifySignedJwks');
  const { keys, ...rest } = opts;
  const set = keySetOf(keys);
  try {
    const result = guarded(() => raw.verifySignedJwks(jwt, set, rest));
    const out = { keys: result.keys, header: result.header, payload: result.payload, format: result.format };
    if (result.signedJwksUri !== undefined) out.signedJwksUri = result.signedJwksUri;
    return out;
  } finally {
    set.free();
  }
}

/**
 * Verifies a signed ID token (OpenID Connect Core §3.1.3.7) with the provider's keys. For an
 * encrypted ID token, decrypt it first and pass the inner JWT.
 * @example const { payload } = verifyIdToken(idToken, { issuer, clientId, keys: providerJwks, nonce });
 */
export function verifyIdToken(idToken, opts) {
  requireString(idToken, 'idToken');
  checkedOptions(opts, ID_TOKEN_OPTIONS, 'verifyIdToken');
  const { keys, ...rest } = opts;
  return verifyWithKeys(keys, (set) => raw.verifyIdToken(idToken, set, rest));
}

/**
 * Verifies a signed userinfo response (OpenID Connect Core §5.3.2): iss and aud required, sub
 * equal to the ID token's. Returns the claims.
 * @example const claims = verifyUserinfo(body, { issuer, clientId, keys: providerJwks, subject: idToken.sub });
 */
export function verifyUserinfo(jwt, opts) {
  requireString(jwt, 'jwt');
  checkedOptions(opts, USERINFO_OPTIONS, 'verifyUserinfo');
  const { keys, ...rest } = opts;
  const { payload, key } = verifyWithKeys(keys, (set) => raw.verifyUserinfo(jwt, set, rest));
  if (key !== keys && !(Array.isArray(keys) && keys.includes(key))) key.free();
  return payload;
}

async function readBody(response) {
  const text = await response.text();
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    return { text, json: undefined };
  }
}

/** Checks the transport options of a request to an authorization server endpoint. */
function requireTransport(fetchImpl, timeout) {
  if (typeof fetchImpl !== 'function') throw invalid('no fetch available: pass opts.fetch');
  if (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout)) {
    throw invalid('timeout must be a positive number of seconds');
  }
}

/** The form `fields` plus client_id and a fresh client assertion made from `assertionOptions`. */
function authenticatedForm(fields, assertionOptions) {
  const assertion = createClientAssertion(assertionOptions);
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string') throw invalid(`params.${name} must be a string`);
    body.set(name, value);
  }
  body.set('client_id', assertionOptions.clientId);
  for (const [name, value] of Object.entries(clientAuthParams(assertion))) body.set(name, value);
  return body;
}

/**
 * POSTs `body` to `endpoint` and returns the JSON object answered; a transport failure, a non-2xx
 * status or a body that is not a JSON object is ERR_TOKEN_REQUEST_FAILED (with the OAuth error).
 * `what` names the request and `who` the endpoint in messages.
 */
async function postAuthenticated(endpoint, body, fetchImpl, timeout, what, who) {
  const signal = typeof AbortSignal?.timeout === 'function' ? AbortSignal.timeout(timeout * 1000) : undefined;
  let response;
  let text;
  let json;
  try {
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal,
    });
    ({ text, json } = await readBody(response));
  } catch (cause) {
    throw new PkjwtError(`${what} to ${endpoint} failed: ${cause?.message ?? cause}`, 'ERR_TOKEN_REQUEST_FAILED', { cause });
  }
  if (!response.ok || json === null || typeof json !== 'object' || Array.isArray(json)) {
    const error = typeof json?.error === 'string' ? json.error : undefined;
    const errorDescription = typeof json?.error_description === 'string' ? json.error_description : undefined;
    const summary = error ? `${error}${errorDescription ? `: ${errorDescription}` : ''}` : text.slice(0, 200);
    throw new PkjwtError(`${who} answered ${response.status}: ${summary}`, 'ERR_TOKEN_REQUEST_FAILED', {
      status: response.status, error, errorDescription,
    });
  }
  return json;
}

/**
 * Makes a token request authenticated with a fresh client assertion and returns the parsed
 * response. `params` holds grant_type and the grant's own parameters.
 * @example await requestToken({ tokenEndpoint, clientId, key, audience: issuer, params: { grant_type: 'client_credentials' } })
 */
export async function requestToken(opts) {
  requireOptions(opts, 'requestToken');
  const { tokenEndpoint, params = {}, fetch: fetchImpl = globalThis.fetch, timeout = 10, ...assertionOptions } = opts;
  requireString(tokenEndpoint, 'tokenEndpoint');
  requireTransport(fetchImpl, timeout);
  if (params === null || typeof params !== 'object') throw invalid('params must be an object of strings');
  if (typeof params.grant_type !== 'string') throw invalid('params.grant_type is required');
  const body = authenticatedForm(params, assertionOptions);
  return postAuthenticated(tokenEndpoint, body, fetchImpl, timeout, 'token request', 'token endpoint');
}

// --- JWE (issue 8): decryptJwt / encryptJwt ----------------------------------------------------

const DECRYPT_OPTIONS = ['keys', 'algorithms', 'encryptions', 'maxSize'];
const ENCRYPT_OPTIONS = ['key', 'alg', 'enc', 'cty', 'kid', 'typ'];

/** A KeySet of decryption keys: Keys as given, and the encryption keys of JWK objects / a JWK Set. */
function decryptionKeySetOf(keys) {
  const set = new raw.KeySet();
  try {
    const list = keys instanceof raw.Key ? [keys]
      : Array.isArray(keys) ? keys
        : keys !== null && typeof keys === 'object' && Array.isArray(keys.keys) ? null
          : undefined;
    if (list === undefined) throw invalid('keys must be a Key, an array of Keys, or a JWK Set { keys: [...] }');
    if (list === null) {
      const text = jsonText(keys, 'the JWK Set');
      guarded(() => set.addEncryptionJwks(text));
    } else {
      for (const item of list) {
        if (item instanceof raw.Key) {
          requireKey(item, 'every member of keys');
          set.add(item);
        } else if (item !== null && typeof item === 'object') {
          const text = jsonText({ keys: [item] }, 'a JWK');
          guarded(() => set.addEncryptionJwks(text));
        } else {
          throw invalid('keys must hold Keys or JWK objects');
        }
      }
    }
  } catch (error) {
    set.free();
    throw error;
  }
  return set;
}

/**
 * Decrypts a compact JWE (an encrypted ID token or userinfo response) with private encryption
 * keys. Every decryption failure is the one opaque ERR_JWE_DECRYPTION_FAILED.
 * @example const { text } = decryptJwt(jwe, { keys: encryptionKey });
 */
export function decryptJwt(jwe, opts) {
  requireString(jwe, 'jwe');
  requireOptions(opts, 'decryptJwt');
  rejectUnknown(opts, DECRYPT_OPTIONS, 'decryptJwt');
  const { keys, ...rest } = opts;
  const set = decryptionKeySetOf(keys);
  try {
    const { header, plaintext, text } = guarded(() => raw.decryptJwt(jwe, set, rest));
    return { header, plaintext, text };
  } finally {
    set.free();
  }
}

/**
 * Encrypts `plaintext` (string or bytes) to a public encryption key as a compact JWE;
 * `enc` defaults to A256GCM, `alg` to the key's own (else RSA-OAEP-256 / ECDH-ES).
 * @example const jwe = encryptJwt(innerJws, { key: recipientKey, cty: 'JWT' });
 */
export function encryptJwt(plaintext, opts) {
  if (typeof plaintext !== 'string' && !(plaintext instanceof Uint8Array)) {
    throw invalid('plaintext must be a string or a Uint8Array');
  }
  requireOptions(opts, 'encryptJwt');
  rejectUnknown(opts, ENCRYPT_OPTIONS, 'encryptJwt');
  const { key, ...rest } = opts;
  requireKey(key);
  return guarded(() => raw.encryptJwt(plaintext, key, rest));
}
