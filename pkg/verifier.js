// ClientAssertionVerifier: private_key_jwt client authentication for authorization servers.
// It knows the server's clients (getClient), fetches and caches their remote JWK Sets, applies
// the full policy of verifyClientAssertion (../../shared/DESIGN.md), and stops replays through a
// ReplayStore that may be shared by many server instances (createRedisReplayStore).
//
// Decisions (see also README "Running a token endpoint"):
// - The unverified `sub` only selects the client; every claim is then checked by the core with
//   clientId = sub, so iss = sub = the client found.
// - Replay keys are JSON.stringify([clientId, jti]): JSON text of an array of two strings is
//   injective, so no (client, jti) pair can collide with another. Every store, the in-memory
//   ReplayCache included, is used only through setIfAbsent(key, expiresAtMs), after every other
//   check passed, with expiresAtMs = (exp + clockTolerance) * 1000.
// - Failures of the server's own parts (getClient throws or returns garbage, a malformed client
//   record, a pin outside `algorithms`, the replay store failing or full) are
//   ERR_VERIFIER_UNAVAILABLE: the verifier fails closed and errorResponse answers 500
//   server_error, not invalid_client.
// - This module touches nothing of api.js at evaluation time: api.js re-exports it, so the two
//   form an import cycle that is safe only because every use here is inside a function.
import * as raw from './wasm/pkjwt.js';
import { PkjwtError, guarded, invalid } from './errors.js';
import { ReplayCache } from './api.js';

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519'];
const VERIFIER_OPTIONS = ['issuer', 'audiences', 'allowMultipleAudiences', 'algorithms', 'clockTolerance', 'maxLifetime',
  'getClient', 'replayStore', 'fetch', 'jwksCacheTtl', 'jwksCooldown', 'jwksTimeout', 'jwksMaxBytes', 'clock'];
const MAX_AGE_FLOOR = 60;
const MAX_AGE_CEILING = 86_400;
/** Remote JWK Sets remembered at once; the least recently fetched is forgotten beyond this. */
const MAX_JWKS_URIS = 10_000;

function unavailable(message, cause) {
  return new PkjwtError(`verifier unavailable: ${message}`, 'ERR_VERIFIER_UNAVAILABLE', { cause });
}

function noKey(message, cause) {
  return new PkjwtError(message, 'ERR_JWKS_NO_MATCHING_KEY', { cause });
}

function fetchFailed(uri, cause) {
  const why = cause?.message ?? String(cause);
  return new PkjwtError(`the JWK Set at ${uri} could not be fetched or parsed: ${why}`, 'ERR_JWKS_FETCH_FAILED', { cause });
}

function claimFailed(claim, reason, message) {
  return new PkjwtError(message, 'ERR_JWT_CLAIM_VALIDATION_FAILED', { claim, reason });
}

function numberOption(value, name, { min, max, integer = false, allowZero = false }) {
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))
    || value < min || value > max || (!allowZero && value === 0)) {
    throw invalid(`ClientAssertionVerifier: ${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Remote JWK Sets

/** http: is fetched only from loopback addresses, for tests; everything else must be https:. */
function isLoopbackHost(hostname) {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The URL to fetch, or an Error saying why it is refused (before any request is made). */
function fetchableUrl(uri) {
  let url;
  try {
    url = new URL(uri);
  } catch {
    throw new Error('the jwks_uri is not an absolute URL');
  }
  if (url.username !== '' || url.password !== '') throw new Error('a jwks_uri with credentials is refused');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  throw new Error(`refused ${url.protocol} URL: only https: (or http: to a loopback address) is fetched`);
}

/** Seconds a response may be cached per its Cache-Control, clamped; undefined when it says nothing. */
function cacheSeconds(header) {
  if (!header) return undefined;
  let maxAge;
  for (const part of header.split(',')) {
    const [name, value = ''] = part.trim().split('=', 2);
    const directive = name.trim().toLowerCase();
    if (directive === 'no-store' || directive === 'no-cache') return MAX_AGE_FLOOR;
    if (directive === 'max-age' && /^\d+$/.test(value.trim().replace(/^"|"$/g, ''))) {
      maxAge = Number(value.trim().replace(/^"|"$/g, ''));
    }
  }
  return maxAge === undefined ? undefined : Math.min(MAX_AGE_CEILING, Math.max(MAX_AGE_FLOOR, maxAge));
}

/** Reads a body, refusing it as soon as it passes maxBytes (with or without Content-Length). */
async function readCapped(response, maxBytes) {
  const declared = response.headers?.get?.('content-length');
  if (declared != null && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    await response.body?.cancel?.().catch(() => {});
    throw new Error(`the body of ${declared} bytes is over the limit of ${maxBytes}`);
  }
  const body = response.body;
  if (body == null || typeof body.getReader !== 'function') {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw new Error(`the body is over the limit of ${maxBytes} bytes`);
    return bytes;
  }
  const reader = body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new Error(`the body is over the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Throws unless `text` is a JWK Set the core accepts. */
function checkJwks(text) {
  const set = new raw.KeySet();
  try {
    guarded(() => set.addJwks(text));
  } finally {
    set.free();
  }
}

/**
 * The remote JWK Sets of all clients, per jwks_uri: cached for a TTL, refetched at most once per
 * cooldown, concurrent fetches of one uri coalesced, the last good keys served until twice the
 * TTL has run out when refetches fail.
 */
class RemoteJwksCache {
  #entries = new Map();

  constructor({ fetch, ttl, cooldown, timeout, maxBytes, clock }) {
    this.fetch = fetch;
    this.ttlMs = ttl * 1000;
    this.cooldownMs = cooldown * 1000;
    this.timeoutMs = timeout * 1000;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  #entry(uri) {
    let entry = this.#entries.get(uri);
    if (entry === undefined) {
      if (this.#entries.size >= MAX_JWKS_URIS) {
        for (const [oldUri, old] of this.#entries) {
          if (old.inflight === undefined) {
            this.#entries.delete(oldUri);
            break;
          }
        }
      }
      entry = { text: undefined, fetchedAt: 0, ttlMs: 0, lastAttempt: undefined, lastError: undefined, inflight: undefined };
      this.#entries.set(uri, entry);
    }
    return entry;
  }

  /** Starts a fetch unless one is in flight (joined) or the cooldown forbids it (undefined). */
  #refresh(uri, entry) {
    if (entry.inflight !== undefined) return entry.inflight;
    const now = this.clock();
    if (entry.lastAttempt !== undefined && now - entry.lastAttempt < this.cooldownMs) return undefined;
    entry.lastAttempt = now;
    entry.inflight = this.#download(uri).then(({ text, ttlMs }) => {
      entry.text = text;
      entry.ttlMs = ttlMs;
      entry.fetchedAt = this.clock();
      entry.lastError = undefined;
      // Re-insert: the Map's order is then the order of fetches, oldest first, for eviction.
      this.#entries.delete(uri);
      this.#entries.set(uri, entry);
      return true;
    }, (error) => {
      entry.lastError = fetchFailed(uri, error);
      return false;
    }).finally(() => {
      entry.inflight = undefined;
    });
    return entry.inflight;
  }

  /** The JWK Set text to verify with: fresh, or stale within twice the TTL while refetches fail. */
  async keys(uri) {
    const entry = this.#entry(uri);
    if (entry.text !== undefined && this.clock() < entry.fetchedAt + entry.ttlMs) return entry.text;
    await this.#refresh(uri, entry);
    if (entry.text !== undefined && this.clock() < entry.fetchedAt + 2 * entry.ttlMs) return entry.text;
    throw entry.lastError ?? fetchFailed(uri, new Error('no usable JWK Set: none fetched, or the last is over twice its TTL old, and the cooldown holds the next fetch back'));
  }

  /**
   * After an unknown kid: one refetch when the cooldown allows. Resolves to the new text, or
   * undefined when no refetch may be made now; rejects when the refetch failed.
   */
  async refetch(uri, seen) {
    const entry = this.#entry(uri);
    if (entry.text !== undefined && entry.text !== seen) return entry.text; // someone refetched meanwhile
    const pending = this.#refresh(uri, entry);
    if (pending === undefined) return undefined;
    const ok = await pending;
    if (!ok) throw entry.lastError;
    return entry.text;
  }

  async #download(uri) {
    const url = fetchableUrl(uri);
    const controller = new AbortController();
    let timer;
    const timedOut = new Promise((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`timed out after ${this.timeoutMs / 1000} s`);
        controller.abort(error);
        reject(error);
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([this.#get(url, controller.signal), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #get(url, signal) {
    const fetchImpl = this.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') throw new Error('no fetch available: pass opts.fetch');
    const response = await fetchImpl(url.href, {
      method: 'GET',
      redirect: 'manual',
      signal,
      headers: { accept: 'application/jwk-set+json, application/json' },
    });
    if (response.status !== 200) {
      await response.body?.cancel?.().catch(() => {});
      const redirect = response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
      throw new Error(redirect ? `answered with a redirect (${response.status}), which is not followed`
        : `answered HTTP ${response.status}`);
    }
    const bytes = await readCapped(response, this.maxBytes);
    let text;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch (cause) {
      throw new Error('the body is not UTF-8', { cause });
    }
    checkJwks(text);
    const ttlSeconds = cacheSeconds(response.headers?.get?.('cache-control'));
    return { text, ttlMs: ttlSeconds === undefined ? this.ttlMs : ttlSeconds * 1000 };
  }
}

// ---------------------------------------------------------------------------------------------
// errorResponse

/** Only RFC 6749 §5.2's error_description characters: %x20-21 / %x23-5B / %x5D-7E. */
function safeText(text) {
  return String(text).replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '');
}

const CLAIM_DESCRIPTIONS = {
  iss: 'iss and sub of the client assertion must both be the client_id',
  sub: 'iss and sub of the client assertion must both be the client_id (and equal the client_id parameter when one is sent)',
  exp: 'exp of the client assertion must be an integer NumericDate within the accepted lifetime',
  nbf: 'nbf of the client assertion must be an integer NumericDate that is not in the future',
  iat: 'iat of the client assertion must be an integer NumericDate that is not in the future',
  jti: 'the client assertion must carry a unique jti',
  typ: 'the typ of the client assertion must be client-authentication+jwt or JWT',
};

/** KeySets kept at once by one verifier; the least recently used is freed beyond this. */
const MAX_KEY_SETS = 1_000;

/**
 * KeySets made from JWK Set text, kept for reuse: the same text always gives the same keys, so a
 * client's keys are imported (and their verification tables built) once, not on every request.
 */
class KeySetsByText {
  #sets = new Map();

  /** The KeySet of `text`; throws what addJwks throws when the text is not a usable JWK Set. */
  get(text) {
    let set = this.#sets.get(text);
    if (set !== undefined) {
      this.#sets.delete(text);
      this.#sets.set(text, set);
      return set;
    }
    set = new raw.KeySet();
    try {
      guarded(() => set.addJwks(text));
    } catch (error) {
      set.free();
      throw error;
    }
    this.#sets.set(text, set);
    if (this.#sets.size > MAX_KEY_SETS) {
      const [oldest, evicted] = this.#sets.entries().next().value;
      this.#sets.delete(oldest);
      evicted.free();
    }
    return set;
  }
}

/**
 * Verifies `token` with the keys of `set` (the core's policy, options read once into the
 * binding's argument array); the verifying key is a new Key the caller owns.
 */
function verifyWithSet(token, set, options) {
  const args = [options.audience, options.clientId, options.algorithms, options.clockTolerance, options.maxLifetime,
    options.requireJti, undefined, options.allowMultipleAudiences, options.now];
  const result = JSON.parse(guarded(() => raw.verifyClientAssertion(token, set, args)));
  return {
    header: result.header,
    payload: result.payload,
    clientId: result.clientId,
    jti: result.jti ?? undefined,
    replayExpiresAt: result.replayExpiresAt,
    key: set.keyAt(result.keyIndex),
  };
}

// ---------------------------------------------------------------------------------------------
// The verifier

/**
 * Verifies client assertions for an authorization server: finds the client by the assertion's
 * sub, fetches and caches its keys, applies pkjwt's strict policy and stops replays.
 * @example
 * const verifier = new ClientAssertionVerifier({ issuer, getClient: (id) => clients.get(id) });
 * const { clientId } = await verifier.verify(form.get('client_assertion'), { clientId: form.get('client_id') ?? undefined });
 */
export class ClientAssertionVerifier {
  #issuer;
  #audiences;
  #allowMultipleAudiences;
  #algorithms;
  #clockTolerance;
  #maxLifetime;
  #getClient;
  #replayStore;
  #jwks;
  #keySets = new KeySetsByText();
  #clock;

  constructor(opts) {
    if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
      throw invalid('ClientAssertionVerifier takes an options object');
    }
    for (const name of Object.keys(opts)) {
      if (!VERIFIER_OPTIONS.includes(name)) throw invalid(`ClientAssertionVerifier: unknown option ${JSON.stringify(name)}`);
    }
    const {
      issuer, audiences = [], allowMultipleAudiences = false, algorithms = ALGORITHMS, clockTolerance = 15,
      maxLifetime = 300, getClient, replayStore, fetch, jwksCacheTtl = 600, jwksCooldown = 30, jwksTimeout = 5,
      jwksMaxBytes = 512 * 1024, clock = Date.now,
    } = opts;
    if (typeof issuer !== 'string' || issuer === '') throw invalid('ClientAssertionVerifier: issuer must be a non-empty string');
    if (!Array.isArray(audiences) || audiences.some((a) => typeof a !== 'string' || a === '')) {
      throw invalid('ClientAssertionVerifier: audiences must be an array of non-empty strings');
    }
    if (typeof allowMultipleAudiences !== 'boolean') throw invalid('ClientAssertionVerifier: allowMultipleAudiences must be a boolean');
    if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((a) => !ALGORITHMS.includes(a))) {
      throw invalid(`ClientAssertionVerifier: algorithms must be a non-empty array of ${ALGORITHMS.join(', ')}`);
    }
    if (typeof getClient !== 'function') throw invalid('ClientAssertionVerifier: getClient must be a function');
    if (replayStore !== undefined && (replayStore === null || typeof replayStore.setIfAbsent !== 'function')) {
      throw invalid('ClientAssertionVerifier: replayStore must have a setIfAbsent(key, expiresAtMs) method');
    }
    if (fetch !== undefined && typeof fetch !== 'function') throw invalid('ClientAssertionVerifier: fetch must be a function');
    if (typeof clock !== 'function') throw invalid('ClientAssertionVerifier: clock must be a function returning epoch milliseconds');
    this.#issuer = issuer;
    this.#audiences = [issuer, ...audiences.filter((a) => a !== issuer)];
    this.#allowMultipleAudiences = allowMultipleAudiences;
    this.#algorithms = [...new Set(algorithms)];
    this.#clockTolerance = numberOption(clockTolerance, 'clockTolerance', { min: 0, max: 600, integer: true, allowZero: true });
    this.#maxLifetime = numberOption(maxLifetime, 'maxLifetime', { min: 1, max: 86_400, integer: true });
    this.#getClient = getClient;
    this.#replayStore = replayStore ?? new ReplayCache();
    this.#clock = clock;
    this.#jwks = new RemoteJwksCache({
      fetch,
      ttl: numberOption(jwksCacheTtl, 'jwksCacheTtl', { min: 0, max: MAX_AGE_CEILING }),
      cooldown: numberOption(jwksCooldown, 'jwksCooldown', { min: 0, max: MAX_AGE_CEILING, allowZero: true }),
      timeout: numberOption(jwksTimeout, 'jwksTimeout', { min: 0, max: 300 }),
      maxBytes: numberOption(jwksMaxBytes, 'jwksMaxBytes', { min: 1, max: 64 * 1024 * 1024, integer: true }),
      clock,
    });
  }

  /** The issuer identifier: the aud every assertion must carry. */
  get issuer() {
    return this.#issuer;
  }

  /**
   * Verifies a client assertion. `clientId`, when the request carries a client_id parameter,
   * must equal the assertion's sub. Resolves to { header, payload, clientId, key }.
   */
  async verify(token, opts) {
    if (typeof token !== 'string') throw invalid('token must be a string');
    let expected;
    if (opts !== undefined) {
      if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw invalid('verify takes an options object');
      for (const name of Object.keys(opts)) {
        if (name !== 'clientId') throw invalid(`verify: unknown option ${JSON.stringify(name)}`);
      }
      expected = opts.clientId;
      if (expected !== undefined && typeof expected !== 'string') throw invalid('clientId must be a string');
    }
    const { payload: unverified } = guarded(() => raw.decodeJwt(token));
    const sub = unverified.sub;
    if (sub === undefined) throw claimFailed('sub', 'missing', 'the "sub" claim is required');
    if (typeof sub !== 'string' || sub === '') throw claimFailed('sub', 'invalid', 'the "sub" claim must be a non-empty string');
    if (expected !== undefined && expected !== sub) {
      throw claimFailed('sub', 'mismatch', 'the client_id of the request is not the "sub" of the assertion');
    }

    const client = await this.#client(sub);
    const algorithms = this.#algorithmsFor(client);
    const nowMs = this.#clock();
    const options = {
      audience: this.#audiences,
      clientId: sub,
      algorithms,
      clockTolerance: this.#clockTolerance,
      maxLifetime: this.#maxLifetime,
      allowMultipleAudiences: this.#allowMultipleAudiences,
      requireJti: true,
      now: Math.floor(nowMs / 1000),
    };

    const verified = client.jwksUri !== undefined
      ? await this.#verifyRemote(token, client.jwksUri, options)
      : this.#verifyInline(token, client.jwks, options);

    let fresh;
    try {
      fresh = await this.#replayStore.setIfAbsent(JSON.stringify([verified.clientId, verified.jti]), verified.replayExpiresAt * 1000);
    } catch (cause) {
      verified.key.free();
      throw unavailable(`the replay store failed: ${cause?.message ?? cause}`, cause);
    }
    if (fresh === false) {
      verified.key.free();
      throw new PkjwtError('this assertion (client, jti) was already used', 'ERR_JWT_REPLAYED');
    }
    if (fresh !== true) {
      verified.key.free();
      throw unavailable('replayStore.setIfAbsent must return (or resolve to) true or false');
    }
    return { header: verified.header, payload: verified.payload, clientId: verified.clientId, key: verified.key };
  }

  async #client(sub) {
    let record;
    try {
      record = await this.#getClient(sub);
    } catch (cause) {
      throw unavailable(`getClient failed: ${cause?.message ?? cause}`, cause);
    }
    if (record === undefined || record === null) throw new PkjwtError('no client is registered with this client_id', 'ERR_CLIENT_UNKNOWN');
    if (typeof record !== 'object' || Array.isArray(record)) throw unavailable('getClient returned something other than a client record');
    const { jwks, jwksUri, algorithm } = record;
    const hasJwks = jwks !== undefined && jwks !== null;
    const hasUri = jwksUri !== undefined && jwksUri !== null;
    if (hasJwks && hasUri) throw unavailable('the client record holds both jwks and jwksUri');
    if (!hasJwks && !hasUri) throw noKey('the client has no registered keys (neither jwks nor jwksUri)');
    if (hasUri && typeof jwksUri !== 'string') throw unavailable('the client record\'s jwksUri is not a string');
    if (hasJwks && (typeof jwks !== 'object' || !Array.isArray(jwks.keys))) {
      throw unavailable('the client record\'s jwks is not a JWK Set { keys: [...] }');
    }
    if (algorithm !== undefined && algorithm !== null && !ALGORITHMS.includes(algorithm)) {
      throw unavailable('the client record\'s algorithm is not an algorithm pkjwt knows');
    }
    return { jwks: hasJwks ? jwks : undefined, jwksUri: hasUri ? jwksUri : undefined, algorithm: algorithm ?? undefined };
  }

  /** A pin accepts only itself (EdDSA also Ed25519), and must lie within `algorithms`. */
  #algorithmsFor(client) {
    const pin = client.algorithm;
    if (pin === undefined) return this.#algorithms;
    if (!this.#algorithms.includes(pin)) {
      throw unavailable(`the client is pinned to ${pin}, which the verifier's algorithms do not include`);
    }
    const accepted = pin === 'EdDSA' ? ['EdDSA', 'Ed25519'] : [pin];
    return accepted.filter((alg) => this.#algorithms.includes(alg));
  }

  #verifyInline(token, jwks, options) {
    let set;
    try {
      set = this.#keySets.get(JSON.stringify(jwks));
    } catch (cause) {
      throw noKey(`the client's registered JWK Set is unusable: ${cause?.message ?? cause}`, cause);
    }
    return verifyWithSet(token, set, options);
  }

  #verifyWithText(token, text, options) {
    return verifyWithSet(token, this.#keySets.get(text), options);
  }

  async #verifyRemote(token, uri, options) {
    const text = await this.#jwks.keys(uri);
    try {
      return this.#verifyWithText(token, text, options);
    } catch (error) {
      if (error?.code !== 'ERR_JWKS_NO_MATCHING_KEY') throw error;
      const fresh = await this.#jwks.refetch(uri, text);
      if (fresh === undefined) throw error;
      return this.#verifyWithText(token, fresh, options);
    }
  }

  /**
   * The HTTP response for an error of verify: 401 invalid_client (with WWW-Authenticate) for
   * every failure of the client's assertion, 500 server_error when the server's own parts
   * failed. The description helps an honest client and never echoes the token.
   */
  errorResponse(error) {
    const code = error?.code;
    const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
    const description = typeof code === 'string' && (error instanceof PkjwtError || error?.name === 'PkjwtError')
      ? this.#describe(code, error) : undefined;
    if (description === undefined) {
      return {
        status: 500,
        headers,
        body: { error: 'server_error', error_description: 'the server could not authenticate the client now; try again later' },
      };
    }
    const text = safeText(description);
    const realm = safeText(this.#issuer);
    return {
      status: 401,
      headers: {
        ...headers,
        'www-authenticate': `private_key_jwt realm="${realm}", error="invalid_client", error_description="${text}"`,
      },
      body: { error: 'invalid_client', error_description: text },
    };
  }

  #describe(code, error) {
    switch (code) {
      case 'ERR_CLIENT_UNKNOWN':
      case 'ERR_JWKS_NO_MATCHING_KEY':
        return 'no key registered for this client matches the client assertion (check the client_id, the kid and the registered keys)';
      case 'ERR_JWKS_FETCH_FAILED':
        return 'the keys registered for this client (its jwks_uri) could not be fetched or are not a valid JWK Set';
      case 'ERR_JWS_INVALID':
      case 'ERR_JWT_INVALID':
        return 'the client assertion is not a well-formed compact JWS with a JSON claims set';
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
        return 'the client assertion is signed with an algorithm this server does not accept for this client';
      case 'ERR_JOSE_NOT_SUPPORTED':
        return 'the client assertion uses a JOSE header parameter or key this server does not support';
      case 'ERR_JWK_INVALID':
        return 'the key for the client assertion is not usable with its algorithm';
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        return 'the signature of the client assertion is invalid';
      case 'ERR_JWT_EXPIRED':
        return 'the client assertion has expired';
      case 'ERR_JWT_REPLAYED':
        return 'this client assertion was already used; sign a new one, with a fresh jti, for every request';
      case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
        if (error.claim === 'aud') {
          return `the aud of the client assertion must be this server's issuer identifier ${this.#issuer}${this.#allowMultipleAudiences ? '' : ' as its single value'}`;
        }
        return CLAIM_DESCRIPTIONS[error.claim] ?? 'a claim of the client assertion is invalid';
      default:
        return undefined; // ERR_VERIFIER_UNAVAILABLE, ERR_INVALID_ARGUMENT, anything unexpected: 500
    }
  }
}

/**
 * A ReplayStore on Redis: one `SET key 1 NX PXAT expiresAtMs` round trip per check, atomic on the
 * server. `client` is a connected node-redis (npm `redis`) client; keys are prefixed with
 * `prefix` (default 'pkjwt:jti:').
 * @example const replayStore = createRedisReplayStore(await createClient({ url }).connect());
 */
export function createRedisReplayStore(client, opts) {
  if (client === null || typeof client !== 'object' || typeof client.sendCommand !== 'function') {
    throw invalid('createRedisReplayStore takes a connected node-redis client');
  }
  let prefix = 'pkjwt:jti:';
  if (opts !== undefined) {
    if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw invalid('createRedisReplayStore takes an options object');
    for (const name of Object.keys(opts)) {
      if (name !== 'prefix') throw invalid(`createRedisReplayStore: unknown option ${JSON.stringify(name)}`);
    }
    if (opts.prefix !== undefined) {
      if (typeof opts.prefix !== 'string') throw invalid('prefix must be a string');
      prefix = opts.prefix;
    }
  }
  return {
    async setIfAbsent(key, expiresAtMs) {
      if (typeof key !== 'string') throw invalid('key must be a string');
      if (typeof expiresAtMs !== 'number' || !Number.isFinite(expiresAtMs) || expiresAtMs <= 0) {
        throw invalid('expiresAtMs must be a positive number of epoch milliseconds');
      }
      const reply = await client.sendCommand(['SET', prefix + key, '1', 'NX', 'PXAT', String(Math.ceil(expiresAtMs))]);
      if (reply === 'OK') return true;
      if (reply === null || reply === undefined) return false;
      throw new Error(`unexpected reply from Redis SET NX: ${String(reply).slice(0, 40)}`);
    },
  };
}
