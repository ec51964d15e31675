#!/usr/bin/env node
// The playground's local server (loopback only): www/ at /, the npm package pkg/ at /pkg/, and a
// demo authorization server — panva's oidc-provider (v9) mounted at /as with the client_credentials
// grant and private_key_jwt — plus POST /demo/register, which registers a JWK Set as a new client.
//
//   node scripts/serve.mjs              # PORT from the environment, default 8787
//   node scripts/serve.mjs --port 0     # an ephemeral port (tests); the URL is printed on stdout
//
// Every response carries a strict Content-Security-Policy: the page may only talk to this origin,
// and the only script exceptions are the WebAssembly compile ('wasm-unsafe-eval') and the hash of
// the page's inline import map.
import http from 'node:http';
import crypto from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const WWW = join(root, 'www');
const PKG = join(root, 'pkg');

const { values: args } = parseArgs({
  options: { port: { type: 'string' }, host: { type: 'string' }, quiet: { type: 'boolean' } },
});
const port = Number(args.port ?? process.env.PORT ?? 8787);
const host = args.host ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: invalid port ${args.port ?? process.env.PORT}`);
  process.exit(2);
}
if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
  console.error('serve: the playground server listens on loopback only');
  process.exit(2);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
// What of pkg/ is served: the browser entry and what it imports. Nothing else (no node.js, cli.js).
const PKG_FILES = new Set(['browser.js', 'api.js', 'errors.js', 'verifier.js', 'openid.js', 'wasm/pkjwt.js', 'wasm/pkjwt_bg.wasm', 'index.d.ts']);

/** The sha256 CSP source of the inline import map of index.html. */
function importMapHashes(html) {
  const hashes = [];
  for (const match of html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)) {
    hashes.push(`'sha256-${crypto.createHash('sha256').update(match[1]).digest('base64')}'`);
  }
  return hashes;
}

function csp(extraScript = []) {
  return [
    "default-src 'self'",
    "connect-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${extraScript.join(' ')}`.trim(),
    "style-src 'self'",
    "img-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function securityHeaders(extraScript) {
  return {
    'content-security-policy': csp(extraScript),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { ...securityHeaders(), ...headers });
  res.end(body);
}

function sendJson(res, status, value) {
  send(res, status, JSON.stringify(value, null, 2), { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
}

/** Resolves a URL path inside `base`, or undefined when it escapes it. */
function inside(base, path) {
  const full = normalize(join(base, path));
  return full === base || full.startsWith(base + sep) ? full : undefined;
}

async function serveFile(req, res, file) {
  let info;
  try {
    info = await stat(file);
  } catch {
    info = undefined;
  }
  if (!info?.isFile()) return send(res, 404, 'not found\n', { 'content-type': 'text/plain; charset=utf-8' });
  let body = await readFile(file);
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const extraScript = extname(file) === '.html' ? importMapHashes(body.toString('utf8')) : [];
  const headers = {
    ...securityHeaders(extraScript),
    'content-type': type,
    // Revalidate every time: the service worker keeps the offline copy.
    'cache-control': 'no-cache',
    'content-length': body.length,
  };
  if (file.endsWith(`${sep}sw.js`)) headers['service-worker-allowed'] = '/';
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

// ---------------------------------------------------------------------------------------------
// The demo authorization server.

const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519'];
const MAX_CLIENTS = 200;

function createAdapter(records) {
  return class MapAdapter {
    constructor(model) { this.model = model; }
    key(id) { return `${this.model}:${id}`; }
    async upsert(id, payload, expiresIn) {
      records.set(this.key(id), { payload: { ...payload }, expires: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
      if (records.size > 5000) records.delete(records.keys().next().value);
    }
    async find(id) {
      const entry = records.get(this.key(id));
      if (!entry) return undefined;
      if (entry.expires && entry.expires < Date.now()) {
        records.delete(this.key(id));
        return undefined;
      }
      return entry.payload;
    }
    async findByUid(uid) {
      for (const [key, entry] of records) if (key.startsWith(`${this.model}:`) && entry.payload.uid === uid) return entry.payload;
      return undefined;
    }
    async findByUserCode(userCode) {
      for (const [key, entry] of records) if (key.startsWith(`${this.model}:`) && entry.payload.userCode === userCode) return entry.payload;
      return undefined;
    }
    async consume(id) { const entry = records.get(this.key(id)); if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000); }
    async destroy(id) { records.delete(this.key(id)); }
    async revokeByGrantId(grantId) {
      for (const [key, entry] of records) if (entry.payload.grantId === grantId) records.delete(key);
    }
  };
}

async function createDemoProvider(origin) {
  const { default: Provider } = await import('oidc-provider');
  const issuer = `${origin}/as`;
  const records = new Map();
  // The provider's own signing key (it issues no ID tokens here, but its keystore needs one).
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig', kid: 'demo-as-es256' };
  const provider = new Provider(issuer, {
    adapter: createAdapter(records),
    clients: [],
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
    },
    enabledJWA: { clientAuthSigningAlgValues: ALGS },
    ttl: { ClientCredentials: 300 },
    // The playground calls the token endpoint from the page itself (same origin).
    clientBasedCORS: (_ctx, requestOrigin) => requestOrigin === origin,
    // Only what the demo needs is enabled; everything else keeps oidc-provider's defaults.
  });
  provider.on('server_error', (_ctx, error) => console.error('demo AS server_error:', error));
  let registered = 0;

  /** POST /demo/register {jwks, client_id?, alg?} → the client's metadata and where to send tokens. */
  async function register(body) {
    const jwks = body?.jwks;
    if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0 || jwks.keys.length > 10) {
      return [400, { error: 'invalid_request', error_description: 'send {"jwks": {"keys": [...]}} with 1 to 10 public keys' }];
    }
    for (const jwk of jwks.keys) {
      if (!jwk || typeof jwk !== 'object' || ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((m) => m in jwk)) {
        return [400, { error: 'invalid_request', error_description: 'register public keys only (no private members)' }];
      }
    }
    if (registered >= MAX_CLIENTS) return [429, { error: 'too_many_clients', error_description: 'restart the demo server' }];
    const requested = typeof body.client_id === 'string' ? body.client_id.trim() : '';
    const clientId = /^[\w.:\-/]{1,100}$/.test(requested) ? requested : `demo-${crypto.randomBytes(6).toString('hex')}`;
    const metadata = {
      client_id: clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      jwks: { keys: jwks.keys },
      id_token_signed_response_alg: 'ES256', // the provider's own key; no ID tokens are issued here
    };
    if (ALGS.includes(body.alg)) metadata.token_endpoint_auth_signing_alg = body.alg;
    // Validate through oidc-provider itself before storing: a bad JWK is a 400, not a later 500.
    const { Client } = provider;
    try {
      await Client.validate(metadata);
    } catch (error) {
      return [400, { error: error.error ?? 'invalid_client_metadata', error_description: error.error_description ?? error.message }];
    }
    await new (createAdapter(records))('Client').upsert(clientId, metadata);
    registered += 1;
    return [201, { client_id: clientId, issuer, token_endpoint: `${issuer}/token`, client: metadata }];
  }

  return { provider, issuer, register, callback: provider.callback() };
}

// ---------------------------------------------------------------------------------------------

async function readJson(req, limit = 64 * 1024) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw Object.assign(new Error('body too large'), { status: 413 });
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('body is not JSON'), { status: 400 });
  }
}

let demo;
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    if (path === '/as' || path.startsWith('/as/')) {
      if (!demo) return sendJson(res, 503, { error: 'temporarily_unavailable' });
      req.originalUrl = req.url;
      req.url = req.url.slice(3) || '/';
      return demo.callback(req, res);
    }
    if (path === '/demo/register') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' });
      if (!demo) return sendJson(res, 503, { error: 'temporarily_unavailable' });
      const [status, body] = await demo.register(await readJson(req));
      return sendJson(res, status, body);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
    if (path.startsWith('/pkg/')) {
      const rel = path.slice('/pkg/'.length);
      if (!PKG_FILES.has(rel)) return send(res, 404, 'not found\n');
      return await serveFile(req, res, join(PKG, rel));
    }
    const file = inside(WWW, path.endsWith('/') ? `${path}index.html` : path);
    if (!file) return send(res, 404, 'not found\n');
    return await serveFile(req, res, file);
  } catch (error) {
    if (error.status) return sendJson(res, error.status, { error: 'invalid_request', error_description: error.message });
    console.error(error);
    if (!res.headersSent) sendJson(res, 500, { error: 'server_error' });
    else res.destroy();
  }
});

server.listen(port, host, async () => {
  const address = server.address();
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${hostPart}:${address.port}`;
  demo = await createDemoProvider(origin);
  console.log(`pkjwt playground: ${origin}/`);
  if (!args.quiet) {
    console.log(`  demo authorization server (oidc-provider): issuer ${demo.issuer}, token endpoint ${demo.issuer}/token`);
    console.log('  keys stay in the browser page; press Ctrl-C to stop');
  }
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.closeAllConnections?.();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 500).unref();
  });
}
