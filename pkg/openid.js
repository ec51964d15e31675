// openIdToken and openUserinfo: what a relying party does with an OpenID Provider's answers when
// they may come encrypted (FTN and other high-assurance profiles): decrypt the compact JWE with
// the relying party's own `use: "enc"` keys (decryptJwt), then verify the nested signed JWT with
// the provider's keys (verifyIdToken / verifyUserinfo).
//
// Decisions:
// - Encryption is required whenever decryptionKeys are given, unless requireEncryption: false.
//   A signed-but-unencrypted answer is then refused with ERR_JWE_INVALID: a provider that was
//   registered to encrypt and suddenly does not is a downgrade, not a variant.
// - An encrypted answer without decryptionKeys is ERR_INVALID_ARGUMENT (the caller forgot them).
// - The JWE's cty, when present, must be JWT (OIDC Core §5.3.2, RFC 7519 §5.2); the plaintext must
//   be a compact JWS. A JWE inside a JWE is refused.
// - `algorithms` are the signature algorithms of the inner JWT (as for verifyIdToken);
//   `keyManagementAlgorithms` and `encryptions` narrow decryptJwt's alg and enc.
// - This module touches nothing of api.js at evaluation time: api.js re-exports it, so the two
//   form an import cycle that is safe only because every use here is inside a function.
import * as api from './api.js';
import { PkjwtError, invalid } from './errors.js';

const ID_TOKEN_OPTIONS = ['decryptionKeys', 'issuer', 'clientId', 'keys', 'nonce', 'maxAge', 'requireAuthTime',
  'requireEncryption', 'algorithms', 'keyManagementAlgorithms', 'encryptions', 'clockTolerance', 'now'];
const USERINFO_OPTIONS = ['decryptionKeys', 'issuer', 'clientId', 'keys', 'subject', 'requireEncryption', 'algorithms',
  'keyManagementAlgorithms', 'encryptions', 'clockTolerance', 'now'];

function requireOptions(opts, where, known) {
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw invalid(`${where} takes an options object`);
  for (const name of Object.keys(opts)) {
    if (!known.includes(name)) throw invalid(`${where}: unknown option ${JSON.stringify(name)}`);
  }
}

function definedOnly(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, value]) => value !== undefined));
}

function segments(token) {
  let count = 1;
  for (const char of token) if (char === '.') count += 1;
  return count;
}

/**
 * The compact JWS inside `token`: decrypted when it is a JWE, refused when it is not but
 * encryption is required. Returns { jws, jweHeader } (jweHeader undefined when not encrypted).
 */
function unwrap(token, what, { decryptionKeys, requireEncryption, keyManagementAlgorithms, encryptions }) {
  if (typeof token !== 'string') throw invalid(`${what} must be a string`);
  const compact = token.trim();
  const parts = segments(compact);
  const mustDecrypt = requireEncryption ?? decryptionKeys !== undefined;
  if (typeof mustDecrypt !== 'boolean') throw invalid('requireEncryption must be a boolean');
  if (parts === 3) {
    if (mustDecrypt) {
      throw new PkjwtError(`${what} is signed but not encrypted, and encryption is required`, 'ERR_JWE_INVALID');
    }
    return { jws: compact, jweHeader: undefined };
  }
  if (parts !== 5) throw new PkjwtError(`${what} is neither a compact JWE nor a compact JWS`, 'ERR_JWE_INVALID');
  if (decryptionKeys === undefined) throw invalid(`${what} is encrypted: pass decryptionKeys (your use "enc" keys)`);
  const { header, text } = api.decryptJwt(compact, definedOnly({
    keys: decryptionKeys, algorithms: keyManagementAlgorithms, encryptions,
  }));
  if (header.cty !== undefined && (typeof header.cty !== 'string' || header.cty.toUpperCase() !== 'JWT')) {
    throw new PkjwtError(`the JWE around ${what} has cty ${JSON.stringify(header.cty)}, not JWT`, 'ERR_JWE_INVALID');
  }
  if (typeof text !== 'string' || segments(text) !== 3) {
    throw new PkjwtError(`the JWE around ${what} does not hold a compact JWS`, 'ERR_JWE_INVALID');
  }
  return { jws: text, jweHeader: header };
}

/**
 * Opens an ID token from a token response: decrypts it with `decryptionKeys` when it is a JWE
 * (required when decryptionKeys are given), then verifies the signed ID token with the
 * provider's `keys` (OIDC Core §3.1.3.7). Returns { header, payload, jweHeader }.
 * @example const { payload } = openIdToken(tokens.id_token, { decryptionKeys: [encKey], issuer, clientId, keys: providerJwks, nonce });
 */
export function openIdToken(idToken, opts) {
  requireOptions(opts, 'openIdToken', ID_TOKEN_OPTIONS);
  const { decryptionKeys, requireEncryption, keyManagementAlgorithms, encryptions, ...verifyOptions } = opts;
  const { jws, jweHeader } = unwrap(idToken, 'the ID token', { decryptionKeys, requireEncryption, keyManagementAlgorithms, encryptions });
  const { header, payload } = api.verifyIdToken(jws, definedOnly(verifyOptions));
  return { header, payload, jweHeader };
}

/**
 * Opens a userinfo response sent as a JWT (content type application/jwt): decrypts it when it is
 * a JWE (required when decryptionKeys are given), then verifies the signed userinfo with the
 * provider's `keys`; `subject` is the ID token's sub. Returns the claims.
 * @example const claims = openUserinfo(await response.text(), { decryptionKeys: [encKey], issuer, clientId, keys: providerJwks, subject });
 */
export function openUserinfo(body, opts) {
  requireOptions(opts, 'openUserinfo', USERINFO_OPTIONS);
  const { decryptionKeys, requireEncryption, keyManagementAlgorithms, encryptions, ...verifyOptions } = opts;
  const { jws } = unwrap(body, 'the userinfo response', { decryptionKeys, requireEncryption, keyManagementAlgorithms, encryptions });
  return api.verifyUserinfo(jws, definedOnly(verifyOptions));
}
