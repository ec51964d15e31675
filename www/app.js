// The pkjwt playground: keys, signing, verification, tampering and a real token exchange, all in
// this page. No framework; the only network requests go to this page's own origin (the page's
// files and, when the user asks in "Try it for real", the local demo authorization server).

import { $, el, message } from './dom.js';
import { generateInWorker } from './key-worker.js';
const loading = $('loading');

let pkjwt;
try {
  pkjwt = await import('pkjwt');
} catch (error) {
  loading.textContent = `Could not load the pkjwt WebAssembly core: ${error?.message ?? error}`;
  loading.classList.add('bad');
  throw error;
}
const { importKey, toJwks, createClientAssertion, clientAuthParams, verifyClientAssertion, decodeJwt, ReplayCache,
  requestToken, isPkjwtError, CLIENT_ASSERTION_TYPE } = pkjwt;
loading.hidden = true;

const state = {
  key: null, // the current Key (private when generated or a private key was pasted)
  jwks: null, // its public JWK Set
  lastSign: null, // { opts, token } of the last assertion signed in step 2
  replayCache: new ReplayCache({ maxEntries: 10_000 }),
  demo: null, // { client_id, issuer, token_endpoint } after registering with the local server
};

// ------------------------------------------------------------------------------------------------
// Small helpers

function errorText(error) {
  if (isPkjwtError(error)) return `${error.code}: ${error.message}`;
  return error?.message ?? String(error);
}

const pretty = (value) => JSON.stringify(value, null, 2);
const nowSeconds = () => Math.floor(Date.now() / 1000);

function relative(seconds) {
  const delta = seconds - nowSeconds();
  const abs = Math.abs(delta);
  const amount = abs < 120 ? `${abs} s` : abs < 7200 ? `${Math.round(abs / 60)} min` : abs < 172800 ? `${Math.round(abs / 3600)} h` : `${Math.round(abs / 86400)} days`;
  if (delta === 0) return 'now';
  return delta > 0 ? `in ${amount}` : `${amount} ago`;
}

function humanTime(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return String(seconds);
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return String(seconds);
  return `${date.toLocaleString()} (${relative(seconds)})`;
}

function renderTimes(list, payload) {
  list.replaceChildren();
  const labels = { iat: 'issued at', nbf: 'not before', exp: 'expires' };
  for (const claim of ['iat', 'nbf', 'exp']) {
    if (payload[claim] === undefined) continue;
    list.append(el('li', {}, el('b', { text: claim }), ` ${labels[claim]}: ${humanTime(payload[claim])}`));
  }
  if (typeof payload.exp === 'number' && typeof payload.iat === 'number') {
    list.append(el('li', {}, el('b', { text: 'exp − iat' }), ` lifetime: ${payload.exp - payload.iat} s`));
  }
}

/** The compact JWS with its three parts in their colours. */
function renderJws(pre, token) {
  pre.replaceChildren();
  const parts = token.split('.');
  const classes = ['seg-h', 'seg-p', 'seg-s'];
  parts.forEach((part, i) => {
    if (i > 0) pre.append(el('span', { class: 'dot', text: '.' }));
    pre.append(el('span', { class: classes[i] ?? 'seg-s', text: part }));
  });
}

const b64url = {
  encode(bytes) {
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  },
  encodeJson(value) { return this.encode(new TextEncoder().encode(JSON.stringify(value))); },
  decodeJson(text) {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  },
};

// ------------------------------------------------------------------------------------------------
// Tabs: a WAI-ARIA tablist with arrow keys, Home and End; automatic activation.

const tabs = [...document.querySelectorAll('[role=tab]')];
function selectTab(tab, focus = true) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    $(other.getAttribute('aria-controls')).hidden = !selected;
  }
  if (focus) tab.focus();
}
for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    const i = tabs.indexOf(tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    selectTab(tabs[(next + tabs.length) % tabs.length]);
  });
}

// ------------------------------------------------------------------------------------------------
// Copy and download

document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-copy], button[data-download]');
  if (!button) return;
  const source = $(button.dataset.copy ?? button.dataset.download);
  const text = source.textContent;
  if (button.dataset.copy) {
    const original = button.textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      // Clipboard refused (permissions): select the text so the user can copy it by hand.
      const range = document.createRange();
      range.selectNodeContents(source);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = 'Selected — press Ctrl+C';
    }
    setTimeout(() => { button.textContent = original; }, 1500);
  } else {
    const url = URL.createObjectURL(new Blob([text.endsWith('\n') ? text : `${text}\n`], { type: 'text/plain' }));
    const a = el('a', { href: url, download: button.dataset.filename });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
});

// ------------------------------------------------------------------------------------------------
// 1. Keys

const keyMessage = $('key-message');
const genAlg = $('gen-alg');
const syncBits = () => { $('gen-bits-field').hidden = !/^[RP]S/.test(genAlg.value); };
genAlg.addEventListener('change', syncBits);
syncBits();

$('gen-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const alg = genAlg.value;
  const rsa = /^[RP]S/.test(alg);
  const button = $('gen-button');
  const progress = $('gen-progress');
  const text = $('gen-progress-text');
  button.disabled = true;
  progress.hidden = false;
  const started = performance.now();
  const label = rsa ? `Generating a ${$('gen-bits').value}-bit RSA key (searching for primes, in a background worker; the page stays usable)` : `Generating an ${alg} key`;
  text.textContent = `${label}…`;
  const tick = setInterval(() => { text.textContent = `${label}… ${((performance.now() - started) / 1000).toFixed(0)} s`; }, 1000);
  try {
    const { jwk, ms } = await generateInWorker({ alg, modulusLength: rsa ? Number($('gen-bits').value) : undefined, kid: $('gen-kid').value.trim() || undefined });
    setKey(importKey(jwk, { alg }));
    message(keyMessage, `Generated an ${alg} key in ${(ms / 1000).toFixed(1)} s, in your browser.`, 'ok');
  } catch (error) {
    message(keyMessage, `Could not generate the key: ${errorText(error)}`, 'bad');
  } finally {
    clearInterval(tick);
    progress.hidden = true;
    button.disabled = false;
  }
});

$('paste-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('paste-key').value.trim();
  if (!text) {
    message(keyMessage, 'Paste a PEM or a JWK first.', 'bad');
    return;
  }
  const opts = {};
  if ($('paste-alg').value) opts.alg = $('paste-alg').value;
  if ($('paste-kid').value.trim()) opts.kid = $('paste-kid').value.trim();
  try {
    const key = importKey(text, opts);
    setKey(key);
    message(keyMessage, key.isPrivate
      ? `Imported a private ${key.kty} key. It stays in this page.`
      : `Imported a public ${key.kty} key: you can verify with it, but not sign.`, 'ok');
  } catch (error) {
    message(keyMessage, `Could not import the key: ${errorText(error)}`, 'bad');
  }
});

function setKey(key) {
  state.key?.free();
  state.key = key;
  state.jwks = toJwks([key]);
  const publicKey = key.publicKey();
  $('key-type').textContent = `${key.kty}${key.alg ? `, bound to ${key.alg}` : ''}${key.isPrivate ? ', private (can sign)' : ', public only'}`;
  $('key-kid').textContent = key.kid;
  $('key-thumb').textContent = key.thumbprint();
  $('out-jwks').textContent = pretty(state.jwks);
  $('out-jwk').textContent = pretty(key.toJwk());
  $('out-pub-pem').textContent = publicKey.toPem();
  publicKey.free();
  $('private-card').hidden = !key.isPrivate;
  $('out-priv-pem').textContent = key.isPrivate ? key.toPem() : '';
  $('out-priv-pem').hidden = true;
  $('reveal-private').textContent = 'Show';
  $('reveal-private').setAttribute('aria-expanded', 'false');
  $('key-output').hidden = false;
  if (key.alg) $('s-alg').value = '';
  state.demo = null;
  $('real-token').disabled = true;
  document.dispatchEvent(new CustomEvent('pkjwt:key', { detail: key })); // for ftn.js (request objects)
}

$('reveal-private').addEventListener('click', () => {
  const pre = $('out-priv-pem');
  pre.hidden = !pre.hidden;
  $('reveal-private').textContent = pre.hidden ? 'Show' : 'Hide';
  $('reveal-private').setAttribute('aria-expanded', String(!pre.hidden));
});

// ------------------------------------------------------------------------------------------------
// 2. Sign

const demoIssuer = `${location.origin}/as`;
$('real-issuer').textContent = demoIssuer;

const PRESETS = {
  idura: {
    label: 'Idura / FTN',
    fields: { aud: 'https://your-tenant.idura.broker', tokenEndpoint: 'https://your-tenant.idura.broker/oauth2/token', alg: 'RS256', lifetime: 300, typ: 'client-authentication+jwt', noKid: false },
    needs: 'RSA',
    notes: [
      ['alg RS256', 'the Finnish Trust Network profile (Traficom 213/2023 S) as brokers enforce it: RSA, at least 2048 bits.'],
      ['aud = your Idura domain', 'Idura checks that aud is its issuer, https://<tenant>.idura.broker — not the token endpoint.'],
      ['kid kept', 'FTN enforcement requires a kid header naming the key in the JWKS you pasted into the dashboard.'],
      ['jti (always sent)', 'FTN requires a unique jti; pkjwt makes a fresh 128-bit one for every assertion.'],
      ['lifetime 300 s', 'Idura recommends at most 5 minutes; shorter is fine.'],
    ],
  },
  entra: {
    label: 'Microsoft Entra',
    fields: { aud: 'https://login.microsoftonline.com/your-tenant-id/oauth2/v2.0/token', tokenEndpoint: 'https://login.microsoftonline.com/your-tenant-id/oauth2/v2.0/token', alg: 'PS256', lifetime: 300, typ: '', noKid: true },
    needs: 'RSA',
    notes: [
      ['alg PS256', 'Microsoft’s current certificate-credential docs use RSA-PSS with SHA-256.'],
      ['aud = the tenant’s v2.0 token endpoint', 'Entra wants its token endpoint, one value, tenant-specific (the common endpoint gives AADSTS50012).'],
      ['x5t#S256 from your certificate', 'Entra finds the key by certificate thumbprint: paste the certificate below (it adds x5t#S256).'],
      ['no typ, no kid', 'Entra reportedly does not accept typ client-authentication+jwt, and identifies the key by thumbprint.'],
    ],
  },
  okta: {
    label: 'Okta',
    fields: { aud: 'https://your-org.okta.com/oauth2/v1/token', tokenEndpoint: 'https://your-org.okta.com/oauth2/v1/token', alg: '', lifetime: 300, typ: 'client-authentication+jwt', noKid: false },
    notes: [
      ['aud = the full token endpoint URL', 'Okta compares aud with the URL you post the request to.'],
      ['kid kept', 'with several keys registered Okta answers “The client_assertion JWT kid is invalid” without one.'],
      ['lifetime ≤ 1 hour', 'Okta refuses an exp more than an hour ahead; a few minutes is plenty.'],
      ['alg: the key’s', 'Okta accepts RSA and EC keys.'],
    ],
  },
  strict: {
    label: 'Strict rfc7523bis',
    fields: { aud: 'https://as.example.com', tokenEndpoint: 'https://as.example.com/token', alg: '', lifetime: 60, typ: 'client-authentication+jwt', noKid: false },
    notes: [
      ['aud = the issuer identifier, as its only value', 'the 2025 audience-injection fix: the token endpoint must not be used, one value only.'],
      ['typ client-authentication+jwt', 'explicit typing, so the JWT cannot be mistaken for another kind of token.'],
      ['alg PS256, ES256 or EdDSA', 'what FAPI 2.0 allows; generate such a key in step 1.'],
      ['lifetime 60 s, fresh jti', 'short-lived and single-use: a stolen assertion is worth little.'],
    ],
  },
  demo: {
    label: 'Local demo server',
    fields: { aud: demoIssuer, tokenEndpoint: `${demoIssuer}/token`, alg: '', lifetime: 60, typ: 'client-authentication+jwt', noKid: false },
    notes: [
      ['aud = the demo issuer', `the local oidc-provider’s issuer is ${demoIssuer}.`],
      ['any algorithm', 'the demo server accepts every algorithm pkjwt implements.'],
    ],
  },
};

function applyPreset(name) {
  const preset = PRESETS[name];
  const f = preset.fields;
  $('s-aud').value = f.aud;
  $('s-token-endpoint').value = f.tokenEndpoint;
  $('s-alg').value = f.alg;
  $('s-lifetime').value = f.lifetime;
  $('s-typ').value = f.typ;
  $('s-no-kid').checked = f.noKid;
  $('s-kid').value = '';
  for (const button of document.querySelectorAll('[data-preset]')) button.setAttribute('aria-pressed', String(button.dataset.preset === name));
  const notes = $('preset-notes');
  notes.replaceChildren(...preset.notes.map(([what, why]) => el('li', {}, el('strong', { text: what }), ` — ${why}`)));
  if (preset.needs && state.key && state.key.kty !== preset.needs) {
    notes.append(el('li', { class: 'bad' }, el('strong', { text: 'Your key is not RSA' }), ` — generate an ${f.alg} key in step 1 for this preset.`));
  }
}
for (const button of document.querySelectorAll('[data-preset]')) {
  button.setAttribute('aria-pressed', 'false');
  button.addEventListener('click', () => applyPreset(button.dataset.preset));
}

/** The signing key for `alg`: the current key, or the same key material bound to another alg. */
function signingKeyFor(alg) {
  const key = state.key;
  if (!alg || alg === key.alg) return { key, temporary: false };
  return { key: importKey(key.toPem(), { alg, kid: key.kid }), temporary: true };
}

function readSignForm() {
  const opts = { clientId: $('s-client').value.trim(), audience: $('s-aud').value.trim() };
  const lifetime = Number($('s-lifetime').value);
  if ($('s-lifetime').value !== '') opts.lifetime = lifetime;
  opts.typ = $('s-typ').value || null;
  if ($('s-no-kid').checked) opts.kid = null;
  else if ($('s-kid').value.trim()) opts.kid = $('s-kid').value.trim();
  const claimsText = $('s-claims').value.trim();
  if (claimsText && claimsText !== '{}') {
    let claims;
    try {
      claims = JSON.parse(claimsText);
    } catch (error) {
      throw new Error(`Extra claims are not JSON: ${error.message}`);
    }
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new Error('Extra claims must be a JSON object');
    opts.claims = claims;
  }
  if ($('s-cert').value.trim()) opts.certificate = $('s-cert').value.trim();
  return { opts, alg: $('s-alg').value || undefined, tokenEndpoint: $('s-token-endpoint').value.trim() };
}

/** Signs with the form's settings plus `overrides`; returns the compact JWS. */
function signWith(base, overrides = {}) {
  const { key, temporary } = signingKeyFor(base.alg);
  try {
    return createClientAssertion({ ...base.opts, ...overrides, key, ...(base.alg ? { alg: base.alg } : {}) });
  } finally {
    if (temporary) key.free();
  }
}

function requireSigningKey() {
  if (!state.key) throw new Error('Generate or paste a key in step 1 first.');
  if (!state.key.isPrivate) throw new Error('The key from step 1 is public: signing needs a private key.');
}

$('sign-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const out = $('sign-message');
  try {
    requireSigningKey();
    const form = readSignForm();
    const token = signWith(form);
    state.lastSign = { ...form, token };
    showSigned(token, form.tokenEndpoint, form.opts.clientId);
    message(out, `Signed. The assertion is valid for ${form.opts.lifetime ?? 60} s from now.`, 'ok');
  } catch (error) {
    $('sign-output').hidden = true;
    message(out, `Could not sign: ${errorText(error)}`, 'bad');
  }
});

function showSigned(token, tokenEndpoint, clientId) {
  const { header, payload } = decodeJwt(token);
  renderJws($('out-assertion'), token);
  $('out-header').textContent = pretty(header);
  $('out-payload').textContent = pretty(payload);
  renderTimes($('out-times'), payload);
  const fields = { grant_type: 'client_credentials', client_id: clientId, ...clientAuthParams(token) };
  $('out-form').replaceChildren(...Object.entries(fields).map(([name, value]) => el('tr', {}, el('th', { scope: 'row', text: name }), el('td', { text: value }))));
  const endpoint = tokenEndpoint || '<token endpoint>';
  $('out-curl').textContent = [`curl -X POST '${endpoint}' \\`, "  -H 'Content-Type: application/x-www-form-urlencoded' \\",
    ...Object.entries(fields).map(([name, value], i, all) => `  --data-urlencode '${name}=${value}'${i < all.length - 1 ? ' \\' : ''}`)].join('\n');
  $('sign-output').hidden = false;
}

$('to-verify').addEventListener('click', () => {
  if (!state.lastSign) return;
  $('v-token').value = state.lastSign.token;
  $('v-aud').value = state.lastSign.opts.audience;
  $('v-client').value = state.lastSign.opts.clientId;
  if (state.jwks) $('v-keys').value = pretty(state.jwks);
  selectTab($('tab-verify'));
});

// ------------------------------------------------------------------------------------------------
// The verifier's checks, in its documented order, and what a failure of each means.

const CHECKS = [
  { id: 'form', name: 'Form', what: 'three canonical base64url parts; header and payload are strict JSON objects',
    why: 'The token is not a well-formed compact JWS (bad base64url, padding, an empty part, duplicate or malformed JSON). Nothing else is looked at.' },
  { id: 'alg', name: 'Algorithm', what: 'alg is an asymmetric algorithm in the accepted list — never none, never HS*',
    why: 'The header asks for an algorithm the server does not accept. "none" would mean no signature; HS256 would let anyone who knows the public key forge tokens.' },
  { id: 'key', name: 'Key', what: 'a registered key has the kid, and fits the alg',
    why: 'No registered key has this kid (or the one that has it is of another type), so there is nothing to check the signature with.' },
  { id: 'signature', name: 'Signature', what: 'the signature over header.payload verifies with that key',
    why: 'The signature does not match the header and payload: the token was changed after signing, or signed by another key.' },
  { id: 'typ', name: 'typ', what: 'typ, when present, is client-authentication+jwt or JWT',
    why: 'The typ header says this is some other kind of JWT, so it must not be accepted as a client assertion.' },
  { id: 'iss', name: 'iss = sub', what: 'iss and sub are the client id',
    why: 'The issuer and subject must both be the client that is authenticating (and match client_id when the request sends it).' },
  { id: 'aud', name: 'Audience', what: 'aud is this server’s issuer — one value',
    why: 'The assertion was made for another server. Accepting it would let that server (or whoever holds it) log in as the client here.' },
  { id: 'time', name: 'Time', what: 'not expired; iat and nbf not in the future (± clock tolerance)',
    why: 'The assertion is outside its validity window: expired, or issued in the future beyond the clock tolerance.' },
  { id: 'lifetime', name: 'Lifetime', what: 'exp − iat is at most the maximum lifetime',
    why: 'The assertion lives longer than the server allows; long-lived assertions are valuable to a thief.' },
  { id: 'jti', name: 'jti', what: 'a unique id (jti) is present',
    why: 'Without a jti the server cannot tell a replay from a new assertion.' },
  { id: 'replay', name: 'Replay', what: '(iss, jti) not seen before, until exp',
    why: 'This exact assertion was already used. Assertions are single-use: whoever captured it cannot reuse it.' },
];

/** Which check raised `error`. */
function failedCheck(error) {
  const code = error?.code;
  const msg = error?.message ?? '';
  switch (code) {
    case 'ERR_JWS_INVALID': case 'ERR_JWT_INVALID': return 'form';
    case 'ERR_JOSE_NOT_SUPPORTED': return /crit|b64/.test(msg) ? 'form' : 'alg';
    case 'ERR_JOSE_ALG_NOT_ALLOWED': return /fit/.test(msg) ? 'key' : 'alg';
    case 'ERR_JWKS_NO_MATCHING_KEY': return 'key';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED': return 'signature';
    case 'ERR_JWT_EXPIRED': return 'time';
    case 'ERR_JWT_REPLAYED': case 'ERR_REPLAY_CACHE_FULL': return 'replay';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (error.claim === 'typ') return 'typ';
      if (error.claim === 'iss' || error.claim === 'sub') return 'iss';
      if (error.claim === 'aud') return 'aud';
      if (error.claim === 'jti') return 'jti';
      if (['exp', 'nbf', 'iat'].includes(error.claim)) return /lifetime/.test(msg) ? 'lifetime' : 'time';
      return 'form';
    default: return undefined;
  }
}

/** Renders the check list into `list`; `error` undefined means every check passed. */
function renderChecks(list, error, { replay }) {
  const failing = error ? failedCheck(error) : undefined;
  let reached = true;
  list.replaceChildren();
  for (const check of CHECKS) {
    let status;
    if (!reached) status = 'skipped';
    else if (check.id === failing) status = 'failed';
    else status = 'passed';
    if (check.id === 'replay' && !replay && status === 'passed') status = 'off';
    if (check.id === failing) reached = false;
    const badge = { passed: '✔ passed', failed: '✘ failed', skipped: '– not reached', off: '– off' }[status];
    const item = el('li', { class: status === 'off' ? 'skipped' : status, 'data-check': check.id, 'data-status': status },
      el('span', { class: 'badge', text: badge }),
      el('span', {}, el('span', { class: 'name', text: check.name }), ` — ${check.what}`,
        status === 'failed' ? [el('span', { class: 'why' }, el('span', { class: 'code', text: `${error.code}${error.claim ? ` (claim ${error.claim})` : ''}` }), ` ${check.why}`),
          el('span', { class: 'why', text: `Verifier says: ${error.message}` })] : null,
        status === 'off' ? el('span', { class: 'why', text: 'No replay cache given: replays are not detected.' }) : null));
    list.append(item);
  }
}

// ------------------------------------------------------------------------------------------------
// 3. Inspect and verify

/** Reads the keys textarea: a JWKS, a JWK or a PEM. */
function parseKeys(text) {
  const trimmed = text.trim();
  if (!trimmed) throw new Error('Paste a public key, JWK or JWKS (or press “Use my key’s JWKS”).');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`The keys are not valid JSON: ${error.message}`);
    }
    if (Array.isArray(value)) return value;
    if (Array.isArray(value.keys)) return value;
    return [value];
  }
  const key = importKey(trimmed);
  const publicKey = key.publicKey();
  key.free();
  return publicKey;
}

function verifyOptions() {
  const opts = {
    audience: $('v-aud').value.split(',').map((s) => s.trim()).filter(Boolean),
    keys: parseKeys($('v-keys').value),
  };
  if (opts.audience.length === 0) throw new Error('Enter the accepted audience (the server’s issuer).');
  if ($('v-client').value.trim()) opts.clientId = $('v-client').value.trim();
  opts.clockTolerance = Number($('v-tol').value || 15);
  opts.maxLifetime = Number($('v-max').value || 300);
  const algs = $('v-algs').value.split(',').map((s) => s.trim()).filter(Boolean);
  if (algs.length) opts.algorithms = algs;
  opts.requireTyp = $('v-require-typ').checked;
  opts.requireJti = $('v-require-jti').checked;
  opts.allowMultipleAudiences = $('v-multi-aud').checked;
  if ($('v-replay').checked) opts.replayCache = state.replayCache;
  return opts;
}

$('v-use-mine').addEventListener('click', () => {
  const result = $('verify-result');
  if (!state.jwks) message(result, 'No key yet: generate or paste one in step 1.', 'bad');
  else $('v-keys').value = pretty(state.jwks);
});

function decodeInto() {
  const token = $('v-token').value.trim();
  const { header, payload } = decodeJwt(token);
  renderJws($('v-colour'), token);
  $('v-header').textContent = pretty(header);
  $('v-payload').textContent = pretty(payload);
  renderTimes($('v-times'), payload);
  drawTimeline($('v-timeline'), $('v-timeline-caption'), payload, Number($('v-tol').value || 15));
  $('decode-output').hidden = false;
  return { header, payload };
}

$('decode-button').addEventListener('click', () => {
  const result = $('verify-result');
  $('checks-output').hidden = true;
  result.removeAttribute('data-status');
  try {
    decodeInto();
    message(result, 'Decoded without a key. This says nothing about whether the token is genuine — verify it for that.', '');
  } catch (error) {
    $('decode-output').hidden = true;
    message(result, `Cannot decode: ${errorText(error)}`, 'bad');
  }
});

$('verify-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const result = $('verify-result');
  let opts;
  try {
    opts = verifyOptions();
  } catch (error) {
    message(result, errorText(error), 'bad');
    return;
  }
  try { decodeInto(); } catch { $('decode-output').hidden = true; }
  const token = $('v-token').value.trim();
  const outcome = runVerify(token, opts);
  showOutcome(result, $('v-checks'), outcome, opts);
  if (typeof opts.keys.free === 'function') opts.keys.free();
  $('checks-output').hidden = Boolean(outcome.inputError);
});

/** Runs the verifier once; { ok, error, payload, inputError }. */
function runVerify(token, opts) {
  try {
    const { payload, key } = verifyClientAssertion(token, opts);
    if (key && key !== opts.keys) key.free?.();
    return { ok: true, payload };
  } catch (error) {
    return { ok: false, error, inputError: failedCheck(error) === undefined };
  }
}

function showOutcome(result, list, outcome, opts) {
  if (outcome.ok) {
    message(result, `Valid: every check passed. The client is ${outcome.payload.iss}.`, 'ok');
    result.dataset.status = 'valid';
    delete result.dataset.code;
  } else if (outcome.inputError) {
    message(result, `Cannot verify: ${errorText(outcome.error)}`, 'bad');
    result.dataset.status = 'error';
    result.dataset.code = outcome.error.code ?? '';
  } else {
    const check = CHECKS.find((c) => c.id === failedCheck(outcome.error));
    message(result, `Invalid: the ${check.name} check failed with ${outcome.error.code}.`, 'bad');
    result.dataset.status = 'invalid';
    result.dataset.code = outcome.error.code;
  }
  renderChecks(list, outcome.ok ? undefined : outcome.error, { replay: Boolean(opts.replayCache) });
}

// A timeline of iat, nbf and exp against now and the clock tolerance (SVG, drawn with the DOM).
const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function drawTimeline(container, caption, payload, tolerance) {
  const now = nowSeconds();
  const times = { iat: payload.iat, nbf: payload.nbf, exp: payload.exp };
  const known = Object.values(times).filter((t) => typeof t === 'number' && Number.isFinite(t));
  const lo0 = Math.min(now - tolerance, ...known);
  const hi0 = Math.max(now + tolerance, ...known.map((t) => t + tolerance));
  const pad = Math.max(10, (hi0 - lo0) * 0.08);
  const lo = lo0 - pad;
  const hi = hi0 + pad;
  const W = 800;
  const H = 150;
  const x = (t) => 20 + ((t - lo) / (hi - lo)) * (W - 40);
  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'v-timeline-caption' });
  const axisY = 80;
  // The window in which the verifier accepts the token: from (nbf or iat) − tolerance to exp + tolerance.
  const start = Math.max(...[times.nbf, times.iat].filter((t) => typeof t === 'number'), -Infinity);
  if (typeof times.exp === 'number') {
    const from = Number.isFinite(start) ? start - tolerance : lo;
    g.append(svg('rect', { x: x(Math.max(from, lo)), y: axisY - 18, width: Math.max(1, x(times.exp + tolerance) - x(Math.max(from, lo))), height: 36, fill: '#d7efdf', stroke: '#17663a' }));
    g.append(svg('text', { x: x(Math.max(from, lo)) + 4, y: axisY + 32, fill: '#17663a', 'font-size': 12 }, 'accepted (with tolerance)'));
  }
  // Now and its tolerance band.
  g.append(svg('rect', { x: x(now - tolerance), y: 20, width: Math.max(1, x(now + tolerance) - x(now - tolerance)), height: 100, fill: '#c2410c', 'fill-opacity': 0.12 }));
  g.append(svg('line', { x1: 20, y1: axisY, x2: W - 20, y2: axisY, stroke: '#4a5260', 'stroke-width': 2 }));
  g.append(svg('line', { x1: x(now), y1: 14, x2: x(now), y2: 126, stroke: '#c2410c', 'stroke-width': 3 }));
  g.append(svg('text', { x: x(now), y: 140, fill: '#9a3412', 'font-size': 13, 'text-anchor': 'middle', 'font-weight': 700 }, `now ±${tolerance} s`));
  const colours = { iat: '#0b5e8a', nbf: '#6b21a8', exp: '#b0103a' };
  const offsets = { iat: 14, nbf: 30, exp: 14 };
  for (const [claim, t] of Object.entries(times)) {
    if (typeof t !== 'number' || !Number.isFinite(t)) continue;
    g.append(svg('line', { x1: x(t), y1: axisY - 22, x2: x(t), y2: axisY + 22, stroke: colours[claim], 'stroke-width': 3 }));
    g.append(svg('text', { x: x(t), y: offsets[claim], fill: colours[claim], 'font-size': 13, 'text-anchor': 'middle', 'font-weight': 700 }, claim));
  }
  container.replaceChildren(g);
  const parts = [];
  if (typeof times.iat === 'number') parts.push(`issued ${relative(times.iat)}`);
  if (typeof times.nbf === 'number') parts.push(`valid from ${relative(times.nbf)}`);
  if (typeof times.exp === 'number') {
    const expired = now >= times.exp + tolerance;
    parts.push(expired ? `expired ${relative(times.exp)} (beyond the ${tolerance} s tolerance)` : `expires ${relative(times.exp)}`);
  } else parts.push('no exp: the verifier refuses it');
  caption.textContent = `Timeline: ${parts.join('; ')}. The shaded band around now is the clock tolerance.`;
}

// ------------------------------------------------------------------------------------------------
// 4. Break it

async function hs256(secretText, signingInput) {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(secretText), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return b64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(signingInput))));
}

const TAMPER = {
  claim: { what: 'Changed sub to "attacker" in the payload and kept the original signature.',
    async make(base) {
      const [h, p, s] = base.token.split('.');
      const payload = b64url.decodeJson(p);
      payload.sub = 'attacker';
      return `${h}.${b64url.encodeJson(payload)}.${s}`;
    } },
  none: { what: 'Set the header’s alg to "none" (the classic “unsigned token” attack), kept the rest. (An empty third part would be refused even earlier, by the form check.)',
    async make(base) {
      const [h, p, s] = base.token.split('.');
      return `${b64url.encodeJson({ ...b64url.decodeJson(h), alg: 'none' })}.${p}.${s}`;
    } },
  hs256: { what: 'Algorithm confusion: set alg to HS256 and signed with HMAC using the public key (PEM) as the secret — a server that trusted the header would accept it.',
    async make(base) {
      const [h, p] = base.token.split('.');
      const header = b64url.encodeJson({ ...b64url.decodeJson(h), alg: 'HS256' });
      return `${header}.${p}.${await hs256($('out-pub-pem').textContent, `${header}.${p}`)}`;
    } },
  expired: { what: 'Signed a genuine assertion whose lifetime ended ten minutes ago.',
    async make(base) { return signWith(base, { now: nowSeconds() - 600 - (base.opts.lifetime ?? 60) }); } },
  aud: { what: 'Signed a genuine assertion for another server (aud https://attacker.example).',
    async make(base) { return signWith(base, { audience: 'https://attacker.example' }); } },
  lifetime: { what: 'Signed a genuine assertion that lives for an hour (the verifier allows 300 s).',
    async make(base) { return signWith(base, { lifetime: 3600 }); } },
  kid: { what: 'Signed with a kid the server has never seen.',
    async make(base) { return signWith(base, { kid: 'unknown-kid' }); } },
  replay: { what: 'Sent the same genuine assertion twice to a verifier with a replay cache: the first use passes, the second is refused.',
    async make(base) { return signWith(base); } },
};

for (const button of document.querySelectorAll('[data-tamper]')) {
  button.addEventListener('click', () => breakIt(button.dataset.tamper));
}

async function breakIt(kind) {
  const result = $('break-result');
  try {
    requireSigningKey();
    let base = state.lastSign;
    if (!base) {
      const form = readSignForm();
      base = { ...form, token: signWith(form) };
      state.lastSign = base;
      showSigned(base.token, form.tokenEndpoint, form.opts.clientId);
    }
    const token = await TAMPER[kind].make(base);
    const opts = { audience: [base.opts.audience], keys: state.jwks, clientId: base.opts.clientId };
    let first;
    if (kind === 'replay') {
      opts.replayCache = new ReplayCache();
      first = runVerify(token, opts);
    }
    const outcome = runVerify(token, opts);
    opts.replayCache?.free();
    $('break-what').textContent = `${TAMPER[kind].what}${first ? ` First use: ${first.ok ? 'accepted' : `refused (${first.error.code})`}. Second use:` : ''}`;
    renderJws($('break-token'), token);
    showOutcome(result, $('break-checks'), outcome, { replayCache: opts.replayCache });
    result.dataset.tamper = kind;
    $('break-output').hidden = false;
  } catch (error) {
    message(result, `Could not run this case: ${errorText(error)}`, 'bad');
    result.dataset.status = 'error';
  }
}

// ------------------------------------------------------------------------------------------------
// 5. Try it for real (the local demo authorization server; the only requests the page ever makes
// besides loading its own files, and only on these buttons)

function describeRequest(method, url, headers, body) {
  const lines = [`${method} ${url}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push('');
  lines.push(body);
  return lines.join('\n');
}

function describeResponse(response, text) {
  const lines = [`HTTP ${response.status} ${response.statusText}`];
  for (const name of ['content-type', 'cache-control', 'www-authenticate']) {
    const value = response.headers.get(name);
    if (value) lines.push(`${name}: ${value}`);
  }
  lines.push('');
  try { lines.push(pretty(JSON.parse(text))); } catch { lines.push(text); }
  return lines.join('\n');
}

$('real-register').addEventListener('click', async () => {
  const result = $('real-result');
  if (!state.jwks) {
    message(result, 'Generate or paste a key in step 1 first.', 'bad');
    return;
  }
  const body = JSON.stringify({ jwks: state.jwks, alg: state.key.alg });
  const headers = { 'content-type': 'application/json' };
  $('real-request').textContent = describeRequest('POST', `${location.origin}/demo/register`, headers, pretty(JSON.parse(body)));
  try {
    const response = await fetch('/demo/register', { method: 'POST', headers, body });
    const text = await response.text();
    $('real-response').textContent = describeResponse(response, text);
    $('real-output').hidden = false;
    if (!response.ok) throw new Error(`the demo server answered ${response.status}`);
    state.demo = JSON.parse(text);
    $('real-token').disabled = !state.key.isPrivate;
    result.dataset.status = 'registered';
    message(result, `Registered as client ${state.demo.client_id} at ${state.demo.issuer}. Only the public keys were sent.${state.key.isPrivate ? ' Now request a token.' : ' (A public key cannot sign: paste the private key to request a token.)'}`, 'ok');
  } catch (error) {
    $('real-output').hidden = false;
    result.dataset.status = 'error';
    message(result, `Registration failed: ${errorText(error)}. Is the demo server running (npm start)?`, 'bad');
  }
});

$('real-token').addEventListener('click', async () => {
  const result = $('real-result');
  if (!state.demo) return;
  const recordingFetch = async (url, init) => {
    const form = new URLSearchParams(String(init.body));
    $('real-request').textContent = describeRequest(init.method, String(url), init.headers,
      [...form].map(([name, value]) => `${name}=${value}`).join('\n&'));
    const response = await fetch(url, init);
    const text = await response.clone().text();
    $('real-response').textContent = describeResponse(response, text);
    return response;
  };
  const button = $('real-token');
  button.disabled = true;
  try {
    const tokens = await requestToken({
      tokenEndpoint: state.demo.token_endpoint,
      clientId: state.demo.client_id,
      audience: state.demo.issuer,
      key: state.key,
      params: { grant_type: 'client_credentials' },
      fetch: recordingFetch,
    });
    result.dataset.status = 'token';
    message(result, `Success: the server accepted the assertion and issued a ${tokens.token_type} access token valid for ${tokens.expires_in} s.`, 'ok');
  } catch (error) {
    result.dataset.status = 'error';
    message(result, `The token request failed: ${errorText(error)}`, 'bad');
  } finally {
    $('real-output').hidden = false;
    button.disabled = false;
  }
});

// ------------------------------------------------------------------------------------------------
// Offline: a service worker keeps the page and the wasm core for later visits.

if ('serviceWorker' in navigator && !new URLSearchParams(location.search).has('nosw')) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(() => {
    $('sw-state').textContent = 'Offline copy ready.';
  }, () => {
    $('sw-state').textContent = '';
  });
}

document.body.dataset.ready = 'true';
void CLIENT_ASSERTION_TYPE;
