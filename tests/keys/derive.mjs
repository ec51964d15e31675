// Derives the JSON fixtures in tests/keys/ from the PEM files, with node:crypto only.
// Run by regenerate.sh (node >= 20).  Writes:
//   thumbprints.json          { "<name>.spki.pem": "<RFC 7638 SHA-256 thumbprint, base64url>" }
//   jwk/<name>.pub.json       createPublicKey(spki pem).export({ format: 'jwk' })
//   jwk/<name>.priv.json      createPrivateKey(pkcs8 pem).export({ format: 'jwk' })   (rsa2048, p256, p384, ed25519)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
process.chdir(dir);

// RFC 7638 section 3.2: only the required members, in lexicographic order, no whitespace.
const REQUIRED = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] };
function thumbprint(jwk) {
  const members = REQUIRED[jwk.kty];
  if (!members) throw new Error(`no RFC 7638 member list for kty ${jwk.kty}`);
  const canonical = '{' + members.map((k) => `${JSON.stringify(k)}:${JSON.stringify(jwk[k])}`).join(',') + '}';
  return crypto.createHash('sha256').update(canonical, 'utf8').digest('base64url');
}
const write = (file, value) => fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');

fs.mkdirSync('jwk', { recursive: true });
const thumbprints = {};
for (const spki of fs.readdirSync('.').filter((f) => f.endsWith('.spki.pem')).sort()) {
  const name = spki.slice(0, -'.spki.pem'.length);
  const pubJwk = crypto.createPublicKey(fs.readFileSync(spki)).export({ format: 'jwk' });
  // Sanity: the SPKI file is the public half of <name>.pkcs8.pem.
  const fromPriv = crypto.createPublicKey(crypto.createPrivateKey(fs.readFileSync(`${name}.pkcs8.pem`))).export({ format: 'jwk' });
  if (JSON.stringify(fromPriv) !== JSON.stringify(pubJwk)) throw new Error(`${spki} is not the public half of ${name}.pkcs8.pem`);
  thumbprints[spki] = thumbprint(pubJwk);
  write(path.join('jwk', `${name}.pub.json`), pubJwk);
}
write('thumbprints.json', thumbprints);

for (const name of ['rsa2048', 'p256', 'p384', 'ed25519']) {
  const privJwk = crypto.createPrivateKey(fs.readFileSync(`${name}.pkcs8.pem`)).export({ format: 'jwk' });
  write(path.join('jwk', `${name}.priv.json`), privJwk);
}

// Self-check against the published RFC 7638 section 3.1 example, so a broken canonicalisation cannot go unnoticed.
const rfc = JSON.parse(fs.readFileSync(path.join('..', 'vectors', 'rfc7638-3.1-thumbprint.json'), 'utf8'));
if (thumbprint(rfc.jwk) !== rfc.thumbprint_sha256) throw new Error('RFC 7638 self-check failed');
console.log(`derive.mjs: ${Object.keys(thumbprints).length} thumbprints (RFC 7638 self-check ok)`);
