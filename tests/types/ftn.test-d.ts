// Type-level tests of the issue 8 (FTN) typings in pkg/index.d.ts, compiled (never run) by
// `npx tsc -p tests/types` next to api.test-d.ts: valid uses first, then misuses marked
// `// @ts-expect-error` (tsc fails on an unused directive if the typings stop rejecting one).
import {
  authorizationUrl,
  createRequestObject,
  createSignedJwks,
  generateKey,
  pushAuthorizationRequest,
  ReplayCache,
  verifyIdToken,
  verifyRequestObject,
  verifySignedJwks,
  verifyUserinfo,
} from 'pkjwt';

declare const jwt: string;
const key = generateKey('RS256');
const issuer = 'https://broker.example';

const requestObject: string = createRequestObject({
  clientId: 'c', audience: issuer, key, params: { response_type: 'code', scope: 'openid' },
  alg: 'RS256', kid: null, lifetime: 300, typ: null, jti: null, now: 0,
});
const url: string = authorizationUrl({ authorizationEndpoint: `${issuer}/auth`, clientId: 'c', requestObject });
authorizationUrl({ authorizationEndpoint: `${issuer}/auth`, clientId: 'c', requestUri: 'urn:x' });
const pushed: Promise<{ request_uri: string; expires_in: number }> = pushAuthorizationRequest({
  parEndpoint: `${issuer}/par`, clientId: 'c', audience: issuer, key, requestObject, timeout: 5,
});
const { payload: requestParams } = verifyRequestObject(jwt, {
  clientId: 'c', audience: issuer, keys: key, requireTyp: true, requireJti: true, replayCache: new ReplayCache(),
});
const signed: string = createSignedJwks({
  keys: [key], signingKey: key, iss: 'https://rp.example', format: 'entity-statement', signedJwksUri: 'https://rp.example/s',
});
const published = verifySignedJwks(signed, { keys: key, issuer: 'https://rp.example' }).keys;
const idClaims = verifyIdToken(jwt, { issuer, clientId: 'c', keys: { keys: [] }, nonce: 'n', maxAge: 600 }).payload;
const sub: string = idClaims.sub;
const authTime: number | undefined = idClaims.auth_time;
const userinfo = verifyUserinfo(jwt, { issuer, clientId: 'c', keys: key, subject: sub });
const userSub: string = userinfo.sub;
void [url, pushed, requestParams, published, authTime, userSub];

// ---------------------------------------------------------------------------------------------
// Misuses
// ---------------------------------------------------------------------------------------------

// @ts-expect-error both request and request_uri on one URL
authorizationUrl({ authorizationEndpoint: issuer, clientId: 'c', requestObject, requestUri: 'urn:x' });
// @ts-expect-error neither request nor request_uri
authorizationUrl({ authorizationEndpoint: issuer, clientId: 'c' });
// @ts-expect-error createRequestObject needs a key
createRequestObject({ clientId: 'c', audience: issuer });
// @ts-expect-error an unknown format
createSignedJwks({ signingKey: key, iss: 'x', format: 'jwks' });
// @ts-expect-error verifyIdToken needs the client id
verifyIdToken(jwt, { issuer, keys: key });
// @ts-expect-error verifyUserinfo needs the ID token's subject
verifyUserinfo(jwt, { issuer, clientId: 'c', keys: key });
// @ts-expect-error HS256 is never allowed for ID tokens
verifyIdToken(jwt, { issuer, clientId: 'c', keys: key, algorithms: ['HS256'] });
