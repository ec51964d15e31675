/**
 * pkjwt: sign and verify OAuth 2.0 / OpenID Connect client assertions (private_key_jwt).
 * One Rust core compiled to WebAssembly; importing the package is enough on every runtime.
 */

/** JWA signature algorithms pkjwt implements. `Ed25519` is RFC 9864's name for EdDSA with Ed25519. */
export type Alg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'EdDSA' | 'Ed25519';

/** JWE key-management algorithms pkjwt implements; a key generated or imported for one is an encryption key. */
export type KeyManagementAlg = 'RSA-OAEP-256' | 'RSA-OAEP' | 'ECDH-ES' | 'ECDH-ES+A128KW' | 'ECDH-ES+A256KW';

/** JWE content-encryption algorithms pkjwt implements. */
export type ContentEncryptionAlg = 'A128CBC-HS256' | 'A256CBC-HS512' | 'A128GCM' | 'A256GCM';

/** Every stable error code a PkjwtError can carry. */
export type ErrorCode =
  | 'ERR_JWS_INVALID'
  | 'ERR_JWT_INVALID'
  | 'ERR_JOSE_ALG_NOT_ALLOWED'
  | 'ERR_JOSE_NOT_SUPPORTED'
  | 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_CLAIM_VALIDATION_FAILED'
  | 'ERR_JWKS_NO_MATCHING_KEY'
  | 'ERR_JWK_INVALID'
  | 'ERR_JWT_REPLAYED'
  | 'ERR_REPLAY_CACHE_FULL'
  | 'ERR_TOKEN_REQUEST_FAILED'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_CRYPTO_FAILURE'
  | 'ERR_CLIENT_UNKNOWN'
  | 'ERR_JWKS_FETCH_FAILED'
  | 'ERR_VERIFIER_UNAVAILABLE'
  | 'ERR_JWE_INVALID'
  | 'ERR_JWE_DECRYPTION_FAILED';

/** Machine-readable reasons of claim failures. */
export type ClaimFailureReason = 'missing' | 'invalid' | 'mismatch' | 'check_failed';

/** A JSON Web Key as pkjwt reads and writes it. */
export interface JsonWebKey {
  kty: 'RSA' | 'EC' | 'OKP' | (string & {});
  kid?: string;
  alg?: string;
  use?: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  [member: string]: unknown;
}

/** A JWK Set. */
export interface JsonWebKeySet {
  keys: JsonWebKey[];
}

/** An asymmetric key. Immutable; printing, inspecting or JSON-serialising it never shows private members. */
export declare class Key {
  private constructor();
  /** The JWK key type. */
  readonly kty: 'RSA' | 'EC' | 'OKP';
  /** The algorithm the key is bound to, if any: a signature or (for an encryption key) a JWE algorithm. */
  readonly alg: Alg | KeyManagementAlg | undefined;
  /** 'sig' or 'enc' (the key's own use, else implied by its alg), or undefined for an unbound key. */
  readonly use: 'sig' | 'enc' | undefined;
  /** The key id: given at import or generation, else the JWK's kid, else the RFC 7638 thumbprint. */
  readonly kid: string;
  /** True when the key can sign. */
  readonly isPrivate: boolean;
  /** The public half, with the same kid and alg. */
  publicKey(): Key;
  /** The key as a JWK with kid, alg (when bound) and use; private members only with `{ private: true }`. */
  toJwk(opts?: { private?: boolean }): JsonWebKey;
  /** PKCS#8 PEM for a private key, SPKI PEM for a public one. */
  toPem(): string;
  /** The RFC 7638 SHA-256 thumbprint, base64url. */
  thumbprint(): string;
  /** The public JWK (what JSON.stringify shows). */
  toJSON(): JsonWebKey;
  /** A description without secrets. */
  toString(): string;
  /** Releases the key's memory now instead of at garbage collection. */
  free(): void;
}

/** Options of generateKey. */
export interface GenerateKeyOptions {
  /** RSA modulus length in bits: a multiple of 8 from 2048 to 8192; default 2048. */
  modulusLength?: number;
  /** The kid; default the RFC 7638 thumbprint. */
  kid?: string;
}

/**
 * Generates a new private key for `alg`, bound to it. A JWE algorithm gives an encryption key
 * (use 'enc'; ECDH-ES on P-256) that never signs or verifies.
 */
export declare function generateKey(alg: Alg | KeyManagementAlg, opts?: GenerateKeyOptions): Key;

/** Options of importKey. */
export interface ImportKeyOptions {
  /** Bind the key to this algorithm (must fit the key, and agree with a JWK's own alg); a JWE algorithm makes it an encryption key. */
  alg?: Alg | KeyManagementAlg;
  /** Use this kid instead of the JWK's kid or the thumbprint. */
  kid?: string;
}

/**
 * Imports a key: PEM text (PKCS#8, PKCS#1, SEC1, SPKI, X.509 certificate), a JWK object or its
 * JSON text, or DER bytes.
 */
export declare function importKey(input: string | JsonWebKey | Uint8Array | ArrayBuffer, opts?: ImportKeyOptions): Key;

/** Options of toJwks. */
export interface ToJwksOptions {
  /** Refuse one key pair (same thumbprint) used for both signing and encryption, and keys without a use. */
  requireSeparateKeys?: boolean;
  /** 'idura-ftn' implies requireSeparateKeys (Idura's FTN rules). */
  preset?: 'idura-ftn';
}

/** The JWK Set of the keys' public halves, ready to register. */
export declare function toJwks(keys: Key[], opts?: ToJwksOptions): { keys: JsonWebKey[] };

/** Options of createClientAssertion. */
export interface ClientAssertionOptions {
  /** The client id: iss and sub. */
  clientId: string;
  /** The one aud value: the authorization server's issuer (or the token endpoint it insists on). */
  audience: string;
  /** The private key that signs. */
  key: Key;
  /** The algorithm; default the key's alg, else RS256 / ES256 / ES384 / EdDSA by key type. */
  alg?: Alg;
  /** Seconds from iat to exp; default 60, at most 3600. */
  lifetime?: number;
  /** The kid header; default the key's kid; null omits it. */
  kid?: string | null;
  /** The typ header; default 'client-authentication+jwt'; null omits it. */
  typ?: string | null;
  /** A PEM certificate of the key: adds x5t#S256. */
  certificate?: string;
  /** With certificate, also add the legacy SHA-1 x5t. */
  x5t?: boolean;
  /** The jti; default 128 random bits. For tests. */
  jti?: string;
  /** The current time in epoch seconds. For tests. */
  now?: number;
  /** Extra claims; iss, sub, aud, exp, iat and jti cannot be overridden. */
  claims?: Record<string, unknown>;
}

/** Signs a client assertion (a compact JWS). */
export declare function createClientAssertion(opts: ClientAssertionOptions): string;

/** The form parameters that carry an assertion. */
export declare function clientAuthParams(assertion: string): {
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
  client_assertion: string;
};

/** The client_assertion_type of RFC 7523 §2.2. */
export declare const CLIENT_ASSERTION_TYPE: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Options of requestToken: the assertion's options plus the request's. */
export interface RequestTokenOptions extends ClientAssertionOptions {
  /** The token endpoint URL. */
  tokenEndpoint: string;
  /** grant_type and the grant's parameters, e.g. { grant_type: 'client_credentials', scope: 'api' }. */
  params: Record<string, string> & { grant_type: string };
  /** A fetch implementation; default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Seconds before the request is abandoned; default 10. */
  timeout?: number;
}

/** Makes a token request authenticated with a fresh client assertion; resolves to the parsed JSON response. */
export declare function requestToken(opts: RequestTokenOptions): Promise<Record<string, unknown>>;

/** A bounded in-memory replay cache keyed by (iss, jti). */
export declare class ReplayCache {
  constructor(opts?: { maxEntries?: number });
  /** The number of entries held. */
  readonly size: number;
  /**
   * The ReplayStore method: records `key` until `expiresAtMs` (epoch milliseconds) unless it is
   * held unexpired already. True when recorded, false when present; atomic. Throws
   * ERR_REPLAY_CACHE_FULL when full of unexpired entries.
   */
  setIfAbsent(key: string, expiresAtMs: number): boolean;
  /** Releases the cache's memory now. */
  free(): void;
}

/**
 * Where a ClientAssertionVerifier records used (client, jti) pairs. setIfAbsent must be atomic:
 * of concurrent calls with one key (from any number of server instances) exactly one sees true.
 */
export interface ReplayStore {
  /** Records `key` until `expiresAtMs` (epoch milliseconds); true when it was absent (or expired). */
  setIfAbsent(key: string, expiresAtMs: number): boolean | Promise<boolean>;
}

/** What a ClientAssertionVerifier needs to know of a client: exactly one of jwks / jwksUri. */
export interface ClientRecord {
  /** The client's registered JWK Set. */
  jwks?: JsonWebKeySet;
  /** Where the client publishes its JWK Set (https:, or http: to a loopback address). */
  jwksUri?: string;
  /** The one algorithm the client signs with (token_endpoint_auth_signing_alg); must be in `algorithms`. */
  algorithm?: Alg;
  [member: string]: unknown;
}

/** Options of ClientAssertionVerifier. */
export interface ClientAssertionVerifierOptions {
  /** The server's issuer identifier: the accepted aud. */
  issuer: string;
  /** Extra accepted aud values (the token endpoint, …) for older clients. */
  audiences?: string[];
  /** Accept an aud array with several values when one is accepted; default false. */
  allowMultipleAudiences?: boolean;
  /** Accepted algorithms; default all. */
  algorithms?: Alg[];
  /** Seconds of clock skew; default 15. */
  clockTolerance?: number;
  /** Longest accepted lifetime in seconds; default 300. */
  maxLifetime?: number;
  /** Finds a client by its client_id; undefined when there is none. */
  getClient: (clientId: string) => ClientRecord | undefined | null | Promise<ClientRecord | undefined | null>;
  /** Where replays are detected; default a new in-memory ReplayCache. */
  replayStore?: ReplayStore;
  /** The fetch used for jwks_uri; default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Seconds a fetched JWK Set is cached; default 600. A Cache-Control max-age is honoured within [60 s, 24 h]. */
  jwksCacheTtl?: number;
  /** Minimum seconds between two fetches of one jwks_uri; default 30. */
  jwksCooldown?: number;
  /** Seconds for a whole fetch, body included; default 5. */
  jwksTimeout?: number;
  /** Largest accepted JWK Set body in bytes; default 524288 (512 KiB). */
  jwksMaxBytes?: number;
  /** The current time in epoch milliseconds; default Date.now. For tests. */
  clock?: () => number;
}

/** A client assertion that passed every check, and was recorded against replay. */
export interface VerifiedClientAssertion {
  header: JoseHeader;
  payload: ClientAssertionClaims;
  /** The authenticated client: iss = sub. */
  clientId: string;
  /** The client's key whose signature held. */
  key: Key;
}

/** The HTTP response for a failed client authentication. */
export interface ClientAuthErrorResponse {
  /** 401 for a failed assertion, 500 when the server's own parts failed. */
  status: 401 | 500;
  /** content-type, cache-control and, on 401, www-authenticate. */
  headers: Record<string, string>;
  body: { error: 'invalid_client' | 'server_error'; error_description: string };
}

/**
 * Verifies client assertions for an authorization server: finds the client by the assertion's
 * sub, fetches and caches its keys, applies the strict policy and stops replays.
 */
export declare class ClientAssertionVerifier {
  constructor(opts: ClientAssertionVerifierOptions);
  /** The issuer identifier. */
  readonly issuer: string;
  /** Verifies `token`; `clientId` is the request's client_id parameter, when it has one. */
  verify(token: string, opts?: { clientId?: string }): Promise<VerifiedClientAssertion>;
  /** The OAuth error response for an error of verify. */
  errorResponse(error: unknown): ClientAuthErrorResponse;
}

/** A client of Redis as createRedisReplayStore uses it: a connected node-redis client. */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/** A ReplayStore on Redis: one SET key 1 NX PXAT round trip per check. */
export declare function createRedisReplayStore(client: RedisCommandClient, opts?: { prefix?: string }): ReplayStore;

/** Options of verifyClientAssertion. */
export interface VerifyClientAssertionOptions {
  /** Accepted aud values: the issuer identifier first. */
  audience: string | string[];
  /** The client's registered keys. */
  keys: Key | Array<Key | JsonWebKey> | JsonWebKeySet;
  /** The client id when the request names it: iss and sub must equal it. */
  clientId?: string;
  /** Accepted algorithms; default all. */
  algorithms?: Alg[];
  /** Seconds of clock skew; default 15. */
  clockTolerance?: number;
  /** Longest accepted lifetime in seconds; default 300. */
  maxLifetime?: number;
  /** Require jti; default true. */
  requireJti?: boolean;
  /** Require typ client-authentication+jwt; default false. */
  requireTyp?: boolean;
  /** Accept an aud array with several values when one is accepted; default false. */
  allowMultipleAudiences?: boolean;
  /** Where replays are detected; without one, none are. */
  replayCache?: ReplayCache | null;
  /** The current time in epoch seconds. For tests. */
  now?: number;
}

/** The JOSE header of a client assertion. */
export interface JoseHeader {
  alg: Alg;
  kid?: string;
  typ?: string;
  [member: string]: unknown;
}

/** The claims of a verified client assertion. */
export interface ClientAssertionClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat?: number;
  nbf?: number;
  jti?: string;
  [claim: string]: unknown;
}

/** Verifies a client assertion; throws a PkjwtError when any check fails. */
export declare function verifyClientAssertion(
  token: string,
  opts: VerifyClientAssertionOptions,
): { header: JoseHeader; payload: ClientAssertionClaims; key: Key };

/** Decodes a compact JWS strictly, without verifying it. */
export declare function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
  signingInput: string;
};

/** x5t and x5t#S256 of a PEM certificate. */
export declare function certificateThumbprints(pem: string): { x5t: string; 'x5t#S256': string };

// ---- Issue 8 (FTN): request objects, PAR, signed JWK Sets, ID token and userinfo verification ----

/** Options of createRequestObject (RFC 9101). */
export interface RequestObjectOptions {
  /** The client id: iss and client_id. */
  clientId: string;
  /** The one aud value: the provider's issuer. */
  audience: string;
  /** The private key that signs. */
  key: Key;
  /** The authorization request parameters (response_type, redirect_uri, scope, state, nonce, …);
   * iss, aud, client_id, exp, iat, nbf, jti, request and request_uri are refused. */
  params?: Record<string, unknown>;
  /** The algorithm; default the key's. */
  alg?: Alg;
  /** The kid header; default the key's kid; null omits it. */
  kid?: string | null;
  /** Seconds from iat to exp; default 300, at most 3600. */
  lifetime?: number;
  /** The typ header; default 'oauth-authz-req+jwt'; null omits it. */
  typ?: string | null;
  /** The jti; default 128 random bits; null omits it. */
  jti?: string | null;
  /** The current time in epoch seconds. For tests. */
  now?: number;
}

/** Signs a request object (a compact JWS). */
export declare function createRequestObject(opts: RequestObjectOptions): string;

/** Options of authorizationUrl: exactly one of requestObject and requestUri. */
export type AuthorizationUrlOptions =
  | { authorizationEndpoint: string; clientId: string; requestObject: string; requestUri?: never }
  | { authorizationEndpoint: string; clientId: string; requestUri: string; requestObject?: never };

/** The authorization URL carrying only client_id and request (or request_uri). */
export declare function authorizationUrl(opts: AuthorizationUrlOptions): string;

/** Options of pushAuthorizationRequest: the client assertion's options plus the request's. */
export interface PushAuthorizationRequestOptions extends ClientAssertionOptions {
  /** The PAR endpoint URL. */
  parEndpoint: string;
  /** A signed request object to push (as `request`). */
  requestObject?: string;
  /** Further form parameters (or all of them, without a request object). */
  params?: Record<string, string>;
  /** A fetch implementation; default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Seconds before the request is abandoned; default 10. */
  timeout?: number;
}

/** Pushes an authorization request (RFC 9126) authenticated with private_key_jwt. */
export declare function pushAuthorizationRequest(
  opts: PushAuthorizationRequestOptions,
): Promise<{ request_uri: string; expires_in: number; [member: string]: unknown }>;

/** Options of verifyRequestObject (the authorization server's side). */
export interface VerifyRequestObjectOptions {
  /** The client id of the request: iss and client_id must equal it. */
  clientId: string;
  /** The accepted aud value(s): the server's issuer. */
  audience: string | string[];
  /** The client's registered keys. */
  keys: Key | Array<Key | JsonWebKey> | JsonWebKeySet;
  /** Accepted algorithms; default all. */
  algorithms?: Alg[];
  /** Seconds of clock skew; default 15. */
  clockTolerance?: number;
  /** Longest accepted lifetime in seconds; default 3600. */
  maxLifetime?: number;
  /** Require typ oauth-authz-req+jwt; default false (then none or JWT also pass). */
  requireTyp?: boolean;
  /** Require jti; default false (a replayCache requires it). */
  requireJti?: boolean;
  /** Where (iss, jti) replays are detected. */
  replayCache?: ReplayCache | null;
  /** The current time in epoch seconds. For tests. */
  now?: number;
}

/** Verifies a request object; throws a PkjwtError when any check fails. */
export declare function verifyRequestObject(
  jwt: string,
  opts: VerifyRequestObjectOptions,
): { header: JoseHeader; payload: Record<string, unknown>; key: Key };

/** Options of createSignedJwks. */
export interface SignedJwksOptions {
  /** The keys to publish (public halves are used). */
  keys?: Key[] | JsonWebKeySet;
  /** The long-lived entity key that signs. */
  signingKey: Key;
  /** The issuer (the entity identifier). */
  iss: string;
  /** The subject; default iss. */
  sub?: string;
  /** Seconds from iat to exp; default 86400, at most a year. */
  lifetime?: number;
  /** The kid header; default the signing key's; null omits it. */
  kid?: string | null;
  /** The algorithm; default the signing key's. */
  alg?: Alg;
  /** The current time in epoch seconds. For tests. */
  now?: number;
  /** 'jwk-set' (typ jwk-set+jwt, default) or 'entity-statement' (typ entity-statement+jwt). */
  format?: 'jwk-set' | 'entity-statement';
  /** Entity statement only: metadata.openid_relying_party.signed_jwks_uri (Telia's form). */
  signedJwksUri?: string;
}

/** Signs a JWK Set or an entity statement. */
export declare function createSignedJwks(opts: SignedJwksOptions): string;

/** Options of verifySignedJwks. */
export interface VerifySignedJwksOptions {
  /** The entity key(s). */
  keys: Key | Array<Key | JsonWebKey> | JsonWebKeySet;
  /** The expected iss. */
  issuer: string;
  /** The expected sub; default the issuer. */
  subject?: string;
  /** Accepted algorithms; default all. */
  algorithms?: Alg[];
  /** Seconds of clock skew; default 15. */
  clockTolerance?: number;
  /** The current time in epoch seconds. For tests. */
  now?: number;
}

/** Verifies a signed JWK Set or entity statement; returns the published keys. */
export declare function verifySignedJwks(
  jwt: string,
  opts: VerifySignedJwksOptions,
): {
  keys: JsonWebKey[];
  header: JoseHeader;
  payload: Record<string, unknown>;
  format: 'jwk-set' | 'entity-statement';
  signedJwksUri?: string;
};

/** Options of verifyIdToken (OpenID Connect Core §3.1.3.7). */
export interface VerifyIdTokenOptions {
  /** The provider's issuer: iss must equal it exactly. */
  issuer: string;
  /** The client id: aud must contain it; azp, when present, must equal it. */
  clientId: string;
  /** The provider's keys. */
  keys: Key | Array<Key | JsonWebKey> | JsonWebKeySet;
  /** The nonce sent: then required and equal. */
  nonce?: string;
  /** Accepted algorithms; default all asymmetric ones (never none or HS*). */
  algorithms?: Alg[];
  /** Seconds of clock skew; default 15. */
  clockTolerance?: number;
  /** The max_age sent: auth_time is then required and must be recent enough. */
  maxAge?: number;
  /** Require auth_time even without maxAge. */
  requireAuthTime?: boolean;
  /** The current time in epoch seconds. For tests. */
  now?: number;
}

/** The claims of a verified ID token. */
export interface IdTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  azp?: string;
  nonce?: string;
  auth_time?: number;
  [claim: string]: unknown;
}

/** Verifies a signed ID token (decrypt an encrypted one first). */
export declare function verifyIdToken(
  idToken: string,
  opts: VerifyIdTokenOptions,
): { header: JoseHeader; payload: IdTokenClaims; key: Key };

/** Options of verifyUserinfo (OpenID Connect Core §5.3.2). */
export interface VerifyUserinfoOptions {
  /** The provider's issuer: iss is required and must equal it. */
  issuer: string;
  /** The client id: aud is required and must contain it. */
  clientId: string;
  /** The provider's keys. */
  keys: Key | Array<Key | JsonWebKey> | JsonWebKeySet;
  /** The sub of the verified ID token. */
  subject: string;
  /** Accepted algorithms; default all. */
  algorithms?: Alg[];
  /** Seconds of clock skew; default 15. */
  clockTolerance?: number;
  /** The current time in epoch seconds. For tests. */
  now?: number;
}

/** Verifies a signed userinfo response; returns its claims. */
export declare function verifyUserinfo(
  jwt: string,
  opts: VerifyUserinfoOptions,
): { sub: string; [claim: string]: unknown };

/** An error from pkjwt. */
export declare class PkjwtError extends Error {
  readonly name: 'PkjwtError';
  /** The stable code. */
  readonly code: ErrorCode;
  /** On claim failures: the claim. */
  readonly claim?: string;
  /** On claim failures: why. */
  readonly reason?: ClaimFailureReason;
  /** On ERR_TOKEN_REQUEST_FAILED: the HTTP status. */
  readonly status?: number;
  /** On ERR_TOKEN_REQUEST_FAILED: the OAuth error. */
  readonly error?: string;
  /** On ERR_TOKEN_REQUEST_FAILED: the OAuth error_description. */
  readonly errorDescription?: string;
}

/** True when `value` is a PkjwtError. */
export declare function isPkjwtError(value: unknown): value is PkjwtError;

/** Options of openIdToken: decryptJwt's keys and narrowing, then verifyIdToken's checks. */
export interface OpenIdTokenOptions {
  /** Your own `use: "enc"` keys; when given, an unencrypted ID token is refused (see requireEncryption). */
  decryptionKeys?: Key | Key[] | JsonWebKeySet;
  /** The provider's issuer identifier (exact match). */
  issuer: string;
  /** Your client id: aud must contain it (and azp, when present or required, equal it). */
  clientId: string;
  /** The provider's signing keys (its JWKS). */
  keys: Key | Array<Key | JsonWebKey> | JsonWebKeySet;
  /** The nonce you sent in the request object; the ID token's nonce must equal it. */
  nonce?: string;
  /** Seconds since auth_time that are still accepted. */
  maxAge?: number;
  /** Require auth_time. */
  requireAuthTime?: boolean;
  /** Refuse a signed-but-unencrypted ID token (default: true when decryptionKeys are given). */
  requireEncryption?: boolean;
  /** Accepted signature algorithms of the inner JWT. */
  algorithms?: Alg[];
  /** Accepted JWE key-management algorithms (decryptJwt's `algorithms`). */
  keyManagementAlgorithms?: KeyManagementAlg[];
  /** Accepted JWE content encryptions. */
  encryptions?: ContentEncryptionAlg[];
  /** Seconds of clock skew. */
  clockTolerance?: number;
  /** Pretend the time is this (epoch seconds); for tests. */
  now?: number;
}

/** Decrypts (when encrypted) and verifies an ID token; jweHeader is the JWE's protected header. */
export declare function openIdToken(idToken: string, opts: OpenIdTokenOptions): {
  header: JoseHeader;
  payload: Record<string, unknown>;
  jweHeader: Record<string, unknown> | undefined;
};

/** Options of openUserinfo: as openIdToken's, with the ID token's sub as `subject`. */
export interface OpenUserinfoOptions extends Omit<OpenIdTokenOptions, 'nonce' | 'maxAge' | 'requireAuthTime'> {
  /** The ID token's sub: the userinfo's sub must equal it. */
  subject: string;
}

/** Decrypts (when encrypted) and verifies a userinfo response sent as a JWT; returns its claims. */
export declare function openUserinfo(body: string, opts: OpenUserinfoOptions): Record<string, unknown>;

/** Options of decryptJwt. */
export interface DecryptJwtOptions {
  /** Private encryption keys (use 'enc' or a JWE alg); JWKs that are not encryption keys are skipped. */
  keys: Key | Array<Key | JsonWebKey> | JsonWebKeySet;
  /** Accepted key-management algorithms; default all that pkjwt implements. */
  algorithms?: KeyManagementAlg[];
  /** Accepted content encryptions; default all that pkjwt implements. */
  encryptions?: ContentEncryptionAlg[];
  /** The longest JWE accepted, in bytes; default 262144. */
  maxSize?: number;
}

/** A decrypted JWE. */
export interface DecryptedJwt {
  /** The protected header. */
  header: Record<string, unknown>;
  /** The plaintext bytes (for a nested JWT: the inner JWS). */
  plaintext: Uint8Array;
  /** The plaintext as text when it is valid UTF-8. */
  text: string | undefined;
}

/**
 * Decrypts a compact JWE. Structural problems are ERR_JWE_INVALID; every decryption failure
 * (wrong key, tag, padding, OAEP, key unwrap, epk) is the one opaque ERR_JWE_DECRYPTION_FAILED.
 */
export declare function decryptJwt(jwe: string, opts: DecryptJwtOptions): DecryptedJwt;

/** Options of encryptJwt. */
export interface EncryptJwtOptions {
  /** The recipient's (public) encryption key. */
  key: Key;
  /** Default: the key's own alg, else RSA-OAEP-256 (RSA) or ECDH-ES (EC). */
  alg?: KeyManagementAlg;
  /** Default A256GCM. */
  enc?: ContentEncryptionAlg;
  /** The cty header ('JWT' for a nested JWT). */
  cty?: string;
  /** The kid header: the key's by default, null omits it. */
  kid?: string | null;
  /** The typ header, if any. */
  typ?: string;
}

/** Encrypts `plaintext` to a public encryption key as a compact JWE. */
export declare function encryptJwt(plaintext: string | Uint8Array, opts: EncryptJwtOptions): string;
