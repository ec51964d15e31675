// ClientAssertionVerifier with remote JWK Sets, served by an in-process HTTP server on 127.0.0.1:
// caching, Cache-Control, rotation, cooldown, coalescing, timeouts, slow and oversize bodies,
// redirects, failing refetches and the URL policy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientAssertionVerifier, createClientAssertion, generateKey, toJwks } from 'pkjwt';
import { rejectsPkjwt } from '../js/helpers/assert.mjs';
import { ISSUER, sleep, startJwksServer } from './helpers.mjs';

const keyA = generateKey('ES256', { kid: 'A' });
const keyB = generateKey('ES256', { kid: 'B' });
const clientId = 'remote-client';

let server;
before(async () => { server = await startJwksServer(); });
after(async () => { await server?.close(); });

function reset(jwks = toJwks([keyA])) {
  server.state.jwks = jwks;
  server.state.headers = {};
  server.state.handler = undefined;
  server.state.requests = 0;
  server.state.byPath.clear();
}

function verifier(extra = {}, uri = server.url()) {
  return new ClientAssertionVerifier({ issuer: ISSUER, getClient: (id) => (id === clientId ? { jwksUri: uri } : undefined), ...extra });
}

const assertion = (key = keyA, opts = {}) => createClientAssertion({ clientId, audience: ISSUER, key, ...opts });

describe('remote JWKS: caching', () => {
  test('fetched once, then served from the cache', async () => {
    reset();
    const v = verifier();
    for (let i = 0; i < 10; i += 1) await v.verify(assertion());
    assert.equal(server.state.requests, 1);
  });

  test('concurrent verifications on a cold cache share one fetch', async () => {
    reset();
    const jwks = toJwks([keyA]);
    server.state.handler = (req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(jwks));
      }, 200);
    };
    const v = verifier();
    const results = await Promise.all(Array.from({ length: 20 }, () => v.verify(assertion())));
    assert.equal(results.length, 20);
    assert.equal(server.state.requests, 1);
  });

  test('the cache lasts jwksCacheTtl; Cache-Control max-age is honoured within [60 s, 24 h]', async () => {
    let t = Date.now();
    const clock = () => t;
    const check = async (headers, opts, steps) => {
      reset();
      server.state.headers = headers;
      const v = verifier({ clock, ...opts });
      const start = t;
      for (const [offsetSeconds, expectedRequests] of steps) {
        t = start + offsetSeconds * 1000;
        await v.verify(assertion(keyA, { now: Math.floor(t / 1000) }));
        assert.equal(server.state.requests, expectedRequests, `${JSON.stringify(headers)} at +${offsetSeconds} s`);
      }
    };
    await check({}, {}, [[0, 1], [599, 1], [601, 2]]);
    await check({}, { jwksCacheTtl: 100 }, [[0, 1], [99, 1], [101, 2]]);
    await check({ 'cache-control': 'public, max-age=3600' }, {}, [[0, 1], [700, 1], [3601, 2]]);
    await check({ 'cache-control': 'max-age=5' }, {}, [[0, 1], [30, 1], [61, 2]]);
    await check({ 'cache-control': 'no-store' }, {}, [[0, 1], [59, 1], [61, 2]]);
    await check({ 'cache-control': 'max-age=999999' }, {}, [[0, 1], [86_399, 1], [86_401, 2]]);
  });
});

describe('remote JWKS: rotation and cooldown', () => {
  test('a new kid is accepted after exactly one refetch once the cooldown has passed', async () => {
    reset();
    const v = verifier({ jwksCooldown: 0.5 });
    await v.verify(assertion(keyA));
    assert.equal(server.state.requests, 1);
    server.state.jwks = toJwks([keyA, keyB]);
    // Within the cooldown: no refetch, the kid is unknown.
    await rejectsPkjwt(v.verify(assertion(keyB)), 'ERR_JWKS_NO_MATCHING_KEY');
    assert.equal(server.state.requests, 1);
    await sleep(600);
    await v.verify(assertion(keyB));
    assert.equal(server.state.requests, 2);
    await v.verify(assertion(keyA));
    await v.verify(assertion(keyB));
    assert.equal(server.state.requests, 2);
  });

  test('100 unknown kids: no fetch within the cooldown (default 30 s)', async () => {
    reset();
    const v = verifier();
    await v.verify(assertion(keyA));
    const strangers = Array.from({ length: 100 }, (_, i) => generateKey('ES256', { kid: `stranger-${i}` }));
    const results = await Promise.allSettled(strangers.map((key) => v.verify(assertion(key))));
    for (const result of results) assert.equal(result.reason?.code, 'ERR_JWKS_NO_MATCHING_KEY');
    assert.equal(server.state.requests, 1);
  });

  test('unknown kids for a while: at most one fetch per cooldown window', async () => {
    reset();
    const cooldown = 0.25;
    const v = verifier({ jwksCooldown: cooldown });
    await v.verify(assertion(keyA));
    const stranger = generateKey('ES256', { kid: 'stranger' });
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < 1000) {
      await Promise.allSettled(Array.from({ length: 10 }, () => v.verify(assertion(stranger))));
      sent += 10;
      await sleep(10);
    }
    const elapsed = (Date.now() - started) / 1000;
    const windows = Math.ceil(elapsed / cooldown);
    assert.ok(sent >= 100, `sent ${sent}`);
    assert.ok(server.state.requests - 1 <= windows, `${server.state.requests - 1} refetches in ${windows} windows`);
    assert.ok(server.state.requests >= 2, 'refetches do happen once the cooldown has passed');
  });

  test('a failing refetch: the last good keys serve until the TTL has run out twice over', async () => {
    reset();
    let t = Date.now();
    const v = verifier({ clock: () => t, jwksCacheTtl: 100, jwksCooldown: 0 });
    const at = (seconds) => { t += seconds * 1000; return assertion(keyA, { now: Math.floor(t / 1000) }); };
    await v.verify(at(0));
    assert.equal(server.state.requests, 1);
    server.state.handler = (req, res) => { res.writeHead(503); res.end('down'); };
    await v.verify(at(150)); // stale: the refetch fails, the last good keys serve
    assert.equal(server.state.requests, 2);
    await v.verify(at(45)); // +195 s
    assert.equal(server.state.requests, 3);
    const error = await rejectsPkjwt(v.verify(at(10)), 'ERR_JWKS_FETCH_FAILED'); // +205 s: over 2 × TTL
    assert.match(error.message, /503/);
    assert.ok(error.cause instanceof Error);
    // Back up: served again.
    reset();
    await v.verify(at(1));
  });

  test('a failed first fetch is not retried within the cooldown', async () => {
    reset();
    server.state.handler = (req, res) => { res.writeHead(500); res.end(); };
    const v = verifier();
    await rejectsPkjwt(v.verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
    await rejectsPkjwt(v.verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
    assert.equal(server.state.requests, 1);
  });

  test('a refetch after an unknown kid that fails is ERR_JWKS_FETCH_FAILED', async () => {
    reset();
    const v = verifier({ jwksCooldown: 0 });
    await v.verify(assertion(keyA));
    server.state.handler = (req, res) => { res.writeHead(500); res.end(); };
    const error = await rejectsPkjwt(v.verify(assertion(keyB)), 'ERR_JWKS_FETCH_FAILED');
    assert.equal(v.errorResponse(error).status, 401);
    await v.verify(assertion(keyA)); // still within the TTL: the known key keeps working
  });
});

describe('remote JWKS: hostile or broken servers', () => {
  test('a server that never answers: ERR_JWKS_FETCH_FAILED after jwksTimeout', async () => {
    reset();
    server.state.handler = () => {}; // never answers
    const v = verifier({ jwksTimeout: 0.3 });
    const started = Date.now();
    const error = await rejectsPkjwt(v.verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 3000, `${elapsed} ms`);
    assert.match(error.message, /timed out/);
  });

  test('a slow body: the timeout covers the whole fetch, body included', async () => {
    reset();
    server.state.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"keys":[');
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    };
    const v = verifier({ jwksTimeout: 0.4 });
    const started = Date.now();
    const error = await rejectsPkjwt(v.verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
    assert.ok(Date.now() - started < 3000);
    assert.match(error.message, /timed out/);
  });

  test('an oversize body is refused: with Content-Length, and without it (even an endless one)', async () => {
    const big = JSON.stringify({ keys: [...toJwks([keyA]).keys, ...Array.from({ length: 200 }, (_, i) => ({ kty: 'EC', kid: `pad-${i}`, crv: 'P-256', x: 'x'.repeat(43), y: 'y'.repeat(43), use: 'enc' }))] });
    reset();
    server.state.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) });
      res.end(big);
    };
    let error = await rejectsPkjwt(verifier({ jwksMaxBytes: 4096 }).verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
    assert.match(error.message, /over the limit/);

    reset();
    server.state.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no Content-Length
      res.end(big);
    };
    error = await rejectsPkjwt(verifier({ jwksMaxBytes: 4096 }).verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
    assert.match(error.message, /over the limit/);
    await verifier({ jwksMaxBytes: 1_000_000 }).verify(assertion()); // the same body under a larger cap

    reset();
    let written = 0;
    server.state.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    };
    const started = Date.now();
    error = await rejectsPkjwt(verifier({ jwksMaxBytes: 64 * 1024, jwksTimeout: 10 }).verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
    assert.match(error.message, /over the limit/);
    assert.ok(Date.now() - started < 5000, 'refused long before the timeout');
  });

  test('redirects are not followed', async () => {
    reset();
    server.state.handler = (req, res) => {
      if (req.url === '/moved') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(toJwks([keyA])));
        return;
      }
      res.writeHead(302, { location: server.url('/moved') });
      res.end();
    };
    const error = await rejectsPkjwt(verifier().verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
    assert.match(error.message, /redirect/);
    assert.equal(server.state.byPath.get('/moved'), undefined);
  });

  test('bodies that are not a JWK Set are ERR_JWKS_FETCH_FAILED', async () => {
    const bodies = ['not json', '[]', '{"keys":{}}', '{"keys":[1]}', '{"keys":[],"keys":[]}', '\xff\xfe', ''];
    for (const body of bodies) {
      reset();
      server.state.handler = (req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(Buffer.from(body, 'latin1')); };
      const v = verifier();
      const error = await rejectsPkjwt(v.verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
      assert.equal(v.errorResponse(error).status, 401, body);
      assert.ok(error.cause, body);
    }
    for (const status of [404, 500]) {
      reset();
      server.state.handler = (req, res) => { res.writeHead(status); res.end(JSON.stringify(toJwks([keyA]))); };
      await rejectsPkjwt(verifier().verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
    }
  });

  test('only https: URLs, or http: to loopback; anything else is refused before any request', async () => {
    const calls = [];
    const recording = async (url) => { calls.push(url); throw new Error('offline'); };
    const refused = ['http://example.com/jwks', 'http://10.0.0.1/jwks', 'http://169.254.169.254/latest', 'http://localhost.evil.example/jwks',
      'http://[::ffff:127.0.0.1]/jwks', 'ftp://127.0.0.1/jwks', 'file:///etc/passwd', 'data:application/json,{"keys":[]}',
      'https://user:secret@client.example/jwks', 'jwks.json', '//client.example/jwks'];
    for (const uri of refused) {
      const v = verifier({ fetch: recording }, uri);
      const error = await rejectsPkjwt(v.verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
      assert.equal(v.errorResponse(error).status, 401);
    }
    assert.deepEqual(calls, []);
    const allowed = ['https://client.example/jwks', 'http://127.0.0.1:9/jwks', 'http://127.8.9.10/jwks', 'http://localhost:9/jwks', 'http://[::1]:9/jwks', 'HTTP://LOCALHOST/jwks'];
    for (const uri of allowed) {
      await rejectsPkjwt(verifier({ fetch: recording }, uri).verify(assertion()), 'ERR_JWKS_FETCH_FAILED');
    }
    assert.equal(calls.length, allowed.length);
  });

  test('the fetch option is used, with redirect: manual', async () => {
    reset();
    const inits = [];
    const v = verifier({ fetch: (url, init) => { inits.push(init); return fetch(url, init); } });
    await v.verify(assertion());
    assert.equal(inits.length, 1);
    assert.equal(inits[0].redirect, 'manual');
    assert.ok(inits[0].signal instanceof AbortSignal);
  });
});
