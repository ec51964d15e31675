// node:crypto as an independent peer: verifies pkjwt's JWS signatures with OpenSSL.
import crypto from 'node:crypto';
import { splitJws } from './assert.mjs';

const HASH = {
  RS256: 'sha256', RS384: 'sha384', RS512: 'sha512',
  PS256: 'sha256', PS384: 'sha384', PS512: 'sha512',
  ES256: 'sha256', ES384: 'sha384',
  EdDSA: null, Ed25519: null,
};
const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 };

/**
 * Verifies the signature of compact JWS `token` with node:crypto: RSASSA-PKCS1-v1_5, RSASSA-PSS
 * (MGF1 with the same hash, salt length = hash length, as RFC 7518 §3.5 fixes it), ECDSA in the
 * JWS (IEEE P1363, r||s) form, or Ed25519.
 */
export function nodeVerify(token, publicKey, alg) {
  if (!(alg in HASH)) throw new Error(`no node:crypto mapping for ${alg}`);
  const { signingInput, signature } = splitJws(token);
  const hash = HASH[alg];
  let key = publicKey;
  if (alg.startsWith('PS')) {
    key = { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[hash] };
  } else if (alg.startsWith('ES')) {
    key = { key: publicKey, dsaEncoding: 'ieee-p1363' };
  }
  return crypto.verify(hash, signingInput, key, signature);
}

/** A Buffer holding `bytes` at a non-zero byteOffset of a larger ArrayBuffer. */
export function offsetView(bytes) {
  const padded = Buffer.alloc(bytes.length + 13, 0xa5);
  Buffer.from(bytes).copy(padded, 7);
  return padded.subarray(7, 7 + bytes.length);
}

/** A fresh ArrayBuffer with exactly `bytes`. */
export function exactArrayBuffer(bytes) {
  const view = Uint8Array.from(bytes);
  return view.buffer;
}
