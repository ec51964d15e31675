// A real authorization server for the interop tests: panva's oidc-provider (v9) on 127.0.0.1 at an
// ephemeral port, with the client_credentials grant and a tiny in-memory adapter whose records
// the tests can inspect (e.g. oidc-provider's own ReplayDetection entries).
import http from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

/** Every record the provider stored, as `${model}:${id}` -> payload. */
function createAdapter(records) {
  return class MapAdapter {
    constructor(model) { this.model = model; }
    key(id) { return `${this.model}:${id}`; }
    async upsert(id, payload) { records.set(this.key(id), { ...payload }); }
    async find(id) { return records.get(this.key(id)); }
    async findByUid(uid) {
      for (const [key, value] of records) if (key.startsWith(`${this.model}:`) && value.uid === uid) return value;
      return undefined;
    }
    async findByUserCode(userCode) {
      for (const [key, value] of records) if (key.startsWith(`${this.model}:`) && value.userCode === userCode) return value;
      return undefined;
    }
    async consume(id) { const value = records.get(this.key(id)); if (value) value.consumed = Math.floor(Date.now() / 1000); }
    async destroy(id) { records.delete(this.key(id)); }
    async revokeByGrantId(grantId) {
      for (const [key, value] of records) if (value.grantId === grantId) records.delete(key);
    }
  };
}

/**
 * Starts oidc-provider with `clients` and client authentication `algorithms`, plus any extra
 * `features` (e.g. requestObjects); resolves to { issuer, tokenEndpoint, discovery, records, close }.
 */
export async function startProvider({ clients, algorithms, features = {} }) {
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  // The provider's own signing key (ID tokens are never issued here, but the keystore needs one).
  const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await jose.exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'op-es256' };
  const records = new Map();

  const provider = new Provider(issuer, {
    adapter: createAdapter(records),
    clients: clients.map((client) => ({ id_token_signed_response_alg: 'ES256', ...client })),
    jwks: { keys: [signingKey] },
    cookies: { keys: ['pkjwt-test-cookie-key-0123456789abcdef'] },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      ...features,
    },
    enabledJWA: { clientAuthSigningAlgValues: algorithms },
    ttl: { ClientCredentials: 600 },
  });
  server.on('request', provider.callback());

  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  return {
    issuer,
    tokenEndpoint: discovery.token_endpoint,
    discovery,
    records,
    provider,
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** POSTs a form to `url`; resolves to { status, body } with the body parsed as JSON when it is. */
export async function postForm(url, fields) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields),
  });
  const text = await response.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: response.status, body };
}
