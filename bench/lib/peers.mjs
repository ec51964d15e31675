// The peers of bench/peers.mjs: for each library, the full work of each measured operation.
//
// Every peer describes itself with the same members (a member is absent, or `na[op]` names why,
// when the library cannot do that operation):
//   algs                       the JWS algorithms it can sign and verify
//   importPrivate(pem, alg)    PEM PKCS#8 → the library's private key (sync or async)
//   importPublic(pem, alg)     PEM SPKI   → the library's public key
//   nativePrivate/nativePublic for libraries without an importer of their own: the key form they
//                              take (a node:crypto KeyObject, raw bytes), made once, untimed
//   signerFor(alg, priv)       → () => compact JWS: claims iss/sub/aud/jti/iat/exp, header
//                              alg/kid/typ, signed (a fresh jti and iat on every call)
//   verifierFor(alg, pub)      → (token) => payload: signature AND aud, iss, exp (throws otherwise)
//   keygen(kind)               → a new key pair; privateOf(pair), publicToNode(pair) to cross-check
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import * as pkjwt from 'pkjwt';
import * as jose from 'jose';
import { p256, p384 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';

const require = createRequire(import.meta.url);
const jsonwebtoken = require('jsonwebtoken');
const fastJwt = require('fast-jwt');
const jsrsasign = require('jsrsasign');

export const ALGS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
/** The key kind (and fixture) each algorithm uses. */
export const KIND_OF = { RS256: 'RSA-2048', PS256: 'RSA-2048', ES256: 'P-256', ES384: 'P-384', EdDSA: 'Ed25519' };
/** For import rows, the algorithm used to cross-check a key of each kind. */
export const ALG_OF_KIND = { 'RSA-2048': 'RS256', 'P-256': 'ES256', 'P-384': 'ES384', Ed25519: 'EdDSA' };
export const FIXTURE_OF_KIND = { 'RSA-2048': 'rsa2048', 'P-256': 'p256', 'P-384': 'p384', Ed25519: 'ed25519' };

export const CLIENT_ID = 'bench-client';
export const AUDIENCE = 'https://as.example.com';
export const KID = 'bench-kid';
export const TYP = 'client-authentication+jwt';
export const LIFETIME = 60;

const enc = new TextEncoder();
const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const b64uJson = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jti = () => crypto.randomBytes(16).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** The claims every signer puts in: what createClientAssertion makes. */
export function claims(lifetime = LIFETIME, aud = AUDIENCE) {
  const iat = now();
  return { iss: CLIENT_ID, sub: CLIENT_ID, aud, jti: jti(), iat, exp: iat + lifetime };
}
const header = (alg) => ({ alg, kid: KID, typ: TYP });

/** The claim checks of the hand-built verifiers (node:crypto, noble): aud, iss = sub, exp. */
function checkedPayload(segment) {
  const payload = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  if (payload.aud !== AUDIENCE) throw new Error('aud mismatch');
  if (payload.iss !== CLIENT_ID || payload.sub !== CLIENT_ID) throw new Error('iss/sub mismatch');
  if (typeof payload.exp !== 'number' || payload.exp <= now()) throw new Error('expired or no exp');
  return payload;
}
function splitChecked(token, alg) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a compact JWS');
  const head = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  if (head.alg !== alg) throw new Error(`alg ${head.alg} is not ${alg}`);
  return parts;
}

// ---- node:crypto: hand-built JWS with crypto.sign / crypto.verify (native OpenSSL) ----
const NODE_HASH = { RS256: 'sha256', PS256: 'sha256', ES256: 'sha256', ES384: 'sha384', EdDSA: null };
function nodeKeyOpts(alg, key) {
  if (alg === 'PS256') return { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  if (alg === 'ES256' || alg === 'ES384') return { key, dsaEncoding: 'ieee-p1363' };
  return key;
}
const node = {
  name: 'node:crypto',
  algs: new Set(ALGS),
  importPrivate: (pem) => crypto.createPrivateKey(pem),
  importPublic: (pem) => crypto.createPublicKey(pem),
  signerFor(alg, key) {
    const hash = NODE_HASH[alg];
    const opts = nodeKeyOpts(alg, key);
    return () => {
      const input = `${b64uJson(header(alg))}.${b64uJson(claims())}`;
      return `${input}.${crypto.sign(hash, Buffer.from(input), opts).toString('base64url')}`;
    };
  },
  verifierFor(alg, key) {
    const hash = NODE_HASH[alg];
    const opts = nodeKeyOpts(alg, key);
    return (token) => {
      const [h, p, s] = splitChecked(token, alg);
      if (!crypto.verify(hash, Buffer.from(`${h}.${p}`), opts, Buffer.from(s, 'base64url'))) {
        throw new Error('signature');
      }
      return checkedPayload(p);
    };
  },
  keygen(kind) {
    if (kind === 'RSA-2048') return crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    if (kind === 'P-256') return crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return crypto.generateKeyPairSync('ed25519');
  },
  privateOf: (pair) => pair.privateKey,
  publicToNode: (pair) => pair.publicKey,
};

// ---- pkjwt: createClientAssertion / verifyClientAssertion (no replay cache: nobody else has one) ----
const PKJWT_GEN_ALG = { 'RSA-2048': 'RS256', 'P-256': 'ES256', Ed25519: 'EdDSA' };
const pk = {
  name: 'pkjwt',
  algs: new Set(ALGS),
  importPrivate: (pem) => pkjwt.importKey(pem, { kid: KID }),
  importPublic: (pem) => pkjwt.importKey(pem, { kid: KID }),
  dispose: (key) => key?.free?.(),
  signerFor: (alg, key) => () => pkjwt.createClientAssertion({ clientId: CLIENT_ID, audience: AUDIENCE, key, alg, lifetime: LIFETIME }),
  verifierFor: (alg, key) => (token) => pkjwt.verifyClientAssertion(token, { audience: AUDIENCE, keys: key, clientId: CLIENT_ID, algorithms: [alg] }).payload,
  keygen: (kind) => pkjwt.generateKey(PKJWT_GEN_ALG[kind], { kid: KID }),
  privateOf: (key) => key,
  publicToNode: (key) => crypto.createPublicKey(key.publicKey().toPem()),
};

// ---- jose: SignJWT / jwtVerify with CryptoKeys imported once ----
const JOSE_GEN_ALG = { 'RSA-2048': 'RS256', 'P-256': 'ES256', Ed25519: 'EdDSA' };
const joseVerifyOpts = (alg) => ({ algorithms: [alg], audience: AUDIENCE, issuer: CLIENT_ID, subject: CLIENT_ID });
const josePeer = {
  name: 'jose',
  algs: new Set(ALGS),
  importPrivate: (pem, alg) => jose.importPKCS8(pem, alg),
  importPublic: (pem, alg) => jose.importSPKI(pem, alg),
  signerFor: (alg, key) => () => new jose.SignJWT(claims()).setProtectedHeader(header(alg)).sign(key),
  verifierFor: (alg, key) => async (token) => (await jose.jwtVerify(token, key, joseVerifyOpts(alg))).payload,
  keygen: (kind) => jose.generateKeyPair(JOSE_GEN_ALG[kind], { extractable: true }),
  privateOf: (pair) => pair.privateKey,
  publicToNode: async (pair) => crypto.createPublicKey(await jose.exportSPKI(pair.publicKey)),
};

// ---- jsonwebtoken: sign / verify with node:crypto KeyObjects (it has no importer or generator of its own) ----
const jwtPeer = {
  name: 'jsonwebtoken',
  algs: new Set(['RS256', 'PS256', 'ES256', 'ES384']),
  na: {
    EdDSA: 'jsonwebtoken 9 does not implement EdDSA',
    import: 'no importer: takes node:crypto KeyObjects / PEM (= node:crypto)',
    keygen: 'no key generation',
  },
  nativePrivate: (pem) => crypto.createPrivateKey(pem),
  nativePublic: (pem) => crypto.createPublicKey(pem),
  signerFor: (alg, key) => () => jsonwebtoken.sign(claims(), key, { algorithm: alg, keyid: KID, header: { alg, kid: KID, typ: TYP } }),
  verifierFor: (alg, key) => (token) => jsonwebtoken.verify(token, key, { algorithms: [alg], audience: AUDIENCE, issuer: CLIENT_ID, subject: CLIENT_ID }),
};

// ---- fast-jwt: createSigner / createVerifier (verifier cache off: every call does the work) ----
const fastPeer = {
  name: 'fast-jwt',
  algs: new Set(ALGS),
  na: {
    import: 'no importer: createSigner/createVerifier call node:crypto createPrivateKey/createPublicKey once',
    keygen: 'no key generation',
  },
  // fast-jwt takes the PEM text and turns it into a KeyObject once, in createSigner / createVerifier.
  nativePrivate: (pem) => pem,
  nativePublic: (pem) => pem,
  signerFor(alg, key) {
    const sign = fastJwt.createSigner({ key, algorithm: alg, kid: KID, header: { typ: TYP } });
    return () => sign(claims());
  },
  verifierFor(alg, key) {
    const verify = fastJwt.createVerifier({
      key, algorithms: [alg], allowedAud: AUDIENCE, allowedIss: CLIENT_ID, allowedSub: CLIENT_ID, requiredClaims: ['exp'], cache: false,
    });
    return (token) => verify(token);
  },
};

// ---- jsrsasign: KJUR.jws.JWS.sign / verifyJWT, KEYUTIL (pure JavaScript big integers) ----
const { KJUR, KEYUTIL } = jsrsasign;
const jsrsaPeer = {
  name: 'jsrsasign',
  algs: new Set(['RS256', 'PS256', 'ES256', 'ES384']),
  na: { EdDSA: 'jsrsasign 11 has no Ed25519', 'keygen:Ed25519': 'jsrsasign 11 has no Ed25519', 'import:Ed25519': 'jsrsasign 11 has no Ed25519' },
  importPrivate: (pem) => KEYUTIL.getKey(pem),
  importPublic: (pem) => KEYUTIL.getKey(pem),
  signerFor: (alg, key) => () => KJUR.jws.JWS.sign(alg, header(alg), claims(), key),
  verifierFor: (alg, key) => (token) => {
    // verifyJWT checks exp against now when the token has one (and nbf/iat); iss, sub, aud when asked.
    if (!KJUR.jws.JWS.verifyJWT(token, key, { alg: [alg], iss: [CLIENT_ID], sub: [CLIENT_ID], aud: [AUDIENCE] })) {
      throw new Error('jsrsasign verifyJWT returned false');
    }
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
  },
  keygen(kind) {
    if (kind === 'RSA-2048') return KEYUTIL.generateKeypair('RSA', 2048);
    if (kind === 'P-256') return KEYUTIL.generateKeypair('EC', 'secp256r1');
    throw new Error('unsupported');
  },
  privateOf: (pair) => pair.prvKeyObj,
  publicToNode: (pair) => crypto.createPublicKey(KEYUTIL.getPEM(pair.pubKeyObj)),
};

// ---- @noble/curves: raw signatures over the JWS signing input, hand-built JWS (v2 API: prehash by default) ----
const NOBLE = { ES256: p256, ES384: p384, EdDSA: ed25519 };
const CRV = { ES256: 'P-256', ES384: 'P-384', EdDSA: 'Ed25519' };
function rawPrivate(pem) {
  const jwk = crypto.createPrivateKey(pem).export({ format: 'jwk' });
  return Buffer.from(jwk.d, 'base64url');
}
function rawPublic(pem) {
  const jwk = crypto.createPublicKey(pem).export({ format: 'jwk' });
  if (jwk.kty === 'OKP') return Buffer.from(jwk.x, 'base64url');
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}
const noblePeer = {
  name: '@noble/curves',
  algs: new Set(['ES256', 'ES384', 'EdDSA']),
  na: {
    RS256: 'no RSA in @noble/curves', PS256: 'no RSA in @noble/curves', 'keygen:RSA-2048': 'no RSA in @noble/curves',
    import: 'no PEM/DER parser: takes raw key bytes',
  },
  nativePrivate: (pem) => rawPrivate(pem),
  nativePublic: (pem) => rawPublic(pem),
  signerFor(alg, secretKey) {
    const curve = NOBLE[alg];
    return () => {
      const input = `${b64uJson(header(alg))}.${b64uJson(claims())}`;
      return `${input}.${b64u(curve.sign(enc.encode(input), secretKey))}`;
    };
  },
  verifierFor(alg, publicKey) {
    const curve = NOBLE[alg];
    // ECDSA: accept high-S signatures too (JWS does not require low S; OpenSSL makes either).
    const opts = alg === 'EdDSA' ? undefined : { lowS: false };
    return (token) => {
      const [h, p, s] = splitChecked(token, alg);
      if (!curve.verify(Buffer.from(s, 'base64url'), enc.encode(`${h}.${p}`), publicKey, opts)) throw new Error('signature');
      return checkedPayload(p);
    };
  },
  keygen(kind) {
    if (kind === 'P-256') return { alg: 'ES256', ...p256.keygen() };
    if (kind === 'Ed25519') return { alg: 'EdDSA', ...ed25519.keygen() };
    throw new Error('unsupported');
  },
  privateOf: (pair) => pair.secretKey,
  publicToNode(pair) {
    const pub = pair.publicKey;
    if (pair.alg === 'EdDSA') return crypto.createPublicKey({ format: 'jwk', key: { kty: 'OKP', crv: 'Ed25519', x: b64u(pub) } });
    const point = p256.Point.fromBytes(pub).toBytes(false);
    return crypto.createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: CRV[pair.alg], x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) } });
  },
};

/** The peers, node:crypto (the reference) first. */
export const PEERS = [node, pk, josePeer, jwtPeer, fastPeer, jsrsaPeer, noblePeer];
export const REFERENCE = node;

/** Why `peer` cannot do `op` (sign|verify|import|keygen) for `what` (an alg or key kind); null when it can. */
export function whyNot(peer, op, what) {
  const na = peer.na ?? {};
  if (op === 'sign' || op === 'verify') return peer.algs.has(what) ? null : (na[what] ?? 'not supported');
  if (na[`${op}:${what}`]) return na[`${op}:${what}`];
  if (op === 'import') return peer.importPrivate ? null : (na.import ?? 'not supported');
  if (op === 'keygen') return peer.keygen ? null : (na.keygen ?? 'not supported');
  return null;
}
