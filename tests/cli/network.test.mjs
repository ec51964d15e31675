// `pkjwt token` against a real token endpoint (panva's oidc-provider on 127.0.0.1, started with the
// JS suite's helper), and `pkjwt verify --jwks URL` against a local JWKS server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { decodeJwt } from 'pkjwt';
import { startProvider } from '../js/helpers/oidc-server.mjs';
import { hasStack, run, tempDir } from './helpers.mjs';

const tmp = tempDir();
const clientId = 'pkjwt-cli-client';
let op;
let keyFile;
let otherKeyFile;
let jwks;

before(async () => {
  keyFile = tmp.file('client.pem');
  otherKeyFile = tmp.file('other.pem');
  const made = await run(['keygen', '--alg', 'ES256', '--out', keyFile, '--json']);
  assert.equal(made.code, 0, made.stderr);
  jwks = JSON.parse(made.stdout).jwks;
  const other = await run(['keygen', '--alg', 'ES256', '--out', otherKeyFile]);
  assert.equal(other.code, 0, other.stderr);
  op = await startProvider({
    algorithms: ['ES256', 'RS256'],
    clients: [{
      client_id: clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      jwks,
    }],
  });
});

after(async () => {
  await op?.close();
  tmp.cleanup();
});

describe('pkjwt token against oidc-provider', () => {
  const base = () => ['token', '--token-endpoint', op.tokenEndpoint, '--client-id', clientId, '--aud', op.issuer];

  test('gets an access token (text and --json)', async () => {
    const text = await run([...base(), '--key', keyFile]);
    assert.equal(text.code, 0, text.stderr);
    const response = JSON.parse(text.stdout);
    assert.equal(typeof response.access_token, 'string');
    assert.equal(response.token_type, 'Bearer');

    const json = await run([...base(), '--key', keyFile, '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stdout.trim().split('\n').length, 1, '--json is one line');
    assert.equal(typeof JSON.parse(json.stdout).access_token, 'string');
  });

  test('a replayed jti is refused: exit 1, ERR_TOKEN_REQUEST_FAILED with the OAuth error', async () => {
    const jti = `cli-replay-${Date.now()}`;
    const first = await run([...base(), '--key', keyFile, '--jti', jti]);
    assert.equal(first.code, 0, first.stderr);
    const second = await run([...base(), '--key', keyFile, '--jti', jti]);
    assert.equal(second.code, 1);
    assert.equal(second.stdout, '');
    assert.match(second.stderr, /^pkjwt: ERR_TOKEN_REQUEST_FAILED: token endpoint answered 40\d: invalid_client/);
    assert.ok(!hasStack(second.stderr), second.stderr);
  });

  test('the wrong key is refused: exit 1; with --json the error carries status and error', async () => {
    const { code, stdout, stderr } = await run([...base(), '--key', otherKeyFile, '--json']);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    const { error } = JSON.parse(stderr);
    assert.equal(error.code, 'ERR_TOKEN_REQUEST_FAILED');
    assert.ok(error.status === 400 || error.status === 401, String(error.status));
    assert.equal(error.error, 'invalid_client');
  });

  test('an unreachable endpoint: exit 1, ERR_TOKEN_REQUEST_FAILED', async () => {
    const { code, stderr } = await run(['token', '--token-endpoint', 'http://127.0.0.1:9/token', '--client-id', clientId,
      '--aud', 'http://127.0.0.1:9', '--key', keyFile, '--timeout', '5']);
    assert.equal(code, 1);
    assert.match(stderr, /^pkjwt: ERR_TOKEN_REQUEST_FAILED: token request to http:\/\/127\.0\.0\.1:9\/token failed/);
  });

  test('--aud is required without an okta/entra preset', async () => {
    const { code, stderr } = await run(['token', '--token-endpoint', op.tokenEndpoint, '--client-id', clientId, '--key', keyFile]);
    assert.equal(code, 2);
    assert.match(stderr, /ERR_INVALID_ARGUMENT: --aud is required/);
  });

  test('--preset okta defaults aud to the token endpoint (oidc-provider accepts it too)', async () => {
    const { code, stdout, stderr } = await run(['token', '--preset', 'okta', '--token-endpoint', op.tokenEndpoint,
      '--client-id', clientId, '--key', keyFile]);
    assert.equal(code, 0, stderr);
    assert.equal(typeof JSON.parse(stdout).access_token, 'string');
  });
});

describe('pkjwt verify --jwks URL, and the form pkjwt token sends', () => {
  let server;
  let baseUrl;
  before(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(jwks));
      } else if (req.url === '/echo-token' && req.method === 'POST') {
        let body = '';
        req.setEncoding('utf8').on('data', (chunk) => { body += chunk; }).on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: 'echo', form: Object.fromEntries(new URLSearchParams(body)) }));
        });
      } else if (req.url === '/huge.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [], pad: 'x'.repeat(2 * 1024 * 1024) }));
      } else if (req.url === '/slow.json') {
        setTimeout(() => { res.writeHead(200); res.end(JSON.stringify(jwks)); }, 3000);
      } else {
        res.writeHead(404);
        res.end('not found');
      }
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${server.address().port}`;
  });
  after(async () => {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  });

  test('fetches the JWKS and verifies: exit 0; a token of another key: exit 1', async () => {
    const token = (await run(['sign', '--key', keyFile, '--client-id', clientId, '--aud', 'https://as.example.com'])).stdout.trim();
    assert.equal(decodeJwt(token).header.kid, jwks.keys[0].kid);
    const ok = await run(['verify', token, '--jwks', `${baseUrl}/jwks.json`, '--aud', 'https://as.example.com', '--client-id', clientId]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^valid: /m);

    const foreign = (await run(['sign', '--key', otherKeyFile, '--client-id', clientId, '--aud', 'https://as.example.com'])).stdout.trim();
    const bad = await run(['verify', foreign, '--jwks', `${baseUrl}/jwks.json`, '--aud', 'https://as.example.com', '--json']);
    assert.equal(bad.code, 1);
    const failed = JSON.parse(bad.stdout).checks.find((c) => c.status === 'failed');
    assert.equal(failed.check, 'key');
    assert.equal(failed.code, 'ERR_JWKS_NO_MATCHING_KEY');
  });

  test('token sends grant_type, --scope, --param, client_id and a fresh assertion', async () => {
    const { code, stdout, stderr } = await run(['token', '--token-endpoint', `${baseUrl}/echo-token`, '--client-id', 'c',
      '--aud', 'https://as', '--key', keyFile, '--scope', 'api read', '--param', 'resource=https://api', '--param', 'x=1=2']);
    assert.equal(code, 0, stderr);
    const { form } = JSON.parse(stdout);
    assert.equal(form.grant_type, 'client_credentials');
    assert.equal(form.scope, 'api read');
    assert.equal(form.resource, 'https://api');
    assert.equal(form.x, '1=2');
    assert.equal(form.client_id, 'c');
    assert.equal(form.client_assertion_type, 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    assert.equal(decodeJwt(form.client_assertion).payload.aud, 'https://as');
    const reserved = await run(['token', '--token-endpoint', `${baseUrl}/echo-token`, '--client-id', 'c',
      '--aud', 'https://as', '--key', keyFile, '--param', 'client_assertion=x']);
    assert.equal(reserved.code, 2);
  });

  test('a 404, an oversized JWKS and a timeout are I/O errors: exit 3', async () => {
    const token = (await run(['sign', '--key', keyFile, '--client-id', clientId, '--aud', 'https://as'])).stdout.trim();
    const cases = [
      ['/missing.json', [], /HTTP 404/],
      ['/huge.json', [], /larger than 1048576 bytes/],
      ['/slow.json', ['--timeout', '1'], /no answer within 1 s/],
    ];
    for (const [route, extra, message] of cases) {
      const { code, stderr } = await run(['verify', token, '--jwks', `${baseUrl}${route}`, '--aud', 'https://as', ...extra]);
      assert.equal(code, 3, `${route}: ${stderr}`);
      assert.match(stderr, /^pkjwt: ERR_IO: /);
      assert.match(stderr, message);
    }
  });
});

test('keygen wrote the client key with mode 0600', () => {
  assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
});
