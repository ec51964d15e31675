/**
 * pkjwt: sign and verify OAuth 2.0 / OpenID Connect client assertions (private_key_jwt).
 * One Rust core compiled to WebAssembly; importing the package is enough on every runtime.
 */

/** JWA signature algorithms pkjwt implements. `Ed25519` is RFC 9864's name for EdDSA with Ed25519. */
export type Alg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'EdDSA' | 'Ed25519';

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
  | 'ERR_CRYPTO_FAILURE';

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
  /** The algorithm the key is bound to, if any. */
  readonly alg: Alg | undefined;
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

/** Generates a new private key for `alg`, bound to it. */
export declare function generateKey(alg: Alg, opts?: GenerateKeyOptions): Key;

/** Options of importKey. */
export interface ImportKeyOptions {
  /** Bind the key to this algorithm (must fit the key, and agree with a JWK's own alg). */
  alg?: Alg;
  /** Use this kid instead of the JWK's kid or the thumbprint. */
  kid?: string;
}

/**
 * Imports a key: PEM text (PKCS#8, PKCS#1, SEC1, SPKI, X.509 certificate), a JWK object or its
 * JSON text, or DER bytes.
 */
export declare function importKey(input: string | JsonWebKey | Uint8Array | ArrayBuffer, opts?: ImportKeyOptions): Key;

/** The JWK Set of the keys' public halves, ready to register. */
export declare function toJwks(keys: Key[]): { keys: JsonWebKey[] };

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
  /** Releases the cache's memory now. */
  free(): void;
}

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
