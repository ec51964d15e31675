// The playground's FTN tabs: "Request object" (createRequestObject + authorizationUrl with the key
// of step 1) and "Decrypt an ID token" (decryptJwt / openIdToken with a local encryption key; "Make
// a sample" signs an ID token with a WebCrypto "provider" key and encrypts it with encryptJwt, so
// the tab works offline). Everything happens in this page: no request leaves it.

import { $, el, message } from './dom.js';
import { generateInWorker } from './key-worker.js';
const pkjwt = await import('pkjwt');
const { importKey, decodeJwt, isPkjwtError } = pkjwt;

let signingKey = null; // the key of step 1, as app.js announces it
document.addEventListener('pkjwt:key', (event) => { signingKey = event.detail; });

let encryptionKey = null; // the Key imported from #dec-key (private, use "enc")
let encryptionKeyText = '';

// ------------------------------------------------------------------------------------------------
// Small helpers (the same look as app.js's)

const errorText = (error) => (isPkjwtError(error) ? `${error.code}: ${error.message}` : error?.message ?? String(error));
const pretty = (value) => JSON.stringify(value, null, 2);
const nowSeconds = () => Math.floor(Date.now() / 1000);

function randomValue() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return b64url(bytes);
}

function b64url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A compact JWS or JWE with its parts in their colours. */
function renderCompact(pre, token) {
  pre.replaceChildren();
  const classes = token.split('.').length === 5 ? ['seg-h', 'seg-s', 'seg-s', 'seg-p', 'seg-s'] : ['seg-h', 'seg-p', 'seg-s'];
  token.split('.').forEach((part, i) => {
    if (i > 0) pre.append(el('span', { class: 'dot', text: '.' }));
    pre.append(el('span', { class: classes[i] ?? 'seg-s', text: part }));
  });
}

// ------------------------------------------------------------------------------------------------
// 5. Request object

function freshStateAndNonce() {
  $('ro-state').value = randomValue();
  $('ro-nonce').value = randomValue();
}
freshStateAndNonce();
$('ro-fresh').addEventListener('click', freshStateAndNonce);

$('ro-preset-idura').addEventListener('click', () => {
  $('ro-aud').value = 'https://your-tenant.idura.broker';
  $('ro-endpoint').value = 'https://your-tenant.idura.broker/oauth2/authorize';
  $('ro-scope').value = 'openid';
  $('ro-response-type').value = 'code';
  $('ro-typ').value = 'oauth-authz-req+jwt';
  $('ro-lifetime').value = '300';
  $('ro-extra').value = pretty({ acr_values: 'urn:grn:authn:fi:all' });
  message($('ro-message'), 'Idura / FTN: sign with an RSA key (RS256); aud is your Idura domain, the issuer.', 'ok');
});

$('ro-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const out = $('ro-message');
  if (!signingKey?.isPrivate) {
    message(out, 'Generate or import a private key in step 1 first (an RSA key for FTN).', 'bad');
    return;
  }
  let extra;
  try {
    extra = JSON.parse($('ro-extra').value.trim() || '{}');
    if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) throw new Error('not a JSON object');
  } catch (error) {
    message(out, `More parameters: ${error.message}`, 'bad');
    return;
  }
  const params = {
    response_type: $('ro-response-type').value.trim(),
    redirect_uri: $('ro-redirect').value.trim(),
    scope: $('ro-scope').value.trim(),
    state: $('ro-state').value.trim(),
    nonce: $('ro-nonce').value.trim(),
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) if (value === '') delete params[name];
  const clientId = $('ro-client').value.trim();
  const typ = $('ro-typ').value;
  try {
    const requestObject = pkjwt.createRequestObject({
      clientId,
      audience: $('ro-aud').value.trim(),
      key: signingKey,
      params,
      typ: typ === '' ? null : typ,
      lifetime: Number($('ro-lifetime').value),
    });
    const { header, payload } = decodeJwt(requestObject);
    renderCompact($('ro-jwt'), requestObject);
    $('ro-header').textContent = pretty(header);
    $('ro-payload').textContent = pretty(payload);
    $('ro-url').textContent = pkjwt.authorizationUrl({
      authorizationEndpoint: $('ro-endpoint').value.trim(), clientId, requestObject,
    });
    $('ro-output').hidden = false;
    message(out, `Signed with ${header.alg}${header.kid ? `, kid ${header.kid}` : ''}; valid for ${payload.exp - payload.iat} s.`, 'ok');
  } catch (error) {
    $('ro-output').hidden = true;
    message(out, `Could not sign: ${errorText(error)}`, 'bad');
  }
});

// ------------------------------------------------------------------------------------------------
// 6. Decrypt an ID token

async function generateEncryptionKey() {
  const alg = $('dec-key-alg').value;
  const progress = $('dec-progress');
  progress.hidden = false;
  $('dec-progress-text').textContent = `Generating an ${alg} key in a background worker…`;
  try {
    const { jwk } = await generateInWorker({ alg, kid: `enc-${randomValue().slice(0, 8)}` });
    $('dec-key').value = pretty(jwk);
    return currentEncryptionKey();
  } finally {
    progress.hidden = true;
  }
}

/** The Key of #dec-key, imported once per text. */
function currentEncryptionKey() {
  const text = $('dec-key').value.trim();
  if (text === '') throw new Error('paste your private encryption key, or generate one');
  if (encryptionKey && text === encryptionKeyText) return encryptionKey;
  const isJwk = text.startsWith('{');
  const jwkAlg = isJwk ? JSON.parse(text).alg : undefined;
  const key = importKey(text, jwkAlg ? undefined : { alg: $('dec-key-alg').value });
  encryptionKey?.free();
  encryptionKey = key;
  encryptionKeyText = text;
  $('dec-public-jwks').textContent = pretty(pkjwt.toJwks([key]));
  return key;
}

/** A "provider" made with WebCrypto (ES256): its public JWKS and an ID token it signed. */
async function sampleProvider(claims) {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const jwk = { ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid: 'sample-op-es256', alg: 'ES256', use: 'sig' };
  delete jwk.key_ops;
  delete jwk.ext;
  const encode = (value) => b64url(new TextEncoder().encode(JSON.stringify(value)));
  const input = `${encode({ alg: 'ES256', kid: jwk.kid, typ: 'JWT' })}.${encode(claims)}`;
  const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new TextEncoder().encode(input)));
  return { jwks: { keys: [jwk] }, idToken: `${input}.${b64url(signature)}` };
}

async function makeSample() {
  const result = $('dec-result');
  try {
    const key = $('dec-key').value.trim() ? currentEncryptionKey() : await generateEncryptionKey();
    const issuer = 'https://sample-op.example';
    const clientId = $('dec-client').value.trim() || 'sample-client';
    const nonce = randomValue();
    const now = nowSeconds();
    const { jwks, idToken } = await sampleProvider({
      iss: issuer, sub: 'ftn-sample-person', aud: clientId, nonce, iat: now, exp: now + 600, auth_time: now,
      name: 'Testi Henkilö', birthdate: '1970-01-01', hetu: '010170-902L',
    });
    const publicKey = key.publicKey();
    let jwe;
    try {
      jwe = pkjwt.encryptJwt(idToken, { key: publicKey, alg: key.alg, enc: $('dec-enc').value, cty: 'JWT', kid: key.kid });
    } finally {
      publicKey.free();
    }
    $('dec-jwe').value = jwe;
    $('dec-jwks').value = pretty(jwks);
    $('dec-issuer').value = issuer;
    $('dec-client').value = clientId;
    $('dec-nonce').value = nonce;
    decrypt();
  } catch (error) {
    result.dataset.status = 'error';
    message(result, `Could not make a sample: ${errorText(error)}`, 'bad');
  }
}

function check(list, name, status, text) {
  const badge = { passed: '✔ passed', failed: '✘ failed', 'not reached': '– not reached', 'not checked': '– not checked' }[status];
  list.append(el('li', { class: status === 'passed' || status === 'failed' ? status : 'skipped', 'data-check': name, 'data-status': status },
    el('span', { class: 'badge', text: badge }), el('span', {}, el('span', { class: 'name', text: name }), ` — ${text}`)));
}

function decrypt() {
  const result = $('dec-result');
  const list = $('dec-checks');
  list.replaceChildren();
  const jwe = $('dec-jwe').value.trim();
  let key;
  try {
    if (jwe === '') throw new Error('paste a JWE, or press “Make a sample”');
    key = currentEncryptionKey();
  } catch (error) {
    result.dataset.status = 'error';
    message(result, errorText(error), 'bad');
    return;
  }
  let decrypted;
  try {
    decrypted = pkjwt.decryptJwt(jwe, { keys: key });
  } catch (error) {
    $('dec-output').hidden = false;
    for (const id of ['dec-protected', 'dec-inner', 'dec-header', 'dec-payload']) $(id).textContent = '';
    check(list, 'decrypt', 'failed', errorText(error));
    check(list, 'verify', 'not reached', 'the ID token inside was not reached');
    result.dataset.status = 'invalid';
    message(result, `Not decrypted: ${errorText(error)}`, 'bad');
    return;
  }
  $('dec-output').hidden = false;
  $('dec-protected').textContent = pretty(decrypted.header);
  check(list, 'decrypt', 'passed', `decrypted with your key (${decrypted.header.alg} + ${decrypted.header.enc})`);
  const inner = decrypted.text ?? '';
  let decoded;
  try {
    decoded = decodeJwt(inner);
  } catch (error) {
    $('dec-inner').textContent = inner;
    $('dec-header').textContent = '';
    $('dec-payload').textContent = '';
    check(list, 'verify', 'failed', `the plaintext is not a signed JWT: ${errorText(error)}`);
    result.dataset.status = 'invalid';
    message(result, 'Decrypted, but the plaintext is not a signed JWT.', 'bad');
    return;
  }
  renderCompact($('dec-inner'), inner);
  $('dec-header').textContent = pretty(decoded.header);
  $('dec-payload').textContent = pretty(decoded.payload);

  const jwksText = $('dec-jwks').value.trim();
  if (jwksText === '') {
    check(list, 'verify', 'not checked', 'paste the provider’s JWKS, issuer and client id to verify the ID token');
    result.dataset.status = 'decrypted';
    message(result, 'Decrypted. The ID token inside is NOT verified until you give the provider’s JWKS.', 'ok');
    return;
  }
  try {
    const opened = pkjwt.openIdToken(jwe, {
      decryptionKeys: [key],
      issuer: $('dec-issuer').value.trim(),
      clientId: $('dec-client').value.trim(),
      keys: JSON.parse(jwksText),
      nonce: $('dec-nonce').value.trim() || undefined,
    });
    check(list, 'verify', 'passed', `signature ${opened.header.alg} by the provider; iss, aud, exp, iat${$('dec-nonce').value.trim() ? ', nonce' : ''} checked`);
    result.dataset.status = 'valid';
    message(result, `Valid ID token for ${opened.payload.sub}.`, 'ok');
  } catch (error) {
    check(list, 'verify', 'failed', `${errorText(error)}${error?.claim ? ` (claim ${error.claim})` : ''}`);
    result.dataset.status = 'invalid';
    message(result, `Decrypted, but the ID token is not valid: ${errorText(error)}`, 'bad');
  }
}

$('dec-generate').addEventListener('click', async () => {
  try {
    const key = await generateEncryptionKey();
    $('dec-output').hidden = false;
    message($('dec-result'), `Generated an ${key.alg} key (kid ${key.kid}) in your browser.`, 'ok');
  } catch (error) {
    message($('dec-result'), `Could not generate the key: ${errorText(error)}`, 'bad');
  }
});
$('dec-sample').addEventListener('click', makeSample);
$('dec-form').addEventListener('submit', (event) => {
  event.preventDefault();
  decrypt();
});

document.body.dataset.ftnReady = 'true';
