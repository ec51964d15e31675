// Runs examples/token-endpoint.mjs (the "Running a token endpoint" example of the docs) as real
// processes and talks to it over HTTP: requestToken succeeds with an inline and a remote JWK Set,
// a replay and bad assertions get 401 invalid_client, and two instances sharing one Redis accept
// one assertion exactly once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CLIENT_ASSERTION_TYPE, generateKey, requestToken, toJwks, createClientAssertion } from 'pkjwt';
import { rejectsPkjwt } from '../js/helpers/assert.mjs';
import { ISSUER, startJwksServer, startRedis } from './helpers.mjs';

const example = fileURLToPath(new URL('../../examples/token-endpoint.mjs', import.meta.url));
const inlineKey = generateKey('ES256');
const remoteKey = generateKey('EdDSA');

const started = [];
/** Starts the example; resolves to its token endpoint URL once it listens. */
async function startExample(env) {
  const child = spawn(process.execPath, [example], {
    env: { ...process.env, PORT: '0', ISSUER, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const logs = [];
  child.stderr.on('data', (chunk) => logs.push(String(chunk)));
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /listening: (\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the example exited with ${code}: ${logs.join('')}`)));
  });
  return { url, logs };
}

const post = (url, form) => fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(form),
});

let jwksServer;
let endpoint;
before(async () => {
  jwksServer = await startJwksServer();
  jwksServer.state.jwks = toJwks([remoteKey]);
  const clients = { inline: { jwks: toJwks([inlineKey]) }, remote: { jwksUri: jwksServer.url('/jwks'), algorithm: 'EdDSA' } };
  endpoint = await startExample({ CLIENTS: JSON.stringify(clients) });
});
after(async () => {
  for (const child of started) if (child.exitCode === null) child.kill();
  await jwksServer?.close();
});

describe('examples/token-endpoint.mjs', () => {
  test('requestToken gets an access token, with inline and remote keys', async () => {
    for (const [clientId, key] of [['inline', inlineKey], ['remote', remoteKey]]) {
      const response = await requestToken({ tokenEndpoint: endpoint.url, clientId, key, audience: ISSUER, params: { grant_type: 'client_credentials' } });
      assert.equal(response.token_type, 'Bearer');
      assert.equal(typeof response.access_token, 'string');
    }
    assert.equal(jwksServer.state.requests, 1);
  });

  test('a replay, a wrong audience, an unknown client: 401 invalid_client, WWW-Authenticate set', async () => {
    const assertion = createClientAssertion({ clientId: 'inline', audience: ISSUER, key: inlineKey });
    const form = { grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion };
    assert.equal((await post(endpoint.url, form)).status, 200);
    const cases = [
      form,
      { ...form, client_assertion: createClientAssertion({ clientId: 'inline', audience: `${ISSUER}/token`, key: inlineKey }) },
      { ...form, client_assertion: createClientAssertion({ clientId: 'nobody', audience: ISSUER, key: inlineKey }) },
      { ...form, client_id: 'remote', client_assertion: createClientAssertion({ clientId: 'inline', audience: ISSUER, key: inlineKey }) },
      { grant_type: 'client_credentials' },
    ];
    for (const body of cases) {
      const response = await post(endpoint.url, body);
      assert.equal(response.status, 401);
      assert.ok(response.headers.get('www-authenticate'));
      const json = await response.json();
      assert.equal(json.error, 'invalid_client');
      assert.ok(!json.error_description.includes(body.client_assertion?.slice(0, 20) ?? '\u0000'));
    }
    await rejectsPkjwt(requestToken({ tokenEndpoint: endpoint.url, clientId: 'inline', key: generateKey('ES256'), audience: ISSUER, params: { grant_type: 'client_credentials' } }), 'ERR_TOKEN_REQUEST_FAILED', { status: 401, error: 'invalid_client' });
  });

  test('two instances sharing one Redis accept an assertion exactly once', async () => {
    const redis = await startRedis();
    try {
      const clients = JSON.stringify({ inline: { jwks: toJwks([inlineKey]) } });
      const [a, b] = await Promise.all([startExample({ CLIENTS: clients, REDIS_URL: redis.url }), startExample({ CLIENTS: clients, REDIS_URL: redis.url })]);
      const assertion = createClientAssertion({ clientId: 'inline', audience: ISSUER, key: inlineKey });
      const form = { grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion };
      const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) => post((i % 2 ? a : b).url, form)))).map((r) => r.status);
      assert.deepEqual(statuses.sort(), [200, ...Array(9).fill(401)]);
    } finally {
      for (const child of started.splice(1)) child.kill();
      await redis.stop();
    }
  });
});
