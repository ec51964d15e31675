// Shared parts of the ClientAssertionVerifier tests: keys, assertions, an in-process JWKS server
// whose behaviour each test sets, and a real redis-server on a free loopback port.
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { createServer } from 'node:http';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { createClientAssertion, generateKey, toJwks } from 'pkjwt';

export const ISSUER = 'https://as.example.test';
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A client: its private key(s), public JWKS, and a function minting assertions. */
export function makeClient(clientId, alg = 'ES256', kid = undefined) {
  const key = generateKey(alg, kid === undefined ? undefined : { kid });
  return {
    clientId,
    key,
    jwks: toJwks([key]),
    assertion: (opts = {}) => createClientAssertion({ clientId, audience: ISSUER, key, ...opts }),
  };
}

/** Resolves when the HTTP server listens on a loopback port. */
function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

/**
 * A JWKS server on 127.0.0.1. `handler(req, res, count)` answers each request; the default
 * serves `state.jwks` as JSON. `requests` counts the requests per path.
 */
export async function startJwksServer() {
  const state = {
    jwks: { keys: [] },
    headers: {},
    handler: undefined,
    requests: 0,
    byPath: new Map(),
  };
  const sockets = new Set();
  const server = createServer((req, res) => {
    state.requests += 1;
    state.byPath.set(req.url, (state.byPath.get(req.url) ?? 0) + 1);
    if (state.handler) return state.handler(req, res, state.requests);
    res.writeHead(200, { 'content-type': 'application/jwk-set+json', ...state.headers });
    res.end(JSON.stringify(state.jwks));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);
  return {
    state,
    url: (p = '/jwks') => `http://127.0.0.1:${port}${p}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** The path of redis-server, or undefined when it is not installed. */
export function redisServerPath() {
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next
    }
  }
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a private redis-server on a free loopback port, without persistence, and resolves to
 * { url, port, stop() } once it accepts connections.
 */
export async function startRedis() {
  const binary = redisServerPath();
  if (!binary) throw new Error('redis-server is not installed: run bash scripts/setup.sh');
  const dir = mkdtempSync(path.join(tmpdir(), 'pkjwt-redis-'));
  for (let attempt = 0; ; attempt += 1) {
    const port = await freePort();
    const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--dir', dir, '--protected-mode', 'yes', '--loglevel', 'warning'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const ready = await waitForPort(port, 10_000, exited);
    if (ready) {
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        async stop() {
          child.kill('SIGTERM');
          await exited;
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
    await exited;
    if (attempt >= 2) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start: ${output}`);
    }
  }
}

async function waitForPort(port, timeoutMs, exited) {
  let gone = false;
  exited.then(() => { gone = true; });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.write('PING\r\n');
        socket.once('data', (data) => {
          socket.destroy();
          resolve(data.toString().startsWith('+PONG'));
        });
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await sleep(50);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Forging tokens for the attack catalogue (node:crypto signs whatever header and payload it is
// given; pkjwt's own signer would refuse most of these).

const b64u = (data) => Buffer.from(data).toString('base64url');

/** A compact JWS of `header` and `payload` (objects, or raw JSON text), signed by `sign`. */
export function forge(header, payload, sign = () => Buffer.alloc(0)) {
  const h = b64u(typeof header === 'string' ? header : JSON.stringify(header));
  const p = b64u(typeof payload === 'string' ? payload : JSON.stringify(payload));
  const input = Buffer.from(`${h}.${p}`, 'ascii');
  return `${h}.${p}.${b64u(sign(input))}`;
}

const HASH = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512', PS256: 'sha256', PS384: 'sha384', PS512: 'sha512', ES256: 'sha256', ES384: 'sha384' };

/** A node:crypto signer for a pkjwt private Key under `alg`. */
export function nodeSigner(key, alg, { der = false } = {}) {
  const privateKey = crypto.createPrivateKey(key.toPem());
  return (input) => {
    if (alg === 'EdDSA' || alg === 'Ed25519') return crypto.sign(null, input, privateKey);
    const opts = { key: privateKey };
    if (alg.startsWith('PS')) Object.assign(opts, { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 });
    if (alg.startsWith('ES')) opts.dsaEncoding = der ? 'der' : 'ieee-p1363';
    return crypto.sign(HASH[alg], input, opts);
  };
}

/** Claims of a valid assertion for `clientId`. */
export function claims(clientId, extra = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: clientId, sub: clientId, aud: ISSUER, iat: now, exp: now + 60, jti: crypto.randomUUID(), ...extra };
}

/** Asserts errorResponse(error) is the 401 invalid_client answer, safe for the given token. */
export function assertClientError(v, error, token) {
  const response = v.errorResponse(error);
  assert.equal(response.status, 401, `${error.code}: ${error.message}`);
  assert.equal(response.body.error, 'invalid_client');
  assert.match(response.body.error_description, /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
  assert.match(response.headers['www-authenticate'], /^private_key_jwt realm="[^"\\]*", error="invalid_client", error_description="[^"\\]+"$/);
  assert.equal(response.headers['cache-control'], 'no-store');
  if (typeof token === 'string' && token.length >= 16) {
    for (const part of token.split('.')) {
      if (part.length >= 16) assert.ok(!response.body.error_description.includes(part.slice(0, 16)), 'the token is echoed');
    }
  }
  return response;
}

