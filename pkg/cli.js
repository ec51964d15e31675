#!/usr/bin/env node
// The pkjwt command line: keygen, jwks, thumbprint, sign, inspect, verify, token. It runs on the
// same wasm core as the library (./node.js) and has no dependencies (node:util parseArgs).
// Conventions: `--help` on every command, `-` reads stdin, `--json` for scripts, errors on stderr
// as "pkjwt: ERR_CODE: message" (no stack trace), colour only on a TTY and never with NO_COLOR.
// Exit codes: 0 ok, 1 invalid token / failed check / refused token request, 2 usage or bad input,
// 3 I/O (file exists, unreadable, unwritable, JWKS URL unreachable), 4 internal error.
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as pk from './node.js';

const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519'];
/** JWE key-management algorithms of encryption keys (keygen --use enc, jwks, decrypt). */
const ENC_ALGS = ['RSA-OAEP-256', 'RSA-OAEP', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'];
const ENCS = ['A128CBC-HS256', 'A256CBC-HS512', 'A128GCM', 'A256GCM'];
const PRESETS = ['idura-ftn', 'entra', 'okta'];
const MAX_TOKEN = 16 * 1024;
const MAX_JWKS_BYTES = 1024 * 1024;
const EXIT = { ok: 0, invalid: 1, usage: 2, io: 3, internal: 4 };

class CliError extends Error {
  constructor(code, message, exit, details = {}) {
    super(message);
    this.code = code;
    this.exit = exit;
    Object.assign(this, details);
  }
}
const usage = (message) => new CliError('ERR_INVALID_ARGUMENT', message, EXIT.usage, { usage: true });
const ioError = (message) => new CliError('ERR_IO', message, EXIT.io);

// ---------------------------------------------------------------------------------------------
// Output: colour only when stdout (or stderr) is a TTY, NO_COLOR is unset or empty, and not --json.

const noColorEnv = () => typeof process.env.NO_COLOR === 'string' && process.env.NO_COLOR !== '';
const style = (enabled) => {
  const wrap = (open, close) => (text) => (enabled ? `\x1b[${open}m${text}\x1b[${close}m` : String(text));
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
};

function out(text = '') {
  process.stdout.write(`${text}\n`);
}

function warn(ctx, text) {
  const s = style(Boolean(process.stderr.isTTY) && !noColorEnv() && !ctx.json);
  process.stderr.write(`${s.yellow('pkjwt: warning:')} ${text}\n`);
}

function note(ctx, text) {
  if (!ctx.json) process.stderr.write(`pkjwt: ${text}\n`);
}

const pretty = (value) => JSON.stringify(value, null, 2);

// ---------------------------------------------------------------------------------------------
// Input helpers.

let stdinUsed = false;
function readStdin(what) {
  if (stdinUsed) throw usage(`only one input can be read from stdin ("-"), but ${what} asks for it too`);
  stdinUsed = true;
  try {
    return fs.readFileSync(0);
  } catch (error) {
    throw ioError(`cannot read ${what} from stdin: ${error.message}`);
  }
}

/** The bytes of a file, or of stdin for "-". */
function readBytes(file, what) {
  if (file === '-') return readStdin(what);
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw ioError(`${what} ${file} is a directory`);
    if (stat.size > 4 * 1024 * 1024) throw ioError(`${what} ${file} is larger than 4 MiB`);
    return fs.readFileSync(file);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw ioError(`cannot read ${what} ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
}

const isText = (bytes) => bytes.length > 0 && !bytes.subarray(0, 512).some((b) => b === 0 || (b < 9) || (b > 13 && b < 32 && b !== 27));

/** PEM text, JWK JSON text, or DER bytes, as importKey takes them. */
function keyInput(bytes) {
  return isText(bytes) ? bytes.toString('utf8') : new Uint8Array(bytes);
}

/** The token argument: the compact JWS itself, or "-" for stdin. */
function readToken(arg) {
  if (arg === undefined) throw usage('a TOKEN argument (or - for stdin) is required');
  const text = arg === '-' ? readStdin('the token').toString('utf8') : arg;
  const token = text.trim();
  if (token === '') throw usage('the token is empty');
  return token;
}

/** Keys of a file that may hold a JWK Set, a JWK, a PEM key or certificate, or DER. */
function loadKeys(file, opts = {}, what = 'key') {
  return keysFromBytes(readBytes(file, what), file, opts, what);
}

function keysFromBytes(bytes, file, opts, what) {
  const input = keyInput(bytes);
  const where = `${what} ${file === '-' ? '(stdin)' : file}`;
  if (typeof input === 'string' && input.trimStart().startsWith('{')) {
    let json;
    try { json = JSON.parse(input); } catch { json = undefined; }
    if (json && Array.isArray(json.keys)) {
      return json.keys.map((jwk, i) => {
        try {
          return pk.importKey(jwk, clean(opts));
        } catch (error) {
          throw rethrowInput(error, `${where} (keys[${i}])`);
        }
      });
    }
  }
  try {
    return [pk.importKey(input, clean(opts))];
  } catch (error) {
    throw rethrowInput(error, where);
  }
}

function rethrowInput(error, where) {
  if (pk.isPkjwtError(error)) return new CliError(error.code, `${where}: ${error.message}`, exitFor(error.code));
  return error;
}

function clean(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function readCertificate(file) {
  const bytes = readBytes(file, 'certificate');
  let pem = bytes.toString('utf8');
  if (!isText(bytes)) pem = derToPem(bytes, 'CERTIFICATE');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw usage(`${file} is not a PEM certificate (BEGIN CERTIFICATE)`);
  try {
    pk.certificateThumbprints(pem);
  } catch (error) {
    throw rethrowInput(error, `certificate ${file}`);
  }
  return pem;
}

function derToPem(bytes, label) {
  const b64 = Buffer.from(bytes).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function intOption(values, name, { min, max } = {}) {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw usage(`--${name} must be an integer, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    throw usage(`--${name} must be between ${min} and ${max}, got ${n}`);
  }
  return n;
}

function algOption(value, name = 'alg') {
  if (value === undefined) return undefined;
  if (!ALGS.includes(value)) throw usage(`--${name} must be one of ${ALGS.join(', ')}; got ${JSON.stringify(value)}`);
  return value;
}

/** A signature or (for encryption keys) a JWE key-management algorithm. */
function keyAlgOption(value, name = 'alg') {
  if (value === undefined || ALGS.includes(value) || ENC_ALGS.includes(value)) return value;
  throw usage(`--${name} must be one of ${ALGS.join(', ')} (signing) or ${ENC_ALGS.join(', ')} (encryption); got ${JSON.stringify(value)}`);
}

/** --use sig|enc and the matching --alg. */
function useAndAlg(values) {
  const use = values.use ?? 'sig';
  if (use !== 'sig' && use !== 'enc') throw usage(`--use must be sig or enc; got ${JSON.stringify(use)}`);
  const list = use === 'enc' ? ENC_ALGS : ALGS;
  const alg = requireOption(values, 'alg', list.join(', '));
  if (!list.includes(alg)) {
    const other = use === 'enc' ? ALGS : ENC_ALGS;
    const hint = other.includes(alg) ? ` (${alg} is a${use === 'enc' ? ' signing' : 'n encryption'} algorithm: ${use === 'enc' ? 'drop --use enc' : 'add --use enc'})` : '';
    throw usage(`--alg with --use ${use} must be one of ${list.join(', ')}; got ${JSON.stringify(alg)}${hint}`);
  }
  return { use, alg };
}

/** --claim k=v (string) and k:=JSON (any JSON value). */
function parseClaims(list = []) {
  const claims = {};
  for (const item of list) {
    const json = /^([^=:]+):=(.*)$/s.exec(item);
    const plain = /^([^=]+)=(.*)$/s.exec(item);
    if (json) {
      try {
        claims[json[1]] = JSON.parse(json[2]);
      } catch {
        throw usage(`--claim ${item}: the value after := must be JSON`);
      }
    } else if (plain) {
      claims[plain[1]] = plain[2];
    } else {
      throw usage(`--claim takes name=value or name:=JSON, got ${JSON.stringify(item)}`);
    }
  }
  return claims;
}

function parseParams(list = []) {
  const params = {};
  for (const item of list) {
    const m = /^([^=]+)=(.*)$/s.exec(item);
    if (!m) throw usage(`--param takes name=value, got ${JSON.stringify(item)}`);
    params[m[1]] = m[2];
  }
  return params;
}

function requireOption(values, name, hint = '') {
  if (values[name] === undefined || values[name] === '') throw usage(`--${name} is required${hint ? ` (${hint})` : ''}`);
  return values[name];
}

// ---------------------------------------------------------------------------------------------
// Human-readable times.

function humanTime(epoch, now) {
  if (typeof epoch !== 'number' || !Number.isFinite(epoch)) return undefined;
  const date = new Date(epoch * 1000);
  const iso = Number.isNaN(date.getTime()) ? 'out of range' : date.toISOString().replace('.000Z', 'Z');
  const delta = epoch - now;
  return { epoch, iso, relative: relative(delta) };
}

function relative(delta) {
  const abs = Math.abs(delta);
  let text;
  if (abs < 120) text = `${abs} s`;
  else if (abs < 7200) text = `${Math.round(abs / 60)} min`;
  else if (abs < 172800) text = `${Math.round(abs / 3600)} h`;
  else text = `${Math.round(abs / 86400)} days`;
  if (delta === 0) return 'now';
  return delta > 0 ? `in ${text}` : `${text} ago`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------------------------------------
// Assertion options shared by `sign` and `token`, with the provider presets.

const ASSERTION_FLAGS = {
  key: { type: 'string', short: 'k' },
  'client-id': { type: 'string' },
  aud: { type: 'string' },
  lifetime: { type: 'string' },
  preset: { type: 'string' },
  cert: { type: 'string' },
  alg: { type: 'string' },
  kid: { type: 'string' },
  'no-kid': { type: 'boolean' },
  typ: { type: 'string' },
  'no-typ': { type: 'boolean' },
  x5t: { type: 'boolean' },
  claim: { type: 'string', multiple: true },
  jti: { type: 'string' },
  now: { type: 'string' },
};

const ASSERTION_HELP = `
  -k, --key FILE          the private key: PEM (PKCS#8, PKCS#1, SEC1), JWK JSON or DER; - for stdin
      --client-id ID      the client id: iss and sub
      --aud URL           the one aud value: the authorization server's issuer identifier (or the
                          token endpoint when the provider insists, e.g. Entra, Okta, OP ISB)
      --lifetime SECONDS  exp - iat, 1..3600 (default 60)
      --preset NAME       idura-ftn | entra | okta (see below)
      --alg ALG           ${ALGS.join(' ')}; default: the key's (a PEM file holds no alg,
                          so RSA keys sign RS256 unless told; EC by curve; Ed25519 EdDSA)
      --kid ID            the kid header (default: the key's kid; for a PEM, its RFC 7638 thumbprint)
      --no-kid            omit kid
      --typ TYP           the typ header (default client-authentication+jwt)
      --no-typ            omit typ
      --cert FILE         the key's X.509 certificate (PEM): adds the x5t#S256 header
      --x5t               with --cert, also add the legacy SHA-1 x5t header
      --claim NAME=VALUE  an extra string claim; NAME:=JSON for any JSON value (repeatable);
                          iss, sub, aud, exp, iat and jti cannot be overridden
      --jti ID            a fixed jti (default: 128 random bits; for tests only)
      --now EPOCH         pretend the time is EPOCH seconds (for tests only)`;

const PRESET_HELP = `Presets (each can be refined by the explicit flags, except where it requires something):
  idura-ftn  Idura / Finnish Trust Network: RS256 and an RSA key (required), kid and jti kept,
             aud = the --aud you give, which must be your Idura domain (the issuer,
             https://<tenant>.idura.broker).
  entra      Microsoft Entra ID: PS256 and an RSA key, x5t#S256 from --cert (required), no typ,
             no kid (Entra finds the key by thumbprint). aud must be the tenant's v2.0 token
             endpoint https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token.
  okta       Okta (also OP Identity Service Broker): kid kept, aud = the token endpoint URL
             (a warning is printed when aud does not end in /token).`;

function assertionOptions(values, ctx, { audDefault } = {}) {
  const preset = values.preset;
  if (preset !== undefined && !PRESETS.includes(preset)) throw usage(`--preset must be one of ${PRESETS.join(', ')}; got ${JSON.stringify(preset)}`);
  const clientId = requireOption(values, 'client-id');
  const audience = values.aud ?? audDefault;
  if (audience === undefined || audience === '') throw usage('--aud is required (the authorization server\'s issuer identifier)');
  let alg = algOption(values.alg);
  if (values.kid !== undefined && values['no-kid']) throw usage('--kid and --no-kid exclude each other');
  if (values.typ !== undefined && values['no-typ']) throw usage('--typ and --no-typ exclude each other');
  if (values.x5t && values.cert === undefined) throw usage('--x5t needs --cert');
  const lifetime = intOption(values, 'lifetime', { min: 1, max: 3600 });
  const now = intOption(values, 'now', { min: 0, max: 253402300799 });
  const claims = parseClaims(values.claim);
  let kid = values['no-kid'] ? null : values.kid;
  let typ = values['no-typ'] ? null : values.typ;

  if (preset === 'idura-ftn') {
    if (alg !== undefined && alg !== 'RS256') throw usage('--preset idura-ftn signs RS256 only; drop --alg or use RS256');
    alg = 'RS256';
    if (kid === null) throw usage('--preset idura-ftn requires the kid header; drop --no-kid');
    if (values.jti === '') throw usage('--preset idura-ftn requires a jti');
  } else if (preset === 'entra') {
    if (values.cert === undefined) throw usage('--preset entra requires --cert (the certificate registered with Entra: its x5t#S256 identifies the key)');
    alg ??= 'PS256';
    if (!/^[RP]S/.test(alg)) throw usage('--preset entra needs an RSA algorithm (PS256 by default)');
    if (values.typ === undefined) typ = null;
    if (values.kid === undefined) kid = null;
  } else if (preset === 'okta') {
    if (kid === null) throw usage('--preset okta keeps the kid header; drop --no-kid');
    if (!/\/token\/?$/.test(audience)) warn(ctx, `--preset okta: aud ${JSON.stringify(audience)} does not end in /token; Okta expects the full token endpoint URL`);
  }

  const keyFile = requireOption(values, 'key');
  const input = keyInput(readBytes(keyFile, 'key'));
  const where = `key ${keyFile === '-' ? '(stdin)' : keyFile}`;
  let key;
  try {
    key = pk.importKey(input);
  } catch (error) {
    throw rethrowInput(error, where);
  }
  if (!key.isPrivate) throw usage(`${where} is a public key; signing needs the private key`);
  if ((preset === 'idura-ftn' || preset === 'entra') && key.kty !== 'RSA') {
    throw usage(`--preset ${preset} requires an RSA key; ${keyFile} is ${key.kty}`);
  }
  if (alg !== undefined) {
    key.free();
    try {
      key = pk.importKey(input, { alg });
    } catch (error) {
      throw rethrowInput(error, where);
    }
  }
  const certificate = values.cert === undefined ? undefined : readCertificate(values.cert);
  return clean({
    clientId, audience, key, alg, lifetime, kid, typ, certificate, x5t: values.x5t || undefined,
    jti: values.jti, now, claims: Object.keys(claims).length ? claims : undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// Check lists.

const CHECKS = [
  ['form', 'compact JWS form, size, JSON'],
  ['alg', 'alg allowed'],
  ['key', 'key found for kid/alg'],
  ['signature', 'signature'],
  ['typ', 'typ header'],
  ['iss/sub', 'iss = sub (= client id)'],
  ['aud', 'aud: a single accepted value'],
  ['exp/nbf/iat', 'exp, nbf, iat in time'],
  ['lifetime', 'lifetime within the maximum'],
  ['jti', 'jti present'],
];

/** Which check of CHECKS a verifyClientAssertion error belongs to (the first that failed). */
function failingCheck(error, token, allowedAlgs) {
  let header;
  try { header = pk.decodeJwt(token).header; } catch { header = undefined; }
  switch (error.code) {
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'form';
    case 'ERR_JOSE_NOT_SUPPORTED':
      return header && ('crit' in header || 'b64' in header) ? 'form' : 'alg';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return header && allowedAlgs.includes(header.alg) ? 'key' : 'alg';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'key';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'signature';
    case 'ERR_JWT_EXPIRED':
      return 'exp/nbf/iat';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (error.claim === 'typ') return 'typ';
      if (error.claim === 'iss' || error.claim === 'sub') return 'iss/sub';
      if (error.claim === 'aud') return 'aud';
      if (error.claim === 'jti') return 'jti';
      if (error.claim === 'exp' && /lifetime/.test(error.message)) return 'lifetime';
      return 'exp/nbf/iat';
    default:
      return undefined;
  }
}

function checkList(failed, error) {
  let reached = true;
  return CHECKS.map(([name, label]) => {
    if (!reached) return { check: name, label, status: 'not reached' };
    if (name === failed) {
      reached = false;
      return clean({ check: name, label, status: 'failed', code: error.code, message: error.message, claim: error.claim, reason: error.reason });
    }
    return { check: name, label, status: 'passed' };
  });
}

/** Details for the checks that passed, from the decoded token. */
function annotate(checks, token, now, kid) {
  let decoded;
  try { decoded = pk.decodeJwt(token); } catch { return checks; }
  const { header, payload } = decoded;
  const aud = Array.isArray(payload.aud) ? payload.aud.join(', ') : payload.aud;
  const details = {
    alg: `alg ${header.alg}`,
    key: kid !== undefined ? `key ${kid}` : header.kid !== undefined ? `kid ${header.kid}` : undefined,
    typ: header.typ === undefined ? 'no typ header' : `typ ${header.typ}`,
    'iss/sub': `client ${payload.iss}`,
    aud: `aud ${aud}`,
    'exp/nbf/iat': typeof payload.exp === 'number' ? `expires ${relative(payload.exp - now)}` : undefined,
    lifetime: typeof payload.exp === 'number' && typeof payload.iat === 'number' ? `lifetime ${payload.exp - payload.iat} s` : undefined,
    jti: payload.jti === undefined ? 'no jti (not required)' : `jti ${payload.jti}`,
  };
  return checks.map((c) => (c.status === 'passed' && details[c.check] !== undefined ? { ...c, message: details[c.check] } : c));
}

function printChecks(checks, s) {
  const width = Math.max(...checks.map((c) => c.check.length));
  for (const c of checks) {
    const mark = {
      passed: s.green('pass'), failed: s.red('FAIL'), 'not reached': s.dim('----'), 'not checked': s.dim('skip'), warning: s.yellow('warn'),
    }[c.status];
    const detail = c.status === 'failed' ? `${c.code}: ${c.message}` : c.status === 'passed' || c.status === 'warning' ? (c.message ?? c.label) : `${c.status}${c.message ? `: ${c.message}` : ''}`;
    out(`  ${mark}  ${c.check.padEnd(width)}  ${c.status === 'failed' ? s.red(detail) : detail}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Commands.

const COMMON_HELP = `
      --json              machine-readable output on stdout (errors as JSON on stderr)
  -h, --help              this help`;

const COMMANDS = {};

COMMANDS.keygen = {
  summary: 'generate a private key (0600 PEM file) and print the JWKS to register',
  options: {
    alg: { type: 'string', short: 'a' },
    use: { type: 'string' },
    bits: { type: 'string' },
    kid: { type: 'string' },
    out: { type: 'string', short: 'o' },
    jwks: { type: 'string' },
    force: { type: 'boolean', short: 'f' },
  },
  help: `Usage: pkjwt keygen --alg ALG --out FILE [--use sig|enc] [--bits N] [--kid ID] [--jwks FILE] [--force]

Generates a private key, writes it as PKCS#8 PEM to --out with mode 0600 (never over an existing
file unless --force), and prints the public JWK Set to register with the provider (or writes it
to --jwks FILE). With --use enc the key is an encryption key ("use": "enc" and its JWE "alg" in
the JWKS): the provider encrypts ID tokens and userinfo to it, and \`pkjwt decrypt\` opens them.

Options:
  -a, --alg ALG           ${ALGS.join(' ')} (required);
                          with --use enc: ${ENC_ALGS.join(' ')}
      --use USE           sig (default) or enc; FTN wants one key of each, never one for both
      --bits N            RSA modulus length, 2048..8192, a multiple of 8 (default 2048)
      --kid ID            the kid (default: the RFC 7638 thumbprint)
  -o, --out FILE          where to write the private key (required)
      --jwks FILE         write the public JWKS to FILE instead of stdout
  -f, --force             overwrite existing files${COMMON_HELP}

A PEM file holds neither alg nor kid: when you chose a custom --kid, or an alg that is not the
key type's default (RS256 for RSA, ES256/ES384 by curve, EdDSA), pass the same --alg/--kid to
\`pkjwt sign\` and \`pkjwt token\`. keygen reminds you on stderr.

Examples:
  pkjwt keygen --alg ES256 --out client.key.pem
  pkjwt keygen --alg RS256 --bits 3072 --kid my-key-1 --out key.pem --jwks jwks.json
  pkjwt keygen --alg PS256 --out key.pem --json | jq .jwks
  pkjwt keygen --use enc --alg RSA-OAEP-256 --out enc.key.pem --jwks enc.jwks.json`,
  run(values, positionals, ctx) {
    if (positionals.length) throw usage(`keygen takes no arguments, got ${JSON.stringify(positionals[0])}`);
    const { use, alg } = useAndAlg(values);
    const outFile = requireOption(values, 'out');
    const bits = intOption(values, 'bits', { min: 2048, max: 8192 });
    if (bits !== undefined && !/^([RP]S|RSA-)/.test(alg)) throw usage('--bits applies to RSA algorithms only');
    if (bits !== undefined && bits % 8 !== 0) throw usage('--bits must be a multiple of 8');
    if (values.jwks !== undefined && path.resolve(values.jwks) === path.resolve(outFile)) throw usage('--jwks and --out name the same file');
    if (!values.force) {
      for (const file of [outFile, values.jwks].filter(Boolean)) {
        if (fs.existsSync(file)) throw ioError(`${file} exists; use --force to overwrite it`);
      }
    }
    const key = pk.generateKey(alg, clean({ modulusLength: bits, kid: values.kid }));
    const jwks = pk.toJwks([key]);
    writeFileAtomic(outFile, key.toPem(), 0o600, values.force);
    if (values.jwks !== undefined) writeFileAtomic(values.jwks, `${pretty(jwks)}\n`, 0o644, values.force);
    const defaultAlg = use === 'enc' ? undefined : key.kty === 'RSA' ? 'RS256' : key.kty === 'OKP' ? 'EdDSA' : alg;
    const reminders = [];
    if (alg !== defaultAlg) reminders.push(`--alg ${alg}`);
    if (values.kid !== undefined && values.kid !== key.thumbprint()) reminders.push(`--kid ${values.kid}`);
    const withFlags = use === 'enc' ? 'decryptWith' : 'signWith';
    if (ctx.json) {
      out(JSON.stringify(clean({ alg, use, kty: key.kty, kid: key.kid, thumbprint: key.thumbprint(), privateKey: outFile, jwksFile: values.jwks, jwks, [withFlags]: reminders.join(' ') || undefined })));
    } else {
      note(ctx, `wrote the ${alg} ${use === 'enc' ? 'encryption' : 'private'} key to ${outFile} (mode 0600); kid ${key.kid}`);
      if (values.jwks !== undefined) {
        note(ctx, `wrote the public JWKS to ${values.jwks}: register it with the provider`);
      } else {
        note(ctx, 'register this public JWKS with the provider:');
        out(pretty(jwks));
      }
      if (reminders.length) note(ctx, `the PEM file holds no alg/kid: ${use === 'enc' ? 'decrypt' : 'sign'} with ${reminders.join(' ')}`);
    }
    key.free();
    return EXIT.ok;
  },
};

function writeFileAtomic(file, text, mode, force) {
  try {
    if (!force) {
      fs.writeFileSync(file, text, { mode, flag: 'wx' });
      fs.chmodSync(file, mode);
      return;
    }
    // Write a fresh file with the mode, then rename it over the old one (whose mode would
    // otherwise be kept by an in-place write).
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      fs.writeFileSync(tmp, text, { mode, flag: 'wx' });
      fs.chmodSync(tmp, mode);
      fs.renameSync(tmp, file);
    } catch (error) {
      try { fs.unlinkSync(tmp); } catch { /* already gone */ }
      throw error;
    }
  } catch (error) {
    if (error.code === 'EEXIST') throw ioError(`${file} exists; use --force to overwrite it`);
    throw ioError(`cannot write ${file}: ${error.message}`);
  }
}

COMMANDS.jwks = {
  summary: 'print the JWKS of the public parts of the given keys',
  options: {
    alg: { type: 'string', short: 'a' },
    kid: { type: 'string' },
  },
  help: `Usage: pkjwt jwks KEY... [--alg ALG] [--kid ID]

Prints the JWK Set of the keys' public halves, ready to register. Each KEY is a file holding a
PEM key (private or public) or certificate, a JWK, a JWK Set, or DER; - reads stdin. Private
members are never printed. Each JWK shows its "use" (sig, or enc for an encryption key) and,
when bound, its "alg".

Options:
  -a, --alg ALG           bind every key to ALG (adds "alg" to each JWK); a JWE algorithm
                          (${ENC_ALGS.join(', ')}) makes the keys encryption keys
      --kid ID            the kid (only with a single key; default: the JWK's kid or the thumbprint)${COMMON_HELP}

Examples:
  pkjwt jwks client.key.pem > jwks.json
  pkjwt jwks --alg PS256 old.pem new.pem
  pkjwt jwks sig.key.pem > jwks.json; pkjwt jwks --alg RSA-OAEP-256 enc.key.pem   # FTN: one of each
  cat key.pem | pkjwt jwks -`,
  run(values, positionals, ctx) {
    if (positionals.length === 0) throw usage('jwks needs at least one KEY file (or -)');
    if (values.kid !== undefined && positionals.length > 1) throw usage('--kid applies to a single key');
    const alg = keyAlgOption(values.alg);
    const keys = positionals.flatMap((file) => loadKeys(file, { alg, kid: values.kid }));
    const jwks = pk.toJwks(keys);
    out(ctx.json ? JSON.stringify(jwks) : pretty(jwks));
    return EXIT.ok;
  },
};

COMMANDS.thumbprint = {
  summary: 'print the kid (RFC 7638 thumbprint), x5t and x5t#S256 of a key or certificate',
  options: {},
  help: `Usage: pkjwt thumbprint KEY|CERT

Prints the RFC 7638 SHA-256 JWK thumbprint (pkjwt's default kid) of a key, and for an X.509
certificate also its x5t (SHA-1) and x5t#S256 (SHA-256) thumbprints, base64url of the DER bytes
as Entra expects. A JWK's "use" and "alg" are shown too. Input: PEM, JWK JSON or DER file;
- reads stdin.

Options:${COMMON_HELP}

Examples:
  pkjwt thumbprint client.key.pem
  pkjwt thumbprint client.cert.pem --json`,
  run(values, positionals, ctx) {
    if (positionals.length !== 1) throw usage('thumbprint takes exactly one KEY or CERT file (or -)');
    const file = positionals[0];
    const bytes = readBytes(file, 'key or certificate');
    const input = keyInput(bytes);
    let key;
    try {
      key = pk.importKey(input);
    } catch (error) {
      throw rethrowInput(error, file === '-' ? '(stdin)' : file);
    }
    let certPem;
    if (typeof input === 'string' && input.includes('-----BEGIN CERTIFICATE-----')) certPem = input;
    else if (typeof input !== 'string') certPem = derToPem(bytes, 'CERTIFICATE');
    let certThumbs;
    if (certPem) {
      try { certThumbs = pk.certificateThumbprints(certPem); } catch (error) {
        if (typeof input === 'string') throw rethrowInput(error, file);
      }
    }
    const result = clean({
      kty: key.kty,
      kid: key.kid,
      use: key.use,
      alg: key.alg,
      thumbprint: key.thumbprint(),
      x5t: certThumbs?.x5t,
      'x5t#S256': certThumbs?.['x5t#S256'],
    });
    if (ctx.json) {
      out(JSON.stringify(result));
    } else {
      const rows = [['kid', result.kid]];
      if (result.use !== undefined) rows.push(['use', result.use]);
      if (result.alg !== undefined) rows.push(['alg', result.alg]);
      if (result.kid !== result.thumbprint) rows.push(['thumbprint', result.thumbprint]);
      if (certThumbs) rows.push(['x5t', result.x5t], ['x5t#S256', result['x5t#S256']]);
      for (const [name, value] of rows) out(`${name.padEnd(10)} ${value}`);
    }
    return EXIT.ok;
  },
};

COMMANDS.sign = {
  summary: 'sign a client assertion and print it',
  options: { ...ASSERTION_FLAGS },
  help: `Usage: pkjwt sign --key FILE --client-id ID --aud URL [options]

Signs a client assertion (private_key_jwt, RFC 7523): iss = sub = client id, aud = --aud as a
single string, a fresh jti, iat = now, exp = now + lifetime, header kid and
typ client-authentication+jwt. Prints the compact JWS (with --json: assertion, header, payload).

Options:${ASSERTION_HELP}${COMMON_HELP}

${PRESET_HELP}

Examples:
  pkjwt sign --key key.pem --client-id my-client --aud https://as.example.com
  pkjwt sign --key key.pem --client-id my-client --aud https://acme.idura.broker --preset idura-ftn
  pkjwt sign --key key.pem --cert cert.pem --client-id APP-ID --preset entra \\
    --aud https://login.microsoftonline.com/TENANT/oauth2/v2.0/token
  pkjwt sign --key key.pem --client-id c --aud https://as --claim purpose=test --claim 'n:=3'`,
  run(values, positionals, ctx) {
    if (positionals.length) throw usage(`sign takes no arguments, got ${JSON.stringify(positionals[0])}`);
    const opts = assertionOptions(values, ctx);
    const assertion = pk.createClientAssertion(opts);
    if (ctx.json) {
      const { header, payload } = pk.decodeJwt(assertion);
      out(JSON.stringify({ assertion, header, payload }));
    } else {
      out(assertion);
    }
    return EXIT.ok;
  },
};

COMMANDS.inspect = {
  summary: 'decode a token and run the checks that need no key (never says "valid")',
  options: {
    aud: { type: 'string', multiple: true },
    'client-id': { type: 'string' },
    'clock-tolerance': { type: 'string' },
    'max-lifetime': { type: 'string' },
    now: { type: 'string' },
  },
  help: `Usage: pkjwt inspect TOKEN|- [--aud URL]... [--client-id ID]

Decodes a client assertion strictly and prints its header and payload, with times in human form,
then what a strict verifier would say about everything it can check WITHOUT a key: form, alg,
typ, iss/sub, aud (single-valued; accepted when --aud is given), exp/nbf/iat against now,
lifetime, jti. The key and the signature are never checked, so inspect never calls a token
valid: use \`pkjwt verify\` with the client's JWKS for that.

Exit status: 0 when every keyless check passed, 1 when one failed or the token does not decode.

Options:
      --aud URL           accepted audience (repeatable); without it aud is only checked for form
      --client-id ID      the expected client id (iss and sub)
      --clock-tolerance S seconds of clock skew (default 15)
      --max-lifetime S    longest accepted lifetime (default 300)
      --now EPOCH         pretend the time is EPOCH seconds (for tests)${COMMON_HELP}

Examples:
  pkjwt inspect eyJhbGciOi...
  pkjwt sign --key key.pem --client-id c --aud https://as | pkjwt inspect -
  pkjwt inspect - --json < token.txt | jq .checks`,
  run(values, positionals, ctx) {
    if (positionals.length !== 1) throw usage('inspect takes exactly one TOKEN (or - for stdin)');
    const token = readToken(positionals[0]);
    const now = intOption(values, 'now', { min: 0, max: 253402300799 }) ?? nowSeconds();
    const tolerance = intOption(values, 'clock-tolerance', { min: 0, max: 600 }) ?? 15;
    const maxLifetime = intOption(values, 'max-lifetime', { min: 1, max: 86400 }) ?? 300;
    let decoded;
    let decodeError;
    if (token.length > MAX_TOKEN) {
      decodeError = { code: 'ERR_JWS_INVALID', message: `the token is longer than ${MAX_TOKEN} bytes` };
    } else {
      try {
        decoded = pk.decodeJwt(token);
      } catch (error) {
        if (!pk.isPkjwtError(error)) throw error;
        decodeError = { code: error.code, message: error.message };
      }
    }
    const checks = decoded
      ? keylessChecks(decoded, { now, tolerance, maxLifetime, audiences: values.aud, clientId: values['client-id'] })
      : CHECKS.map(([name, label], i) => (i === 0 ? { check: name, label, status: 'failed', ...decodeError } : { check: name, label, status: 'not reached' }));
    const failed = checks.some((c) => c.status === 'failed');
    const times = {};
    if (decoded) {
      for (const claim of ['iat', 'nbf', 'exp']) {
        const t = humanTime(decoded.payload[claim], now);
        if (t) times[claim] = t;
      }
    }
    if (ctx.json) {
      out(JSON.stringify(clean({
        header: decoded?.header, payload: decoded?.payload, times, checks, verified: false,
        summary: failed ? 'a strict verifier would reject this token' : 'no keyless check failed; the signature was NOT verified',
      })));
    } else {
      const s = style(ctx.color);
      if (decoded) {
        out(s.bold('Header'));
        out(indent(pretty(decoded.header)));
        out(s.bold('Payload'));
        out(indent(pretty(decoded.payload)));
        if (Object.keys(times).length) {
          out(s.bold('Times'));
          for (const [claim, t] of Object.entries(times)) out(`  ${claim}  ${t.iso}  (${t.relative})`);
        }
      }
      out(s.bold('Checks without a key'));
      printChecks(checks, s);
      out(failed
        ? s.red('A strict verifier would reject this token.')
        : s.yellow('No keyless check failed, but the signature was NOT verified: this is not a valid token until `pkjwt verify` says so.'));
    }
    return failed ? EXIT.invalid : EXIT.ok;
  },
};

const indent = (text) => text.split('\n').map((line) => `  ${line}`).join('\n');

/** The checks a verifier makes that need no key, each passed / failed / not checked. */
function keylessChecks({ header, payload }, { now, tolerance, maxLifetime, audiences, clientId }) {
  const result = [];
  const add = (check, status, extra = {}) => {
    const label = CHECKS.find(([name]) => name === check)?.[1] ?? check;
    result.push(clean({ check, label, status, ...extra }));
  };
  const fail = (check, code, message, claim, reason) => add(check, 'failed', { code, message, claim, reason });
  const isInt = (v) => Number.isSafeInteger(v) && v >= 0;

  if ('crit' in header || 'b64' in header) fail('form', 'ERR_JOSE_NOT_SUPPORTED', `the ${'crit' in header ? 'crit' : 'b64'} header is not supported`);
  else add('form', 'passed');

  if (typeof header.alg !== 'string') fail('alg', 'ERR_JWS_INVALID', 'the alg header is missing or not a string');
  else if (/^none$/i.test(header.alg) || /^HS/.test(header.alg)) fail('alg', 'ERR_JOSE_ALG_NOT_ALLOWED', `alg ${header.alg} is never allowed`);
  else if (!ALGS.includes(header.alg)) fail('alg', 'ERR_JOSE_NOT_SUPPORTED', `alg ${JSON.stringify(header.alg)} is not supported`);
  else add('alg', 'passed', { message: `alg ${header.alg}` });

  add('key', 'not checked', { message: `no key given${header.kid !== undefined ? ` (kid ${JSON.stringify(header.kid)})` : ' (no kid header)'}` });
  add('signature', 'not checked', { message: 'no key given' });

  if (header.typ === undefined) add('typ', 'passed', { message: 'no typ header (accepted unless the server requires client-authentication+jwt)' });
  else if (typeof header.typ !== 'string') fail('typ', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'the "typ" header must be a string', 'typ', 'invalid');
  else if (!/^(application\/)?(client-authentication\+jwt|jwt)$/i.test(header.typ)) fail('typ', 'ERR_JWT_CLAIM_VALIDATION_FAILED', `"typ" ${JSON.stringify(header.typ)} is not a client assertion type`, 'typ', 'check_failed');
  else add('typ', 'passed', { message: `typ ${header.typ}` });

  const strClaim = (name) => (payload[name] === undefined ? 'missing' : typeof payload[name] !== 'string' || payload[name] === '' ? 'invalid' : undefined);
  const issProblem = strClaim('iss') ? ['iss', strClaim('iss')] : strClaim('sub') ? ['sub', strClaim('sub')] : undefined;
  if (issProblem) fail('iss/sub', 'ERR_JWT_CLAIM_VALIDATION_FAILED', `the "${issProblem[0]}" claim is ${issProblem[1] === 'missing' ? 'missing' : 'not a non-empty string'}`, issProblem[0], issProblem[1]);
  else if (payload.iss !== payload.sub) fail('iss/sub', 'ERR_JWT_CLAIM_VALIDATION_FAILED', '"iss" and "sub" differ', 'sub', 'mismatch');
  else if (clientId !== undefined && payload.iss !== clientId) fail('iss/sub', 'ERR_JWT_CLAIM_VALIDATION_FAILED', `"iss" is not the client id ${JSON.stringify(clientId)}`, 'iss', 'mismatch');
  else add('iss/sub', 'passed', { message: `client ${payload.iss}` });

  const aud = payload.aud;
  const audValue = typeof aud === 'string' ? aud : Array.isArray(aud) && aud.length === 1 && typeof aud[0] === 'string' ? aud[0] : undefined;
  if (aud === undefined) fail('aud', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'the "aud" claim is missing', 'aud', 'missing');
  else if (Array.isArray(aud) && aud.length > 1) fail('aud', 'ERR_JWT_CLAIM_VALIDATION_FAILED', `"aud" has ${aud.length} values; a strict verifier accepts exactly one`, 'aud', 'invalid');
  else if (audValue === undefined) fail('aud', 'ERR_JWT_CLAIM_VALIDATION_FAILED', '"aud" must be a string or a one-element array of a string', 'aud', 'invalid');
  else if (audiences?.length && !audiences.includes(audValue)) fail('aud', 'ERR_JWT_CLAIM_VALIDATION_FAILED', `"aud" ${JSON.stringify(audValue)} is not an accepted audience`, 'aud', 'mismatch');
  else add('aud', 'passed', { message: `aud ${audValue}${audiences?.length ? '' : ' (not compared: no --aud given)'}` });

  const timeFail = (message, claim, reason, code = 'ERR_JWT_CLAIM_VALIDATION_FAILED') => fail('exp/nbf/iat', code, message, claim, reason);
  const badTime = ['exp', 'nbf', 'iat'].find((name) => payload[name] !== undefined && !isInt(payload[name]));
  let timesOk = false;
  if (payload.exp === undefined) timeFail('the "exp" claim is required', 'exp', 'missing');
  else if (badTime) timeFail(`"${badTime}" must be a non-negative integer`, badTime, 'invalid');
  else if (now >= payload.exp + tolerance) timeFail(`"exp" claim timestamp check failed: the assertion expired ${relative(payload.exp - now)}`, 'exp', 'check_failed', 'ERR_JWT_EXPIRED');
  else if (payload.nbf !== undefined && payload.nbf > now + tolerance) timeFail('"nbf" claim timestamp check failed: not yet valid', 'nbf', 'check_failed');
  else if (payload.iat !== undefined && payload.iat > now + tolerance) timeFail('"iat" claim timestamp check failed: issued in the future', 'iat', 'check_failed');
  else {
    timesOk = true;
    add('exp/nbf/iat', 'passed', { message: `expires ${relative(payload.exp - now)}` });
  }
  if (!timesOk) add('lifetime', 'not checked', { message: 'the times did not check' });
  else {
    const lifetime = payload.iat !== undefined ? payload.exp - payload.iat : payload.exp - now - tolerance;
    if (lifetime > maxLifetime) fail('lifetime', 'ERR_JWT_CLAIM_VALIDATION_FAILED', `the assertion's lifetime of ${lifetime} s exceeds the maximum of ${maxLifetime} s`, 'exp', 'check_failed');
    else add('lifetime', 'passed', { message: `lifetime ${lifetime} s (max ${maxLifetime} s)` });
  }

  const jti = payload.jti;
  if (jti === undefined) fail('jti', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'the "jti" claim is required', 'jti', 'missing');
  else if (typeof jti !== 'string' || jti === '' || jti.length > 256) fail('jti', 'ERR_JWT_CLAIM_VALIDATION_FAILED', '"jti" must be a non-empty string of at most 256 characters', 'jti', 'invalid');
  else add('jti', 'passed', { message: `jti ${jti}` });
  return result;
}

COMMANDS.verify = {
  summary: 'verify a client assertion against a JWKS; print the check list (exit 0 valid, 1 invalid)',
  options: {
    jwks: { type: 'string' },
    aud: { type: 'string', multiple: true },
    'client-id': { type: 'string' },
    alg: { type: 'string', multiple: true },
    'clock-tolerance': { type: 'string' },
    'max-lifetime': { type: 'string' },
    'require-typ': { type: 'boolean' },
    'no-require-jti': { type: 'boolean' },
    'allow-multiple-audiences': { type: 'boolean' },
    timeout: { type: 'string' },
    now: { type: 'string' },
  },
  help: `Usage: pkjwt verify TOKEN|- --jwks FILE|URL --aud URL [--client-id ID] [options]

Verifies a client assertion with pkjwt's strict verifier and prints the check list, in the
verifier's order: form, alg, key, signature, typ, iss/sub, aud, exp/nbf/iat, lifetime, jti. The
first failing check is shown with its error code; the checks after it were not reached. No replay
cache is used (a single run cannot see replays).

Exit status: 0 valid, 1 invalid.

Options:
      --jwks FILE|URL     the client's registered keys: a JWK Set, a JWK or a PEM key/certificate
                          file, - for stdin, or an http(s) URL (fetched with a timeout, at most 1 MiB)
      --aud URL           an accepted audience, the issuer identifier first (repeatable; required)
      --client-id ID      the client id the request names: iss and sub must equal it
      --alg ALG           an accepted algorithm (repeatable; default all)
      --clock-tolerance S seconds of clock skew (default 15)
      --max-lifetime S    longest accepted lifetime (default 300)
      --require-typ       require typ client-authentication+jwt
      --no-require-jti    accept a token without jti
      --allow-multiple-audiences  accept an aud array of several values when one is accepted
      --timeout S         seconds to wait for a JWKS URL (default 10)
      --now EPOCH         pretend the time is EPOCH seconds (for tests)${COMMON_HELP}

Examples:
  pkjwt verify "$ASSERTION" --jwks jwks.json --aud https://as.example.com --client-id my-client
  pkjwt sign --key key.pem --client-id c --aud https://as | pkjwt verify - --jwks jwks.json --aud https://as
  pkjwt verify - --jwks https://client.example/jwks.json --aud https://as --json < token.txt`,
  async run(values, positionals, ctx) {
    if (positionals.length !== 1) throw usage('verify takes exactly one TOKEN (or - for stdin)');
    const jwksArg = requireOption(values, 'jwks', 'a JWKS file or URL');
    if (!values.aud?.length) throw usage('--aud is required (your issuer identifier)');
    const algorithms = values.alg?.map((alg) => algOption(alg));
    const clockTolerance = intOption(values, 'clock-tolerance', { min: 0, max: 600 });
    const maxLifetime = intOption(values, 'max-lifetime', { min: 1, max: 86400 });
    const now = intOption(values, 'now', { min: 0, max: 253402300799 });
    const timeout = intOption(values, 'timeout', { min: 1, max: 300 }) ?? 10;
    const token = readToken(positionals[0]);
    const keys = /^https?:\/\//i.test(jwksArg) ? await fetchJwks(jwksArg, timeout) : loadVerifyKeys(jwksArg);
    const opts = clean({
      audience: values.aud, keys, clientId: values['client-id'], algorithms, clockTolerance, maxLifetime,
      requireTyp: values['require-typ'] || undefined, requireJti: values['no-require-jti'] ? false : undefined,
      allowMultipleAudiences: values['allow-multiple-audiences'] || undefined, now,
    });
    let verified;
    let error;
    try {
      verified = pk.verifyClientAssertion(token, opts);
    } catch (caught) {
      if (!pk.isPkjwtError(caught)) throw caught;
      error = caught;
    }
    if (error) {
      const failed = failingCheck(error, token, algorithms ?? ALGS);
      // Not a property of the token (a bad option or JWKS): an input error, not a verdict.
      if (failed === undefined) throw new CliError(error.code, error.message, exitFor(error.code));
      const checks = annotate(checkList(failed, error), token, now ?? nowSeconds());
      if (ctx.json) {
        out(JSON.stringify({ valid: false, checks, error: clean({ code: error.code, message: error.message, claim: error.claim, reason: error.reason }) }));
      } else {
        const s = style(ctx.color);
        printChecks(checks, s);
        out(s.red(`invalid: ${error.code}: ${error.message}`));
      }
      return EXIT.invalid;
    }
    const kid = verified.key.kid;
    const checks = annotate(checkList(undefined, undefined), token, now ?? nowSeconds(), kid);
    if (ctx.json) {
      out(JSON.stringify({ valid: true, checks, header: verified.header, payload: verified.payload, kid }));
    } else {
      const s = style(ctx.color);
      printChecks(checks, s);
      out(s.green(`valid: client ${verified.payload.iss}, key ${kid}, alg ${verified.header.alg}`));
    }
    return EXIT.ok;
  },
};

function loadVerifyKeys(file) {
  const bytes = readBytes(file, 'JWKS');
  const input = keyInput(bytes);
  if (typeof input === 'string' && input.trimStart().startsWith('{')) {
    let json;
    try { json = JSON.parse(input); } catch (error) {
      throw new CliError('ERR_JWK_INVALID', `JWKS ${file} is not valid JSON: ${error.message}`, EXIT.usage);
    }
    if (Array.isArray(json.keys)) return json;
    if (typeof json.kty === 'string') return { keys: [json] };
    throw new CliError('ERR_JWK_INVALID', `JWKS ${file} is neither a JWK Set { "keys": [...] } nor a JWK`, EXIT.usage);
  }
  return keysFromBytes(bytes, file, {}, 'JWKS');
}

async function fetchJwks(url, timeoutSeconds) {
  let response;
  const signal = AbortSignal.timeout(timeoutSeconds * 1000);
  try {
    response = await fetch(url, { headers: { accept: 'application/jwk-set+json, application/json' }, redirect: 'follow', signal });
  } catch (error) {
    const why = error?.name === 'TimeoutError' ? `no answer within ${timeoutSeconds} s` : (error?.cause?.message ?? error?.message ?? String(error));
    throw ioError(`cannot fetch the JWKS ${url}: ${why}`);
  }
  if (!response.ok) {
    response.body?.cancel().catch(() => {});
    throw ioError(`cannot fetch the JWKS ${url}: HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_JWKS_BYTES) {
    response.body?.cancel().catch(() => {});
    throw ioError(`the JWKS ${url} is larger than ${MAX_JWKS_BYTES} bytes`);
  }
  const chunks = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += chunk.byteLength;
      if (size > MAX_JWKS_BYTES) {
        throw ioError(`the JWKS ${url} is larger than ${MAX_JWKS_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw ioError(`cannot read the JWKS ${url}: ${error?.name === 'TimeoutError' ? `no answer within ${timeoutSeconds} s` : error?.message}`);
  }
  let json;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new CliError('ERR_JWK_INVALID', `the JWKS at ${url} is not JSON`, EXIT.usage);
  }
  if (!json || !Array.isArray(json.keys)) throw new CliError('ERR_JWK_INVALID', `the JWKS at ${url} has no "keys" array`, EXIT.usage);
  return json;
}

/** The protected header of a compact JWE, decoded without trusting it (for the key's alg binding). */
function jweHeaderOf(token) {
  const parts = token.split('.');
  if (parts.length !== 5) {
    throw new CliError('ERR_JWE_INVALID', `not a compact JWE: ${parts.length} dot-separated parts instead of 5${parts.length === 3 ? ' (this looks like a signed JWT: it is not encrypted)' : ''}`, EXIT.invalid);
  }
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header && typeof header === 'object' && !Array.isArray(header)) return header;
  } catch { /* reported below */ }
  throw new CliError('ERR_JWE_INVALID', 'the JWE protected header is not a JSON object', EXIT.invalid);
}

/** Exit status of a decrypt/verify failure: a property of the token is 1, anything else as usual. */
function tokenExit(code) {
  const invalid = /^ERR_(JWE|JWS|JWT)_/.test(code) || ['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JOSE_ALG_NOT_ALLOWED', 'ERR_JOSE_NOT_SUPPORTED'].includes(code);
  return invalid ? EXIT.invalid : exitFor(code);
}

COMMANDS.decrypt = {
  summary: 'decrypt a JWE (an encrypted ID token) with your enc key; with --jwks also verify it',
  options: {
    key: { type: 'string', short: 'k' },
    kid: { type: 'string' },
    alg: { type: 'string', multiple: true },
    enc: { type: 'string', multiple: true },
    jwks: { type: 'string' },
    issuer: { type: 'string' },
    'client-id': { type: 'string' },
    nonce: { type: 'string' },
    'max-age': { type: 'string' },
    'clock-tolerance': { type: 'string' },
    timeout: { type: 'string' },
    now: { type: 'string' },
  },
  help: `Usage: pkjwt decrypt JWE|- --key FILE [--jwks FILE|URL --issuer URL --client-id ID [--nonce N]]

Decrypts a compact JWE (an ID token or userinfo response the provider encrypted to your encryption
key) and prints its protected header and plaintext. When the plaintext is a signed JWT (the usual
nested ID token), its header and claims are printed too, marked NOT verified. With --jwks, --issuer
and --client-id the inner ID token is also verified (openIdToken: signature with the provider's
keys, iss, aud/azp, exp, iat, nonce, auth_time with --max-age), and decrypt exits 1 when it is
not valid. Every decryption failure (a wrong key, a tampered token) is the one ERR_JWE_DECRYPTION_FAILED.

Exit status: 0 decrypted (and, with --jwks, valid), 1 not decryptable or invalid, 2 usage, 3 I/O.

Options:
  -k, --key FILE          your private encryption key: PEM (PKCS#8 as keygen --use enc writes it),
                          a JWK or a JWK Set of enc keys, DER; - for stdin (required). A PEM file
                          holds no alg: it is bound to the JWE's alg (one of ${ENC_ALGS.join(', ')})
                          unless --alg is given
      --kid ID            the kid of a PEM/DER key (default: the JWE's kid, so that the one key
                          you give is the one tried; a JWK keeps its own)
      --alg ALG           accepted key-management algorithm (repeatable; default all of the above)
      --enc ENC           accepted content encryption (repeatable; default ${ENCS.join(', ')})
      --jwks FILE|URL     the provider's signing keys (its jwks_uri or a saved JWK Set)
      --issuer URL        the provider's issuer identifier (with --jwks)
      --client-id ID      your client id: the ID token's audience (with --jwks)
      --nonce N           the nonce you sent; the ID token's nonce must equal it
      --max-age S         the max_age you sent: auth_time must be within S seconds
      --clock-tolerance S seconds of clock skew
      --timeout S         seconds to wait for a JWKS URL (default 10)
      --now EPOCH         pretend the time is EPOCH seconds (for tests)${COMMON_HELP}

Examples:
  pkjwt decrypt "$ID_TOKEN" --key enc.key.pem
  pkjwt decrypt - --key enc.key.pem --jwks https://tenant.idura.broker/.well-known/jwks \\
    --issuer https://tenant.idura.broker --client-id my-client --nonce "$NONCE" < id_token.txt
  pkjwt decrypt "$ID_TOKEN" --key enc.key.pem --json | jq .payload`,
  async run(values, positionals, ctx) {
    if (positionals.length !== 1) throw usage('decrypt takes exactly one JWE (or - for stdin)');
    const keyFile = requireOption(values, 'key', 'your private encryption key');
    const verifying = values.jwks !== undefined;
    for (const name of ['issuer', 'client-id', 'nonce', 'max-age', 'clock-tolerance']) {
      if (!verifying && values[name] !== undefined) throw usage(`--${name} verifies the ID token, which needs --jwks (the provider's keys)`);
    }
    if (verifying) {
      requireOption(values, 'issuer', 'the provider\'s issuer identifier');
      requireOption(values, 'client-id', 'your client id');
    }
    const algorithms = values.alg?.map((alg) => {
      if (!ENC_ALGS.includes(alg)) throw usage(`--alg must be one of ${ENC_ALGS.join(', ')}; got ${JSON.stringify(alg)}`);
      return alg;
    });
    const encryptions = values.enc?.map((enc) => {
      if (!ENCS.includes(enc)) throw usage(`--enc must be one of ${ENCS.join(', ')}; got ${JSON.stringify(enc)}`);
      return enc;
    });
    const maxAge = intOption(values, 'max-age', { min: 0, max: 31536000 });
    const clockTolerance = intOption(values, 'clock-tolerance', { min: 0, max: 600 });
    const now = intOption(values, 'now', { min: 0, max: 253402300799 });
    const timeout = intOption(values, 'timeout', { min: 1, max: 300 }) ?? 10;
    const token = readToken(positionals[0]);
    const protectedHeader = jweHeaderOf(token);
    const bindAlg = algorithms?.length === 1 ? algorithms[0]
      : ENC_ALGS.includes(protectedHeader.alg) && (algorithms === undefined || algorithms.includes(protectedHeader.alg)) ? protectedHeader.alg : undefined;
    const keyBytes = readBytes(keyFile, 'key');
    const bare = isPemOrDer(keyBytes);
    const headerKid = typeof protectedHeader.kid === 'string' && protectedHeader.kid !== '' ? protectedHeader.kid : undefined;
    const keys = keysFromBytes(keyBytes, keyFile, bare ? { alg: bindAlg, kid: values.kid ?? headerKid } : {}, 'key');
    const providerKeys = !verifying ? undefined
      : /^https?:\/\//i.test(values.jwks) ? await fetchJwks(values.jwks, timeout) : loadVerifyKeys(values.jwks);

    let result;
    try {
      if (verifying) {
        const opened = pk.openIdToken(token, clean({
          decryptionKeys: keys, issuer: values.issuer, clientId: values['client-id'], keys: providerKeys,
          nonce: values.nonce, maxAge, clockTolerance, keyManagementAlgorithms: algorithms, encryptions, now,
        }));
        result = { jweHeader: opened.jweHeader, header: opened.header, payload: opened.payload, verified: true };
      } else {
        const decrypted = pk.decryptJwt(token, clean({ keys, algorithms, encryptions }));
        result = {
          jweHeader: decrypted.header, text: decrypted.text, bytes: decrypted.plaintext.length,
          base64url: Buffer.from(decrypted.plaintext).toString('base64url'), verified: false,
        };
        if (typeof decrypted.text === 'string' && decrypted.text.split('.').length === 3) {
          try {
            Object.assign(result, pk.decodeJwt(decrypted.text));
          } catch { /* not a JWS: the text is printed as it is */ }
        }
      }
    } catch (error) {
      if (!pk.isPkjwtError(error)) throw error;
      throw new CliError(error.code, error.message, tokenExit(error.code), clean({ claim: error.claim, reason: error.reason }));
    }
    if (ctx.json) {
      out(JSON.stringify(clean({
        jweHeader: result.jweHeader, header: result.header, payload: result.payload, verified: result.verified,
        plaintext: result.payload === undefined ? result.text : undefined,
        plaintextBase64url: result.payload === undefined && result.text === undefined ? result.base64url : undefined,
      })));
      return EXIT.ok;
    }
    const s = style(ctx.color);
    out(s.bold('JWE protected header'));
    out(indent(pretty(result.jweHeader)));
    if (result.payload !== undefined) {
      out(s.bold(`Inner JWT header${result.verified ? '' : ' (NOT verified)'}`));
      out(indent(pretty(result.header)));
      out(s.bold(`Claims${result.verified ? '' : ' (NOT verified)'}`));
      out(indent(pretty(result.payload)));
      const reference = now ?? nowSeconds();
      const times = ['iat', 'auth_time', 'exp'].map((claim) => [claim, humanTime(result.payload[claim], reference)]).filter(([, t]) => t);
      if (times.length) {
        out(s.bold('Times'));
        for (const [claim, t] of times) out(`  ${claim.padEnd(9)}  ${t.iso}  (${t.relative})`);
      }
    } else if (result.text !== undefined) {
      out(s.bold('Plaintext'));
      out(indent(result.text));
    } else {
      out(s.bold('Plaintext'));
      out(`  ${result.bytes} bytes, not UTF-8`);
    }
    out(result.verified
      ? s.green(`valid: ID token of ${result.payload.sub} from ${result.payload.iss}, signed ${result.header.alg}, encrypted ${result.jweHeader.alg} + ${result.jweHeader.enc}`)
      : s.yellow(`decrypted (${result.jweHeader.alg} + ${result.jweHeader.enc}); the inner token was NOT verified: add --jwks, --issuer and --client-id`));
    return EXIT.ok;
  },
};

/** True for PEM text or DER bytes (which hold no alg), false for JWK JSON. */
function isPemOrDer(bytes) {
  const input = keyInput(bytes);
  return typeof input !== 'string' || !input.trimStart().startsWith('{');
}

COMMANDS.token = {
  summary: 'make a token request authenticated with a fresh assertion; print the response',
  options: {
    ...ASSERTION_FLAGS,
    'token-endpoint': { type: 'string' },
    'grant-type': { type: 'string' },
    scope: { type: 'string' },
    param: { type: 'string', multiple: true },
    timeout: { type: 'string' },
  },
  help: `Usage: pkjwt token --token-endpoint URL --key FILE --client-id ID --aud URL [options]

POSTs a token request (grant_type client_credentials unless told) to the token endpoint, with
client_id, client_assertion_type and a freshly signed client_assertion, and prints the JSON
response. A refused request (an OAuth error, a non-2xx status, no answer) prints the status and
the server's error and error_description on stderr as ERR_TOKEN_REQUEST_FAILED, exit 1.

Options:
      --token-endpoint URL  the token endpoint (required)
      --grant-type TYPE   default client_credentials
      --scope S           the scope parameter
      --param NAME=VALUE  another form parameter (repeatable)
      --timeout S         seconds before the request is abandoned (default 10)${ASSERTION_HELP}${COMMON_HELP}

--aud is required, except with --preset okta or entra, where it defaults to the token endpoint.

${PRESET_HELP}

Examples:
  pkjwt token --token-endpoint https://as.example.com/token --key key.pem \\
    --client-id my-client --aud https://as.example.com --scope api
  pkjwt token --preset okta --token-endpoint https://dev-1.okta.com/oauth2/v1/token \\
    --key key.pem --client-id 0oa... --scope okta.users.read --json | jq -r .access_token`,
  async run(values, positionals, ctx) {
    if (positionals.length) throw usage(`token takes no arguments, got ${JSON.stringify(positionals[0])}`);
    const tokenEndpoint = requireOption(values, 'token-endpoint');
    let url;
    try { url = new URL(tokenEndpoint); } catch { throw usage(`--token-endpoint ${JSON.stringify(tokenEndpoint)} is not a URL`); }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw usage('--token-endpoint must be an http(s) URL');
    if (url.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      warn(ctx, `the token endpoint ${tokenEndpoint} is plain http`);
    }
    const timeout = intOption(values, 'timeout', { min: 1, max: 300 }) ?? 10;
    const audDefault = values.preset === 'okta' || values.preset === 'entra' ? tokenEndpoint : undefined;
    const opts = assertionOptions(values, ctx, { audDefault });
    const params = { grant_type: values['grant-type'] ?? 'client_credentials', ...parseParams(values.param) };
    if (values.scope !== undefined) params.scope = values.scope;
    for (const reserved of ['client_assertion', 'client_assertion_type', 'client_id']) {
      if (reserved in params) throw usage(`--param ${reserved} is set by pkjwt itself`);
    }
    const response = await pk.requestToken({ ...opts, tokenEndpoint, params, timeout });
    out(ctx.json ? JSON.stringify(response) : pretty(response));
    return EXIT.ok;
  },
};

// ---------------------------------------------------------------------------------------------
// Top level.

function version() {
  try {
    return JSON.parse(fs.readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

const MAIN_HELP = () => `pkjwt ${version()}: private_key_jwt client assertions from the terminal

Usage: pkjwt COMMAND [options]      pkjwt COMMAND --help for each command's options and examples

Commands:
${Object.entries(COMMANDS).map(([name, cmd]) => `  ${name.padEnd(11)} ${cmd.summary}`).join('\n')}

Conventions:
  -  in place of a file or token reads stdin (once per run)
  --json prints machine-readable JSON on stdout; errors then go to stderr as JSON too
  Errors go to stderr as "pkjwt: ERR_CODE: message" (no stack trace). Colour is used only when
  the output is a terminal, never with NO_COLOR set or with --json.

Exit status:
  0  success (verify: the token is valid)
  1  invalid: verify or inspect found a failing check; token: the request was refused or failed
     (ERR_TOKEN_REQUEST_FAILED); decrypt: the JWE did not decrypt or the ID token is not valid
  2  usage or input error: unknown command or option, a missing or malformed argument
     (ERR_INVALID_ARGUMENT), a key or JWKS that cannot be used (ERR_JWK_INVALID, ...)
  3  I/O error (ERR_IO): a file that exists (keygen without --force), cannot be read or
     written, or a JWKS URL that cannot be fetched
  4  internal error (please report it)

Examples:
  pkjwt keygen --alg ES256 --out key.pem --jwks jwks.json
  pkjwt keygen --use enc --alg RSA-OAEP-256 --out enc.key.pem
  pkjwt decrypt "$ID_TOKEN" --key enc.key.pem
  A=$(pkjwt sign --key key.pem --client-id my-client --aud https://as.example.com)
  pkjwt inspect "$A"
  pkjwt verify "$A" --jwks jwks.json --aud https://as.example.com
  pkjwt token --token-endpoint https://as.example.com/token --key key.pem \\
    --client-id my-client --aud https://as.example.com`;

function exitFor(code) {
  if (code === 'ERR_IO') return EXIT.io;
  if (code === 'ERR_TOKEN_REQUEST_FAILED') return EXIT.invalid;
  if (code === 'ERR_CRYPTO_FAILURE' || code === 'ERR_INTERNAL') return EXIT.internal;
  return EXIT.usage;
}

function reportError(error, ctx, command) {
  let code;
  let message;
  let exit;
  const extra = {};
  if (error instanceof CliError) {
    ({ code, message, exit } = error);
    for (const name of ['claim', 'reason']) if (error[name] !== undefined) extra[name] = error[name];
  } else if (pk.isPkjwtError(error)) {
    code = error.code;
    message = error.message;
    exit = exitFor(code);
    for (const name of ['claim', 'reason', 'status', 'error', 'errorDescription']) if (error[name] !== undefined) extra[name] = error[name];
  } else {
    code = 'ERR_INTERNAL';
    message = error?.message ?? String(error);
    exit = EXIT.internal;
  }
  if (ctx.json) {
    process.stderr.write(`${JSON.stringify({ error: { code, message, ...extra } })}\n`);
  } else {
    const s = style(Boolean(process.stderr.isTTY) && !noColorEnv());
    process.stderr.write(`${s.red('pkjwt:')} ${code}: ${message}\n`);
    if (error?.usage) process.stderr.write(`Run 'pkjwt ${command ? `${command} ` : ''}--help' for usage.\n`);
  }
  return exit;
}

async function main(argv) {
  const ctx = { json: argv.includes('--json'), color: false };
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${MAIN_HELP()}\n`);
    return EXIT.usage;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    if (rest[0] && COMMANDS[rest[0]]) out(COMMANDS[rest[0]].help);
    else out(MAIN_HELP());
    return EXIT.ok;
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    out(version());
    return EXIT.ok;
  }
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  try {
    if (!spec) {
      throw usage(command.startsWith('-')
        ? `unknown option ${JSON.stringify(command)} before a command`
        : `unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    }
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...spec.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      if (rest.includes('--help') || rest.includes('-h')) {
        out(spec.help);
        return EXIT.ok;
      }
      throw usage(error.message.replace(/\. To specify a positional argument starting with a '-'.*$/s, ''));
    }
    if (parsed.values.help) {
      out(spec.help);
      return EXIT.ok;
    }
    ctx.json = Boolean(parsed.values.json);
    ctx.color = Boolean(process.stdout.isTTY) && !noColorEnv() && !ctx.json;
    return await spec.run(parsed.values, parsed.positionals, ctx);
  } catch (error) {
    return reportError(error, ctx, spec ? command : undefined);
  }
}

// A closed pipe (pkjwt ... | head -1) ends the run quietly instead of with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
