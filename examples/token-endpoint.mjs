// A minimal OAuth 2.0 token endpoint (client_credentials) that authenticates clients with
// private_key_jwt through pkjwt's ClientAssertionVerifier. Run by tests/verifier/example.test.mjs.
//
//   ISSUER=http://127.0.0.1:3000 CLIENTS='{"my-client":{"jwksUri":"https://my-client.example/jwks"}}' \
//     node examples/token-endpoint.mjs
//
// CLIENTS maps client ids to ClientRecords ({ jwks } or { jwksUri }, optional algorithm); in a
// real server getClient reads your client registry. REDIS_URL shares replay detection between
// instances; without it each instance keeps its own in-memory ReplayCache.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { CLIENT_ASSERTION_TYPE, ClientAssertionVerifier, createRedisReplayStore } from 'pkjwt';

const port = Number(process.env.PORT ?? 3000);
const issuer = process.env.ISSUER ?? `http://127.0.0.1:${port}`;
const clients = new Map(Object.entries(JSON.parse(process.env.CLIENTS ?? '{}')));

let replayStore; // default: an in-memory ReplayCache
if (process.env.REDIS_URL) {
  const { createClient } = await import('redis');
  // No offline queue: when Redis is down, verify fails closed at once instead of waiting.
  const redis = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
  redis.on('error', (error) => console.error('redis:', error.message));
  await redis.connect();
  replayStore = createRedisReplayStore(redis);
}

const verifier = new ClientAssertionVerifier({
  issuer,
  getClient: (clientId) => clients.get(clientId),
  replayStore,
});

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readForm(req, limit = 64 * 1024) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || new URL(req.url, issuer).pathname !== '/token') {
    return send(res, 404, { error: 'not_found' });
  }
  if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
    return send(res, 400, { error: 'invalid_request', error_description: 'send an application/x-www-form-urlencoded body' });
  }
  let form;
  try {
    form = await readForm(req);
  } catch {
    return send(res, 413, { error: 'invalid_request', error_description: 'request body too large' });
  }
  for (const name of ['grant_type', 'client_id', 'client_assertion', 'client_assertion_type']) {
    if (form.getAll(name).length > 1) return send(res, 400, { error: 'invalid_request', error_description: `${name} is repeated` });
  }
  if (form.get('client_assertion_type') !== CLIENT_ASSERTION_TYPE || !form.get('client_assertion')) {
    return send(res, 401, { error: 'invalid_client', error_description: 'authenticate with private_key_jwt' },
      { 'www-authenticate': `private_key_jwt realm="${issuer}"` });
  }

  let clientId;
  try {
    ({ clientId } = await verifier.verify(form.get('client_assertion'), { clientId: form.get('client_id') ?? undefined }));
  } catch (error) {
    const { status, headers, body } = verifier.errorResponse(error);
    // Log the details for the operator; the client gets only the safe description.
    console.error(`client authentication failed: ${error.code ?? error.name}: ${error.message}`);
    return send(res, status, body, headers);
  }

  console.log(`authenticated client ${JSON.stringify(clientId)}`);
  if (form.get('grant_type') !== 'client_credentials') {
    return send(res, 400, { error: 'unsupported_grant_type' });
  }
  // Issue whatever your server issues; an opaque random token here.
  return send(res, 200, {
    access_token: randomBytes(32).toString('base64url'),
    token_type: 'Bearer',
    expires_in: 300,
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`token endpoint listening: http://127.0.0.1:${server.address().port}/token (issuer ${issuer})`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
