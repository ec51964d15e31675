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
  const { key, ...rest } = opts;
  requireKey(key);
  return guarded(() => raw.createClientAssertion(key, rest));
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
  const { keys, replayCache, ...rest } = opts;
  if (replayCache != null && !(replayCache instanceof raw.ReplayCache)) {
    throw invalid('replayCache must be a ReplayCache');
  }
  const set = keySetOf(keys);
  try {
    const result = guarded(() => (replayCache == null
      ? raw.verifyClientAssertion(token, set, rest)
      : raw.verifyClientAssertionWithReplay(token, set, rest, replayCache)));
    return { header: result.header, payload: result.payload, key: callersKey(keys, result) };
  } finally {
    set.free();
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

async function readBody(response) {
  const text = await response.text();
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    return { text, json: undefined };
  }
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
  if (typeof fetchImpl !== 'function') throw invalid('no fetch available: pass opts.fetch');
  if (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout)) {
    throw invalid('timeout must be a positive number of seconds');
  }
  if (params === null || typeof params !== 'object') throw invalid('params must be an object of strings');
  if (typeof params.grant_type !== 'string') throw invalid('params.grant_type is required');
  const assertion = createClientAssertion(assertionOptions);
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') throw invalid(`params.${name} must be a string`);
    body.set(name, value);
  }
  body.set('client_id', assertionOptions.clientId);
  for (const [name, value] of Object.entries(clientAuthParams(assertion))) body.set(name, value);

  const signal = typeof AbortSignal?.timeout === 'function' ? AbortSignal.timeout(timeout * 1000) : undefined;
  let response;
  let text;
  let json;
  try {
    response = await fetchImpl(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal,
    });
    ({ text, json } = await readBody(response));
  } catch (cause) {
    throw new PkjwtError(`token request to ${tokenEndpoint} failed: ${cause?.message ?? cause}`, 'ERR_TOKEN_REQUEST_FAILED', { cause });
  }
  if (!response.ok || json === null || typeof json !== 'object' || Array.isArray(json)) {
    const error = typeof json?.error === 'string' ? json.error : undefined;
    const errorDescription = typeof json?.error_description === 'string' ? json.error_description : undefined;
    const summary = error ? `${error}${errorDescription ? `: ${errorDescription}` : ''}` : text.slice(0, 200);
    throw new PkjwtError(`token endpoint answered ${response.status}: ${summary}`, 'ERR_TOKEN_REQUEST_FAILED', {
      status: response.status, error, errorDescription,
    });
  }
  return json;
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
