// The end-to-end demo `npm start` runs until the playground exists: a client makes a key and
// signs a client assertion; a server verifies it, then rejects a replay and tampered copies.
import {
  generateKey, toJwks, createClientAssertion, verifyClientAssertion, decodeJwt, ReplayCache, isPkjwtError,
} from 'pkjwt';

const issuer = 'https://as.example.com';
const clientId = 's6BhdRkqt3';
const bold = (text) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${text}\x1b[0m` : text);

function show(title, value) {
  console.log(`\n${bold(title)}`);
  console.log(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

function attempt(label, token, opts) {
  try {
    const { payload } = verifyClientAssertion(token, opts);
    console.log(`  ✔ ${label}: accepted (client ${payload.sub}, jti ${payload.jti})`);
  } catch (error) {
    if (!isPkjwtError(error)) throw error;
    const claim = error.claim ? ` [claim ${error.claim}: ${error.reason}]` : '';
    console.log(`  ✘ ${label}: ${error.code}${claim} — ${error.message}`);
  }
}

const key = generateKey('ES256');
show('1. The client generates a key (private part never leaves it). Its kid is the RFC 7638 thumbprint:', key.kid);
show('2. It registers this JWKS with the authorization server:', toJwks([key]));

const assertion = createClientAssertion({ clientId, audience: issuer, key });
show('3. It signs a client assertion for the token request:', assertion);
const { header, payload } = decodeJwt(assertion);
show('   decoded header:', header);
show('   decoded payload:', payload);

const server = { audience: issuer, keys: toJwks([key]), replayCache: new ReplayCache() };
console.log(`\n${bold('4. The authorization server verifies what it receives:')}`);
attempt('the assertion', assertion, server);
attempt('the same assertion again', assertion, server);

const [h, p, s] = assertion.split('.');
const forgedPayload = Buffer.from(JSON.stringify({ ...payload, sub: 'admin', iss: 'admin', jti: 'x' })).toString('base64url');
attempt('a copy with iss/sub changed', `${h}.${forgedPayload}.${s}`, server);
const noneHeader = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
attempt('a copy re-labelled alg "none"', `${noneHeader}.${p}.${s}`, server);
const elsewhere = createClientAssertion({ clientId, audience: 'https://evil.example', key });
attempt('an assertion minted for another server', elsewhere, server);
const old = createClientAssertion({ clientId, audience: issuer, key, now: Math.floor(Date.now() / 1000) - 3600 });
attempt('an assertion from an hour ago', old, server);
