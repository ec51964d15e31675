// createRedisReplayStore on a real redis-server (the Debian package, installed by
// scripts/setup.sh), started by this file on a free loopback port without persistence: one
// SET NX PXAT round trip per check, expiry at exp + tolerance, 4 Node processes sharing it with
// 200 concurrent submissions of one assertion (exactly one accepted), and failing closed when
// Redis is gone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { ClientAssertionVerifier, PkjwtError, createRedisReplayStore } from 'pkjwt';
import { rejectsPkjwt } from '../js/helpers/assert.mjs';
import { ISSUER, makeClient, startRedis } from './helpers.mjs';

const alice = makeClient('alice', 'ES256', 'alice-1');
const getClient = (id) => (id === 'alice' ? { jwks: alice.jwks } : undefined);

let redis;
let client;
before(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url, disableOfflineQueue: true });
  client.on('error', () => {});
  await client.connect();
});
after(async () => {
  await client?.quit().catch(() => {});
  await redis?.stop();
});

/** Calls per command since the last CONFIG RESETSTAT, from INFO commandstats. */
async function commandCalls() {
  const info = await client.sendCommand(['INFO', 'commandstats']);
  const calls = {};
  for (const match of String(info).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[match[1]] = Number(match[2]);
  return calls;
}

describe('createRedisReplayStore', () => {
  test('exactly one SET key value NX PXAT round trip per check', async () => {
    const store = createRedisReplayStore(client);
    const verifier = new ClientAssertionVerifier({ issuer: ISSUER, getClient, replayStore: store });
    const tokens = Array.from({ length: 5 }, () => alice.assertion());
    await client.sendCommand(['CONFIG', 'RESETSTAT']);
    for (const token of tokens) await verifier.verify(token);
    await rejectsPkjwt(verifier.verify(tokens[0]), 'ERR_JWT_REPLAYED');
    const calls = await commandCalls();
    delete calls['config|resetstat'];
    assert.deepEqual(calls, { set: 6 });
  });

  test('keys are prefix + JSON [clientId, jti], expiring at exp + tolerance (PXAT)', async () => {
    const store = createRedisReplayStore(client, { prefix: 'test:' });
    const verifier = new ClientAssertionVerifier({ issuer: ISSUER, getClient, replayStore: store, clockTolerance: 20 });
    const token = alice.assertion({ jti: 'jti-1' });
    const { payload } = await verifier.verify(token);
    const key = `test:${JSON.stringify(['alice', 'jti-1'])}`;
    assert.equal(await client.sendCommand(['GET', key]), '1');
    assert.equal(Number(await client.sendCommand(['PEXPIRETIME', key])), (payload.exp + 20) * 1000);
    // setIfAbsent directly: true once, then false until it expires.
    const later = Date.now() + 60_000;
    assert.equal(await store.setIfAbsent('direct', later), true);
    assert.equal(await store.setIfAbsent('direct', later), false);
    assert.equal(await store.setIfAbsent('soon', Date.now() + 50), true);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(await store.setIfAbsent('soon', Date.now() + 60_000), true, 'an expired key is absent again');
  });

  test('arguments are checked', async () => {
    assert.throws(() => createRedisReplayStore({}), (e) => e instanceof PkjwtError && e.code === 'ERR_INVALID_ARGUMENT');
    assert.throws(() => createRedisReplayStore(client, { prefix: 1 }), (e) => e.code === 'ERR_INVALID_ARGUMENT');
    assert.throws(() => createRedisReplayStore(client, { ttl: 1 }), (e) => e.code === 'ERR_INVALID_ARGUMENT');
    const store = createRedisReplayStore(client);
    await rejectsPkjwt(store.setIfAbsent(1, Date.now()), 'ERR_INVALID_ARGUMENT');
    await rejectsPkjwt(store.setIfAbsent('k', NaN), 'ERR_INVALID_ARGUMENT');
  });

  test('4 Node processes on one Redis, 200 concurrent submissions of one assertion: exactly one accepted', async () => {
    const token = alice.assertion();
    const worker = fileURLToPath(new URL('./redis-worker.mjs', import.meta.url));
    const children = Array.from({ length: 4 }, () => spawn(process.execPath, [worker], { stdio: ['pipe', 'pipe', 'inherit'] }));
    try {
      const outputs = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
      for (const child of children) {
        child.stdin.write(`${JSON.stringify({ url: redis.url, issuer: ISSUER, clientId: 'alice', jwks: alice.jwks, token, count: 50 })}\n`);
      }
      for (const output of outputs) assert.equal((await output.next()).value, 'ready');
      for (const child of children) child.stdin.write('go\n');
      const results = await Promise.all(outputs.map(async (output) => JSON.parse((await output.next()).value)));
      const accepted = results.reduce((sum, r) => sum + r.accepted, 0);
      const replayed = results.reduce((sum, r) => sum + (r.rejected.ERR_JWT_REPLAYED ?? 0), 0);
      assert.equal(accepted, 1, JSON.stringify(results));
      assert.equal(replayed, 199, JSON.stringify(results));
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill();
    }
  });

  test('Redis gone: verify fails closed with ERR_VERIFIER_UNAVAILABLE, a 500', async () => {
    const own = await startRedis();
    const shortLived = createClient({ url: own.url, disableOfflineQueue: true, socket: { reconnectStrategy: false } });
    shortLived.on('error', () => {});
    await shortLived.connect();
    const verifier = new ClientAssertionVerifier({ issuer: ISSUER, getClient, replayStore: createRedisReplayStore(shortLived) });
    await verifier.verify(alice.assertion());
    await own.stop();
    await new Promise((r) => setTimeout(r, 100));
    const error = await rejectsPkjwt(verifier.verify(alice.assertion()), 'ERR_VERIFIER_UNAVAILABLE');
    const response = verifier.errorResponse(error);
    assert.equal(response.status, 500);
    assert.equal(response.body.error, 'server_error');
    await shortLived.destroy?.();
  });
});
