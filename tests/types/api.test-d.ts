// Type-level tests of pkg/index.d.ts, compiled (never run) by `npx tsc -p tests/types`.
// The first half holds valid uses that must compile: every exported function with every option,
// exhaustive switches over ErrorCode, ClaimFailureReason, Alg and Key.kty, and every Key member.
// The second half holds misuses, each marked `// @ts-expect-error`: if the typings stop
// rejecting one, tsc fails with "Unused '@ts-expect-error' directive".
import {
  type Alg,
  type KeyManagementAlg,
  type ClaimFailureReason,
  type ClientAssertionClaims,
  type ClientAssertionOptions,
  type ErrorCode,
  type GenerateKeyOptions,
  type ImportKeyOptions,
  type JoseHeader,
  type JsonWebKey,
  type JsonWebKeySet,
  type RequestTokenOptions,
  type VerifyClientAssertionOptions,
  type ClientRecord,
  type ReplayStore,
  CLIENT_ASSERTION_TYPE,
  ClientAssertionVerifier,
  createRedisReplayStore,
  Key,
  PkjwtError,
  ReplayCache,
  certificateThumbprints,
  clientAuthParams,
  createClientAssertion,
  decodeJwt,
  decryptJwt,
  encryptJwt,
  generateKey,
  importKey,
  openIdToken,
  openUserinfo,
  isPkjwtError,
  requestToken,
  toJwks,
  verifyClientAssertion,
} from 'pkjwt';

// Inputs: only their types matter, nothing here runs.
declare const pem: string;
declare const certificatePem: string;
declare const der: Uint8Array;
declare const derBuffer: ArrayBuffer;
declare const token: string;
declare const issuer: string;
declare const unknownError: unknown;

/** true when A and B are the same type (not merely mutually assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
function expectType<T>(value: T): T {
  return value;
}

// ---------------------------------------------------------------------------------------------
// Valid uses
// ---------------------------------------------------------------------------------------------

// Alg: exactly the JWA algorithms pkjwt implements.
const algUnionIsExact: Equal<
  Alg,
  'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'EdDSA' | 'Ed25519'
> = true;

function hashOf(alg: Alg): 'SHA-256' | 'SHA-384' | 'SHA-512' {
  switch (alg) {
    case 'RS256':
    case 'PS256':
    case 'ES256':
      return 'SHA-256';
    case 'RS384':
    case 'PS384':
    case 'ES384':
      return 'SHA-384';
    case 'RS512':
    case 'PS512':
    case 'EdDSA':
    case 'Ed25519':
      return 'SHA-512';
    default: {
      const _: never = alg;
      return _;
    }
  }
}

// generateKey, with and without every option.
const rsaKey: Key = generateKey('RS256', { modulusLength: 3072, kid: 'rsa-2025' });
const ecKey = generateKey('ES256');
const edKey = generateKey('EdDSA', {});
const ed25519Key = generateKey('Ed25519', { kid: 'ed-1' });
const generateOptions: GenerateKeyOptions = { modulusLength: 4096 };
generateKey('PS512', generateOptions);

// importKey: PEM text, JWK object, JWK JSON text, DER bytes, ArrayBuffer; every option.
const jwk: JsonWebKey = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'ec-1', use: 'sig' };
const rsaJwk: JsonWebKey = { kty: 'RSA', n: 'n', e: 'AQAB', d: 'd', p: 'p', q: 'q', dp: 'dp', dq: 'dq', qi: 'qi', alg: 'RS256', x5c: ['cert'] };
const importOptions: ImportKeyOptions = { alg: 'PS256', kid: 'imported' };
const fromPem: Key = importKey(pem, importOptions);
importKey(pem, { alg: 'ES384' });
importKey(pem, { kid: 'k' });
importKey(jwk);
importKey(rsaJwk, { alg: 'RS512' });
importKey(JSON.stringify(jwk));
importKey(der);
importKey(derBuffer, {});

// Every member of Key.
const kty: 'RSA' | 'EC' | 'OKP' = fromPem.kty;
const boundAlg: Alg | KeyManagementAlg | undefined = fromPem.alg;
const kid: string = fromPem.kid;
const isPrivate: boolean = fromPem.isPrivate;
const publicHalf: Key = fromPem.publicKey();
const publicJwk: JsonWebKey = fromPem.toJwk();
const privateJwk: JsonWebKey = fromPem.toJwk({ private: true });
fromPem.toJwk({ private: false });
fromPem.toJwk({});
const pemOut: string = fromPem.toPem();
const thumbprint: string = fromPem.thumbprint();
const asJson: JsonWebKey = fromPem.toJSON();
const described: string = fromPem.toString();
fromPem.free();
const jwkKty: string = publicJwk.kty;
const extraMember: unknown = privateJwk['x5c'];
const isSignatureAlg = (alg: Alg | KeyManagementAlg): alg is Alg => !alg.startsWith('RSA-OAEP') && !alg.startsWith('ECDH');
if (boundAlg !== undefined && isSignatureAlg(boundAlg)) hashOf(boundAlg);
if (fromPem instanceof Key) expectType<Key>(fromPem);

function curveFamily(key: Key): string {
  switch (key.kty) {
    case 'RSA':
      return 'rsa';
    case 'EC':
      return 'nist';
    case 'OKP':
      return 'edwards';
    default: {
      const _: never = key.kty;
      return _;
    }
  }
}
curveFamily(ecKey);

// toJwks: the public halves as a JWK Set.
const jwks: JsonWebKeySet = toJwks([rsaKey, ecKey, edKey, ed25519Key.publicKey()]);
const registered: { keys: JsonWebKey[] } = toJwks([]);
const encKey: Key = generateKey('RSA-OAEP-256', { modulusLength: 2048 });
const encUse: 'sig' | 'enc' | undefined = encKey.use;
const separated: JsonWebKeySet = toJwks([rsaKey, encKey], { preset: 'idura-ftn', requireSeparateKeys: true });
const jwe: string = encryptJwt('claims', { key: encKey.publicKey(), alg: 'RSA-OAEP-256', enc: 'A128CBC-HS256', cty: 'JWT', kid: null, typ: 'JWT' });
const opened = decryptJwt(jwe, { keys: [encKey], algorithms: ['RSA-OAEP-256'], encryptions: ['A128CBC-HS256'], maxSize: 65536 });
const openedText: string | undefined = opened.text;
const openedBytes: Uint8Array = opened.plaintext;
void [encUse, separated, openedText, openedBytes, decryptJwt(jwe, { keys: separated })];

// createClientAssertion: the required options, then every option.
const minimal: string = createClientAssertion({ clientId: 'client', audience: issuer, key: ecKey });
const everyOption: ClientAssertionOptions = {
  clientId: 'client',
  audience: issuer,
  key: rsaKey,
  alg: 'PS256',
  lifetime: 120,
  kid: 'rsa-2025',
  typ: 'JWT',
  certificate: certificatePem,
  x5t: true,
  jti: 'fixed-jti',
  now: 1_700_000_000,
  claims: { nonce: 'n', nested: { ok: true }, list: [1, 2] },
};
const assertion: string = createClientAssertion(everyOption);
createClientAssertion({ clientId: 'client', audience: issuer, key: edKey, kid: null, typ: null });

// clientAuthParams and CLIENT_ASSERTION_TYPE.
const params = clientAuthParams(assertion);
const assertionType: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' = params.client_assertion_type;
const sameType: typeof CLIENT_ASSERTION_TYPE = params.client_assertion_type;
const form = new URLSearchParams({ grant_type: 'client_credentials', ...params });
const assertionText: string = params.client_assertion;

// requestToken: every option of the assertion plus the request's.
async function tokens(): Promise<void> {
  const response: Record<string, unknown> = await requestToken({
    tokenEndpoint: `${issuer}/token`,
    params: { grant_type: 'client_credentials', scope: 'api' },
    clientId: 'client',
    audience: issuer,
    key: ecKey,
  });
  const accessToken: unknown = response['access_token'];

  const customFetch: typeof fetch = async (_input, _init) => new Response('{"access_token":"t"}');
  const options: RequestTokenOptions = {
    ...everyOption,
    tokenEndpoint: `${issuer}/token`,
    params: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'jwt' },
    fetch: customFetch,
    timeout: 5,
  };
  await requestToken(options);
  await requestToken({ ...options, fetch: globalThis.fetch, kid: null, typ: null });
}

// ReplayCache.
const cache = new ReplayCache();
const boundedCache = new ReplayCache({ maxEntries: 10_000 });
new ReplayCache({});
const held: number = cache.size;
boundedCache.free();

// verifyClientAssertion: every accepted shape of keys, every option, the result's types.
verifyClientAssertion(token, { audience: issuer, keys: ecKey });
verifyClientAssertion(token, { audience: [issuer, `${issuer}/token`], keys: [ecKey, rsaKey.publicKey()] });
verifyClientAssertion(token, { audience: issuer, keys: [ecKey, jwk] });
verifyClientAssertion(token, { audience: issuer, keys: jwks });
verifyClientAssertion(token, { audience: issuer, keys: { keys: [jwk, rsaJwk] } });
const verifyOptions: VerifyClientAssertionOptions = {
  audience: [issuer],
  keys: jwks,
  clientId: 'client',
  algorithms: ['ES256', 'PS256', 'EdDSA', 'Ed25519'],
  clockTolerance: 30,
  maxLifetime: 600,
  requireJti: true,
  requireTyp: false,
  allowMultipleAudiences: false,
  replayCache: cache,
  now: 1_700_000_000,
};
const verified = verifyClientAssertion(token, verifyOptions);
verifyClientAssertion(token, { ...verifyOptions, replayCache: null });
const header: JoseHeader = verified.header;
const headerAlg: Alg = verified.header.alg;
const headerKid: string | undefined = verified.header.kid;
const headerTyp: string | undefined = verified.header.typ;
const claims: ClientAssertionClaims = verified.payload;
const iss: string = claims.iss;
const sub: string = claims.sub;
const aud: string | string[] = claims.aud;
const exp: number = claims.exp;
const iat: number | undefined = claims.iat;
const nbf: number | undefined = claims.nbf;
const jti: string | undefined = claims.jti;
const customClaim: unknown = claims['nonce'];
const matchedKey: Key = verified.key;

// decodeJwt.
const decoded = decodeJwt(token);
const decodedHeader: Record<string, unknown> = decoded.header;
const decodedPayload: Record<string, unknown> = decoded.payload;
const signature: string = decoded.signature;
const signingInput: string = decoded.signingInput;
if (typeof decoded.payload['iss'] === 'string') expectType<string>(decoded.payload['iss']);

// certificateThumbprints.
const thumbprints = certificateThumbprints(certificatePem);
const x5t: string = thumbprints.x5t;
const x5tS256: string = thumbprints['x5t#S256'];

// Errors: narrowing with isPkjwtError and instanceof, every member, exhaustive switches.
function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWT_EXPIRED':
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWT_REPLAYED':
    case 'ERR_CLIENT_UNKNOWN':
    case 'ERR_JWKS_FETCH_FAILED':
      return 401;
    case 'ERR_VERIFIER_UNAVAILABLE':
      return 500;
    case 'ERR_JWK_INVALID':
    case 'ERR_INVALID_ARGUMENT':
      return 400;
    case 'ERR_REPLAY_CACHE_FULL':
      return 503;
    case 'ERR_TOKEN_REQUEST_FAILED':
      return 502;
    case 'ERR_CRYPTO_FAILURE':
      return 500;
    case 'ERR_JWE_INVALID':
    case 'ERR_JWE_DECRYPTION_FAILED':
      return 400;
    default: {
      const _: never = code;
      return _;
    }
  }
}

function reasonText(reason: ClaimFailureReason): string {
  switch (reason) {
    case 'missing':
    case 'invalid':
    case 'mismatch':
    case 'check_failed':
      return reason;
    default: {
      const _: never = reason;
      return _;
    }
  }
}

try {
  verifyClientAssertion(token, { audience: issuer, keys: jwks, replayCache: cache });
} catch (error) {
  if (isPkjwtError(error)) {
    const code: ErrorCode = error.code;
    statusOf(code);
    const name: 'PkjwtError' = error.name;
    const message: string = error.message;
    const claim: string | undefined = error.claim;
    const reason: ClaimFailureReason | undefined = error.reason;
    if (reason !== undefined) reasonText(reason);
    const status: number | undefined = error.status;
    const oauthError: string | undefined = error.error;
    const description: string | undefined = error.errorDescription;
    const asError: Error = error;
  }
  if (error instanceof PkjwtError && error.code === 'ERR_JWT_EXPIRED') {
    expectType<'ERR_JWT_EXPIRED'>(error.code);
  }
}
if (unknownError instanceof PkjwtError) statusOf(unknownError.code);

// ---------------------------------------------------------------------------------------------
// Misuses: each must be a compile error
// ---------------------------------------------------------------------------------------------

// @ts-expect-error RSA1_5 is not a key-management algorithm pkjwt implements
generateKey('RSA1_5');
// @ts-expect-error decryptJwt needs keys
decryptJwt('a.b.c.d.e', {});
// @ts-expect-error encryptions are content-encryption names, not key-management ones
decryptJwt('a.b.c.d.e', { keys: generateKey('RSA-OAEP-256'), encryptions: ['RSA-OAEP'] });
// @ts-expect-error A192GCM is not implemented
encryptJwt('x', { key: generateKey('ECDH-ES'), enc: 'A192GCM' });
// @ts-expect-error toJwks presets are a closed list
toJwks([], { preset: 'ftn' });

// @ts-expect-error HS256 is not an algorithm pkjwt implements
generateKey('HS256');
// @ts-expect-error 'none' is never an algorithm
generateKey('none');
// @ts-expect-error ES512 is not implemented
const notAnAlg: Alg = 'ES512';
// @ts-expect-error algorithm names are case-sensitive
generateKey('es256');
// @ts-expect-error modulusLength is a number
generateKey('RS256', { modulusLength: '2048' });
// @ts-expect-error unknown option
generateKey('RS256', { bits: 2048 });

// @ts-expect-error a number is not a key
importKey(42);
// @ts-expect-error alg must be an Alg
importKey(pem, { alg: 'HS256' });
// @ts-expect-error unknown option
importKey(pem, { format: 'pem' });

// @ts-expect-error clientId is required
createClientAssertion({ audience: issuer, key: ecKey });
// @ts-expect-error audience is required
createClientAssertion({ clientId: 'client', key: ecKey });
// @ts-expect-error key is required
createClientAssertion({ clientId: 'client', audience: issuer });
// @ts-expect-error lifetime is a number of seconds, not a string
createClientAssertion({ clientId: 'client', audience: issuer, key: ecKey, lifetime: '60' });
// @ts-expect-error unknown option (a typo of lifetime)
createClientAssertion({ clientId: 'client', audience: issuer, key: ecKey, lifetme: 60 });
// @ts-expect-error exp is not an option: the lifetime is
createClientAssertion({ clientId: 'client', audience: issuer, key: ecKey, exp: 1_700_000_060 });
// @ts-expect-error wrong algorithm name
createClientAssertion({ clientId: 'client', audience: issuer, key: ecKey, alg: 'HS256' });
// @ts-expect-error one audience only, not an array
createClientAssertion({ clientId: 'client', audience: [issuer], key: ecKey });
// @ts-expect-error the key must be a Key, not a JWK
createClientAssertion({ clientId: 'client', audience: issuer, key: jwk });
// @ts-expect-error kid is a string or null
createClientAssertion({ clientId: 'client', audience: issuer, key: ecKey, kid: 7 });
// @ts-expect-error claims is an object
createClientAssertion({ clientId: 'client', audience: issuer, key: ecKey, claims: 'nonce=1' });
// @ts-expect-error createClientAssertion returns the compact JWS string
const notAnObject: { token: string } = createClientAssertion({ clientId: 'client', audience: issuer, key: ecKey });

// @ts-expect-error toJwks takes an array of Keys, not a string
toJwks('key');
// @ts-expect-error toJwks takes an array, not one Key
toJwks(ecKey);
// @ts-expect-error toJwks takes Keys, not JWKs
toJwks([jwk]);

// @ts-expect-error clientAuthParams takes the assertion string
clientAuthParams(123);
// @ts-expect-error CLIENT_ASSERTION_TYPE is the RFC 7523 literal
const wrongType: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' = CLIENT_ASSERTION_TYPE;

async function misusedTokens(): Promise<void> {
  // @ts-expect-error params must carry grant_type
  await requestToken({ tokenEndpoint: issuer, params: { scope: 'api' }, clientId: 'client', audience: issuer, key: ecKey });
  // @ts-expect-error tokenEndpoint is required
  await requestToken({ params: { grant_type: 'client_credentials' }, clientId: 'client', audience: issuer, key: ecKey });
  // @ts-expect-error params values are strings
  await requestToken({ tokenEndpoint: issuer, params: { grant_type: 'client_credentials', max: 1 }, clientId: 'client', audience: issuer, key: ecKey });
  // @ts-expect-error timeout is a number of seconds
  await requestToken({ tokenEndpoint: issuer, params: { grant_type: 'x' }, clientId: 'client', audience: issuer, key: ecKey, timeout: '10s' });
  // @ts-expect-error requestToken returns a Promise: it must be awaited
  requestToken({ tokenEndpoint: issuer, params: { grant_type: 'x' }, clientId: 'client', audience: issuer, key: ecKey }).access_token;
}

// @ts-expect-error maxEntries is a number
new ReplayCache({ maxEntries: '10' });
// @ts-expect-error size is read-only
cache.size = 3;

// @ts-expect-error audience is required
verifyClientAssertion(token, { keys: jwks });
// @ts-expect-error keys is required
verifyClientAssertion(token, { audience: issuer });
// @ts-expect-error algorithms must be Algs
verifyClientAssertion(token, { audience: issuer, keys: jwks, algorithms: ['HS256'] });
// @ts-expect-error clockTolerance is a number of seconds
verifyClientAssertion(token, { audience: issuer, keys: jwks, clockTolerance: '15' });
// @ts-expect-error keys cannot be JWKS JSON text
verifyClientAssertion(token, { audience: issuer, keys: JSON.stringify(jwks) });
// @ts-expect-error replayCache must be a ReplayCache
verifyClientAssertion(token, { audience: issuer, keys: jwks, replayCache: new Map() });
// @ts-expect-error unknown option (jose's name for it)
verifyClientAssertion(token, { audience: issuer, keys: jwks, issuer: 'client' });
// @ts-expect-error the token is a string
verifyClientAssertion({ token }, { audience: issuer, keys: jwks });
// @ts-expect-error exp is a number
const expAsString: string = verified.payload.exp;
// @ts-expect-error the header's alg is an Alg
const badHeader: JoseHeader = { alg: 'HS256' };

// @ts-expect-error decoded claims are unknown until checked
decoded.payload['iss'].toUpperCase();
// @ts-expect-error no such thumbprint
certificateThumbprints(certificatePem)['x5t#S1'];

// @ts-expect-error the constructor is private: keys come from generateKey or importKey
new Key();
// @ts-expect-error kid is read-only
ecKey.kid = 'other';
// @ts-expect-error alg may be undefined (an unbound key)
const surelyBound: Alg = ecKey.alg;
// @ts-expect-error kty includes OKP
const notOkp: 'RSA' | 'EC' = ecKey.kty;
// @ts-expect-error private is a boolean
ecKey.toJwk({ private: 'yes' });
// @ts-expect-error thumbprint is a method
const thumbprintProperty: string = ecKey.thumbprint;

try {
  generateKey('ES256');
} catch (error) {
  // @ts-expect-error a caught value is unknown until narrowed with isPkjwtError
  error.code;
  if (isPkjwtError(error)) {
    // @ts-expect-error code is a string union, not a number
    const numeric: number = error.code;
    // @ts-expect-error code is one of the ErrorCode literals
    const unknownCode: 'ERR_SOMETHING_ELSE' = error.code;
    // @ts-expect-error reason may be undefined
    const reason: ClaimFailureReason = error.reason;
    switch (error.code) {
      // @ts-expect-error not a code pkjwt produces
      case 'ERR_JWT_NOT_YET_VALID':
        break;
      default:
        break;
    }
    // @ts-expect-error code is read-only
    error.code = 'ERR_JWT_EXPIRED';
  }
}

function incompleteSwitch(code: ErrorCode): void {
  switch (code) {
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return;
    default: {
      // @ts-expect-error the other codes are not handled, so code is not never
      const _: never = code;
    }
  }
}

// ClientAssertionVerifier, ReplayStore (a ReplayCache is one), createRedisReplayStore.
declare const redisClient: { sendCommand(args: string[]): Promise<unknown> };
const storeFromCache: ReplayStore = new ReplayCache();
const redisStore: ReplayStore = createRedisReplayStore(redisClient, { prefix: 'as1:' });
const registeredClient: ClientRecord = { jwksUri: 'https://client.example/jwks', algorithm: 'ES256' };
const verifierWithAll = new ClientAssertionVerifier({
  issuer: 'https://as.example',
  audiences: ['https://as.example/token'],
  allowMultipleAudiences: false,
  algorithms: ['ES256', 'EdDSA'],
  clockTolerance: 15,
  maxLifetime: 60,
  getClient: async (id: string) => (id === 'c' ? registeredClient : undefined),
  replayStore: redisStore,
  fetch: globalThis.fetch,
  jwksCacheTtl: 600,
  jwksCooldown: 30,
  jwksTimeout: 5,
  jwksMaxBytes: 524288,
  clock: Date.now,
});
void storeFromCache;
async function useVerifier(): Promise<void> {
  const verified = await verifierWithAll.verify(token, { clientId: 'c' });
  const authenticated: string = verified.clientId;
  const verifiedKey: Key = verified.key;
  const response = verifierWithAll.errorResponse(new Error('x'));
  const status: 401 | 500 = response.status;
  const oauthError: 'invalid_client' | 'server_error' = response.body.error;
  void [authenticated, verifiedKey, status, oauthError];
  // @ts-expect-error getClient is required
  new ClientAssertionVerifier({ issuer: 'https://as.example' });
  // @ts-expect-error a ReplayStore needs setIfAbsent
  new ClientAssertionVerifier({ issuer: 'i', getClient: () => undefined, replayStore: {} });
}
void useVerifier;

function useOpenId(encKey: Key, providerJwks: { keys: JsonWebKey[] }) {
  const opened = openIdToken('a.b.c.d.e', {
    decryptionKeys: [encKey], issuer: 'https://op.example', clientId: 'c', keys: providerJwks, nonce: 'n', maxAge: 600,
    requireAuthTime: true, requireEncryption: true, algorithms: ['RS256'], keyManagementAlgorithms: ['RSA-OAEP-256'],
    encryptions: ['A256GCM'], clockTolerance: 5, now: 1,
  });
  const sub: unknown = opened.payload.sub;
  const jweHeader: Record<string, unknown> | undefined = opened.jweHeader;
  const claims: Record<string, unknown> = openUserinfo('a.b.c.d.e', {
    decryptionKeys: encKey, issuer: 'https://op.example', clientId: 'c', keys: providerJwks, subject: 's',
  });
  // @ts-expect-error openIdToken needs the issuer
  openIdToken('t', { clientId: 'c', keys: providerJwks });
  // @ts-expect-error openUserinfo needs the subject
  openUserinfo('t', { issuer: 'i', clientId: 'c', keys: providerJwks });
  void [sub, jweHeader, claims];
}
void useOpenId;

export {};
