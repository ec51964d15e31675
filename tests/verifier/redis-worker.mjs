// One server instance of the multi-process replay test: a ClientAssertionVerifier on the shared
// redis-server. Reads one JSON line { url, issuer, clientId, jwks, token, count } on stdin, waits
// for the line "go", submits the assertion `count` times concurrently and prints
// { accepted, rejected: { code: n } } as JSON.
import { createInterface } from 'node:readline';
import { createClient } from 'redis';
import { ClientAssertionVerifier, createRedisReplayStore } from 'pkjwt';

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const config = JSON.parse((await lines.next()).value);
const client = createClient({ url: config.url, disableOfflineQueue: true });
client.on('error', () => {});
await client.connect();
const verifier = new ClientAssertionVerifier({
  issuer: config.issuer,
  getClient: (id) => (id === config.clientId ? { jwks: config.jwks } : undefined),
  replayStore: createRedisReplayStore(client),
});
process.stdout.write('ready\n');
await lines.next(); // "go"
const results = await Promise.allSettled(Array.from({ length: config.count }, () => verifier.verify(config.token)));
const rejected = {};
for (const result of results) {
  if (result.status === 'rejected') rejected[result.reason.code] = (rejected[result.reason.code] ?? 0) + 1;
}
process.stdout.write(`${JSON.stringify({ accepted: results.filter((r) => r.status === 'fulfilled').length, rejected })}\n`);
await client.quit();
process.exit(0);
