// An FTN-style OpenID Provider for the issue-8 flow tests: panva's oidc-provider (v9) on 127.0.0.1
// at an ephemeral port, configured the way the Finnish Trust Network brokers (Idura and others)
// configure their relying parties:
//   - request objects required (require_signed_request_object, RS256), also through PAR;
//   - private_key_jwt client authentication with RS256;
//   - ID tokens and userinfo signed RS256 by the provider, then encrypted to the client's own
//     `use: "enc"` key (RSA-OAEP-256 with A128CBC-HS256 or A256GCM);
//   - userinfo as a JWT (features.jwtUserinfo), signed and encrypted like the ID token;
//   - separate signing and encryption keys in the client's registered JWK Set.
// Login and consent are completed without a browser: the test server mounts its own interaction
// routes (JSON, not HTML) which call oidc-provider's interaction API in process, and completeLogin()
// walks the redirects with a hand-kept cookie jar until the redirect to redirect_uri with `code`.
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

/** The person who logs in: FTN-like claims (a made-up person; the hetu uses the 900-999 test range). */
export const TEST_PERSON = Object.freeze({
  sub: 'ftn-test-person-1',
  name: 'Testi Henkilö',
  given_name: 'Testi',
  family_name: 'Henkilö',
  birthdate: '1970-01-01',
  hetu: '010170-902L',
  identityscheme: 'fitupas',
  country: 'FI',
});

/** The redirect_uri every test client registers; nothing listens there, the driver stops at it. */
export const REDIRECT_URI = 'https://rp.example/callback';

/** The scopes an FTN relying party asks for in these tests. */
export const SCOPE = 'openid profile ssn';

/**
 * The client metadata of an FTN-style relying party. `jwks` is its public JWK Set (one `use: "sig"`
 * key for request objects and client assertions, one `use: "enc"` key for the encrypted responses);
 * `enc` is the content encryption (A128CBC-HS256 or A256GCM), or null for a client whose ID tokens
 * and userinfo are signed but not encrypted.
 */
export function ftnClient({ clientId, jwks, enc = 'A128CBC-HS256', alg = 'RSA-OAEP-256' }) {
  const metadata = {
    client_id: clientId,
    redirect_uris: [REDIRECT_URI],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    request_object_signing_alg: 'RS256',
    require_signed_request_object: true,
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
    jwks,
  };
  if (enc !== null) {
    Object.assign(metadata, {
      id_token_encrypted_response_alg: alg,
      id_token_encrypted_response_enc: enc,
      userinfo_encrypted_response_alg: alg,
      userinfo_encrypted_response_enc: enc,
    });
  }
  return metadata;
}

async function findAccount(_ctx, sub) {
  if (sub !== TEST_PERSON.sub) return undefined;
  return {
    accountId: sub,
    async claims() {
      return { ...TEST_PERSON };
    },
  };
}

function readForm(req, limit = 16 * 1024) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      text += chunk;
      if (text.length > limit) reject(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(text)));
    req.on('error', reject);
  });
}

function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

/**
 * The relying party's interaction routes (what a login UI would be), in JSON:
 *   GET  /interaction/:uid          the pending prompt (login or consent) and the request's params
 *   POST /interaction/:uid/login    form accountId=...: the user authenticated
 *   POST /interaction/:uid/confirm  the user consented to what the prompt is missing
 *   POST /interaction/:uid/abort    the user cancelled (access_denied)
 */
async function interactionRoute(provider, req, res, path) {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/.exec(path);
  if (!match) return sendJson(res, 404, { error: 'not_found' });
  const [, uid, action] = match;
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return sendJson(res, 400, { error: 'interaction_mismatch' });
  const { prompt, params, session } = details;
  if (action === undefined) {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' });
    return sendJson(res, 200, { uid, prompt: prompt.name, reasons: prompt.reasons, details: prompt.details, params });
  }
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' });
  if (action === 'abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the user cancelled' }, { mergeWithLastSubmission: false });
  }
  if (action === 'login') {
    if (prompt.name !== 'login') return sendJson(res, 400, { error: 'not_a_login_prompt', prompt: prompt.name });
    const accountId = (await readForm(req)).get('accountId');
    if (!(await findAccount(undefined, accountId))) return sendJson(res, 400, { error: 'unknown_account' });
    return provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
  }
  if (prompt.name !== 'consent') return sendJson(res, 400, { error: 'not_a_consent_prompt', prompt: prompt.name });
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  const missing = prompt.details;
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/**
 * Starts the provider. `clients` are client metadata objects (see ftnClient). Resolves to
 * { issuer, discovery, jwks (the provider's public JWK Set), provider, close }.
 */
export async function startFtnProvider({ clients }) {
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingJwk = { ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'op-rs256' };

  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [signingJwk] },
    findAccount,
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    claims: {
      acr: null,
      auth_time: null,
      sid: null,
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'birthdate'],
      ssn: ['hetu', 'identityscheme', 'country'],
    },
    scopes: ['openid', 'profile', 'ssn'],
    features: {
      devInteractions: { enabled: false },
      requestObjects: { enabled: true, requireSignedRequestObject: false },
      encryption: { enabled: true },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      userinfo: { enabled: true },
      jwtUserinfo: { enabled: true },
    },
    ttl: { AuthorizationCode: 60, AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256'],
      requestObjectSigningAlgValues: ['RS256'],
      idTokenSigningAlgValues: ['RS256'],
      userinfoSigningAlgValues: ['RS256'],
      idTokenEncryptionAlgValues: ['RSA-OAEP-256', 'RSA-OAEP', 'ECDH-ES'],
      idTokenEncryptionEncValues: ['A128CBC-HS256', 'A256GCM'],
      userinfoEncryptionAlgValues: ['RSA-OAEP-256', 'RSA-OAEP', 'ECDH-ES'],
      userinfoEncryptionEncValues: ['A128CBC-HS256', 'A256GCM'],
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  const serverErrors = [];
  provider.on('server_error', (_ctx, error) => serverErrors.push(error));
  const callback = provider.callback();

  server.on('request', async (req, res) => {
    const path = new URL(req.url, issuer).pathname;
    if (!path.startsWith('/interaction/')) return callback(req, res);
    try {
      await interactionRoute(provider, req, res, path);
    } catch (error) {
      if (!res.headersSent) sendJson(res, error.statusCode ?? 500, { error: error.error ?? 'server_error', error_description: error.message });
    }
  });

  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  const jwks = await (await fetch(discovery.jwks_uri)).json();
  return {
    issuer,
    discovery,
    jwks,
    provider,
    serverErrors,
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A cookie jar by hand: name -> value, from Set-Cookie headers; every cookie goes back (one host). */
class CookieJar {
  #cookies = new Map();

  store(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header() {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Logs TEST_PERSON in for `authorizationUrl` without a browser: follows the provider's redirects
 * to the interaction routes, posts the login and the consent, and stops at the redirect to
 * redirect_uri. Resolves to { code, state, iss, error, errorDescription, location, prompts }.
 * With `cancel: true` the user cancels at the login prompt instead.
 */
export async function completeLogin(authorizationUrl, { accountId = TEST_PERSON.sub, cancel = false, maxSteps = 12 } = {}) {
  const jar = new CookieJar();
  const prompts = [];
  let url = authorizationUrl;
  let method = 'GET';
  let body;
  for (let step = 0; step < maxSteps; step += 1) {
    const response = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.arrayBuffer();
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT_URI)) {
        const q = next.searchParams;
        return {
          code: q.get('code') ?? undefined,
          state: q.get('state') ?? undefined,
          iss: q.get('iss') ?? undefined,
          error: q.get('error') ?? undefined,
          errorDescription: q.get('error_description') ?? undefined,
          location: next.href,
          prompts,
        };
      }
      url = next.href;
      method = 'GET';
      body = undefined;
      continue;
    }
    const text = await response.text();
    const interaction = /^\/interaction\/([\w-]+)$/.exec(new URL(url).pathname);
    if (!interaction || response.status !== 200) {
      throw new Error(`login stopped at ${method} ${url}: HTTP ${response.status} ${text.slice(0, 500)}`);
    }
    const { prompt } = JSON.parse(text);
    prompts.push(prompt);
    if (cancel) {
      url = `${url}/abort`;
      body = '';
    } else if (prompt === 'login') {
      url = `${url}/login`;
      body = new URLSearchParams({ accountId }).toString();
    } else if (prompt === 'consent') {
      url = `${url}/confirm`;
      body = '';
    } else {
      throw new Error(`unexpected prompt ${prompt}`);
    }
    method = 'POST';
  }
  throw new Error(`login did not reach ${REDIRECT_URI} within ${maxSteps} requests`);
}
