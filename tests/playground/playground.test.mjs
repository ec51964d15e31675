// The playground (www/) in Debian's Chromium through playwright-core, served exactly as `npm start`
// serves it (scripts/serve.mjs: www/ at /, pkg/ at /pkg/, the demo oidc-provider at /as, a strict
// CSP). Screenshots of every tab, desktop and 375 px wide, go to test-results/playground/.
//
//   node --test tests/playground/
//   PKJWT_CHROMIUM=/path/to/chromium node --test tests/playground/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(root, 'test-results', 'playground');
const CHROMIUM = process.env.PKJWT_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const TABS = ['keys', 'sign', 'verify', 'break', 'real'];

let server;
let origin;
let browser;
let context;
let page;
let offlineMode = false;
const problems = []; // console errors, page errors, failed requests
const requests = []; // every request the page (and its workers) made: { url, at }

function watch(target) {
  target.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  target.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}

async function shot(name, target = page) {
  await target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function openTab(name, target = page) {
  await target.click(`#tab-${name}`);
  await target.waitForSelector(`#panel-${name}:not([hidden])`);
}

async function generate(alg) {
  await openTab('keys');
  await page.selectOption('#gen-alg', alg);
  await page.click('#gen-button');
  await page.waitForFunction((a) => /^Generated an? /.test(document.getElementById('key-message').textContent)
    && document.getElementById('key-message').textContent.includes(a), alg, { timeout: 180_000 });
}

async function signAndVerify() {
  await openTab('sign');
  await page.click('[data-preset="demo"]');
  await page.click('#sign-button');
  await page.waitForSelector('#sign-output:not([hidden])');
  await page.click('#to-verify');
  await page.waitForSelector('#panel-verify:not([hidden])');
  await page.click('#verify-button');
  await page.waitForSelector('#verify-result[data-status]');
  return page.evaluate(() => ({
    status: document.getElementById('verify-result').dataset.status,
    text: document.getElementById('verify-result').textContent,
    checks: [...document.querySelectorAll('#v-checks li')].map((li) => [li.dataset.check, li.dataset.status]),
  }));
}

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (bash scripts/setup.sh installs Debian's chromium)`);
  ({ child: server, url: origin } = await startServer());
  const { chromium } = await import(join(root, 'node_modules', 'playwright-core', 'index.mjs'));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (request) => requests.push({ url: request.url(), at: Date.now() }));
  context.on('requestfailed', (request) => {
    // The offline test makes requests fail on purpose.
    if (!offlineMode) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page = await context.newPage();
  watch(page);
  await page.goto(`${origin}/`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

describe('pkjwt playground', () => {
  test('loads under the strict CSP, says keys stay local, requests nothing but its own files', async () => {
    const csp = (await fetch(`${origin}/`)).headers.get('content-security-policy');
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
    assert.equal((await fetch(`${origin}/pkg/wasm/pkjwt_bg.wasm`)).headers.get('content-type'), 'application/wasm');
    assert.equal((await fetch(`${origin}/pkg/node.js`)).status, 404, 'only the browser entry of pkg/ is served');
    assert.equal((await fetch(`${origin}/..%2fpackage.json`)).status, 404);
    assert.equal(await page.isHidden('#loading'), true, 'the wasm core loaded');
    assert.match(await page.textContent('#privacy'), /never leave this page/);
    for (const { url } of requests) {
      const u = new URL(url);
      assert.equal(u.origin, origin, `request outside the page's origin: ${url}`);
      assert.ok(!u.pathname.startsWith('/as') && !u.pathname.startsWith('/demo'), `unasked request to the demo server: ${url}`);
    }
    await shot('1-keys-empty');
  });

  test('tabs are a keyboard-operable tablist', async () => {
    await page.focus('#tab-keys');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-sign');
    assert.equal(await page.getAttribute('#tab-sign', 'aria-selected'), 'true');
    assert.equal(await page.isVisible('#panel-sign'), true);
    await page.keyboard.press('End');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-real');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-keys');
    assert.equal(await page.isHidden('#panel-real'), true);
    // Every input, select and textarea has a label.
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((node) => !node.labels?.length && !node.getAttribute('aria-label')).map((node) => node.id));
    assert.deepEqual(unlabelled, []);
  });

  for (const alg of ['ES256', 'RS256', 'EdDSA']) {
    test(`generate → sign → verify passes for ${alg}`, { timeout: 240_000 }, async () => {
      await generate(alg);
      if (alg === 'ES256') await shot('1-keys');
      assert.equal(await page.isVisible('#key-output'), true);
      const jwks = JSON.parse(await page.textContent('#out-jwks'));
      assert.equal(jwks.keys.length, 1);
      assert.equal(jwks.keys[0].d, undefined, 'the JWKS holds no private member');
      assert.equal(jwks.keys[0].alg, alg);
      assert.equal(await page.textContent('#key-kid'), jwks.keys[0].kid);
      assert.match(await page.textContent('#out-pub-pem'), /BEGIN PUBLIC KEY/);
      const result = await signAndVerify();
      assert.equal(result.status, 'valid', result.text);
      assert.deepEqual(result.checks.filter(([, status]) => status !== 'passed'), [['replay', 'off']]);
      if (alg === 'ES256') {
        await openTab('sign');
        await shot('2-sign');
        assert.match(await page.textContent('#out-curl'), /client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer/);
        await openTab('verify');
        await shot('3-verify');
      }
    });
  }

  test('RSA key generation runs in a worker: the page stays responsive and shows progress', { timeout: 240_000 }, async () => {
    await openTab('keys');
    await page.selectOption('#gen-alg', 'PS256');
    await page.selectOption('#gen-bits', '4096'); // slow enough to watch
    await page.click('#gen-button');
    await page.waitForSelector('#gen-progress:not([hidden])');
    // The main thread answers while the worker searches for primes.
    const t0 = Date.now();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
    assert.ok(Date.now() - t0 < 2000, 'the main thread is not blocked');
    assert.match(await page.textContent('#gen-progress-text'), /Generating a 4096-bit RSA key/);
    await page.waitForFunction(() => document.getElementById('key-message').textContent.includes('PS256'), null, { timeout: 180_000 });
    assert.equal(await page.isHidden('#gen-progress'), true);
    await page.selectOption('#gen-bits', '2048');
  });

  const TAMPERS = [
    ['claim', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', 'signature'],
    ['none', 'ERR_JOSE_ALG_NOT_ALLOWED', 'alg'],
    ['hs256', 'ERR_JOSE_ALG_NOT_ALLOWED', 'alg'],
    ['expired', 'ERR_JWT_EXPIRED', 'time'],
    ['aud', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'aud'],
    ['lifetime', 'ERR_JWT_CLAIM_VALIDATION_FAILED', 'lifetime'],
    ['kid', 'ERR_JWKS_NO_MATCHING_KEY', 'key'],
    ['replay', 'ERR_JWT_REPLAYED', 'replay'],
  ];
  test('every tampering is caught by the right check with the right code', async () => {
    await generate('ES256');
    await openTab('sign');
    await page.click('[data-preset="demo"]');
    await page.click('#sign-button');
    await openTab('break');
    for (const [kind, code, check] of TAMPERS) {
      await page.click(`[data-tamper="${kind}"]`);
      await page.waitForFunction((k) => document.getElementById('break-result').dataset.tamper === k, kind);
      const got = await page.evaluate(() => ({
        status: document.getElementById('break-result').dataset.status,
        code: document.getElementById('break-result').dataset.code,
        checks: [...document.querySelectorAll('#break-checks li')].map((li) => [li.dataset.check, li.dataset.status]),
        what: document.getElementById('break-what').textContent,
      }));
      assert.equal(got.status, 'invalid', `${kind}: ${JSON.stringify(got)}`);
      assert.equal(got.code, code, kind);
      const failed = got.checks.filter(([, status]) => status === 'failed');
      assert.deepEqual(failed, [[check, 'failed']], kind);
      // Checks before the failing one passed, the ones after were not reached.
      const index = got.checks.findIndex(([id]) => id === check);
      assert.ok(got.checks.slice(0, index).every(([, s]) => s === 'passed'), kind);
      assert.ok(got.checks.slice(index + 1).every(([, s]) => s === 'not reached' || s === 'skipped'), kind);
      if (kind === 'replay') assert.match(got.what, /First use: accepted/);
      if (kind === 'hs256') await shot('4-break');
    }
  });

  test('pasting a PEM (PKCS#8 EC, PKCS#1 RSA) and a JWK works', async () => {
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' });
    await openTab('keys');
    await page.fill('#paste-key', pem);
    await page.click('#paste-button');
    await page.waitForFunction(() => document.getElementById('key-message').textContent.startsWith('Imported a private EC'));
    const jwk = ec.publicKey.export({ format: 'jwk' });
    const thumbprint = crypto.createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest('base64url');
    assert.equal(await page.textContent('#key-thumb'), thumbprint);
    assert.equal(await page.textContent('#key-kid'), thumbprint, 'kid defaults to the RFC 7638 thumbprint');
    assert.equal((await signAndVerify()).status, 'valid');

    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    await openTab('keys');
    await page.fill('#paste-key', rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }));
    await page.selectOption('#paste-alg', 'PS256');
    await page.fill('#paste-kid', 'pasted-rsa');
    await page.click('#paste-button');
    await page.waitForFunction(() => document.getElementById('key-message').textContent.startsWith('Imported a private RSA'));
    assert.equal(await page.textContent('#key-kid'), 'pasted-rsa');
    assert.equal((await signAndVerify()).status, 'valid');

    await openTab('keys');
    await page.selectOption('#paste-alg', '');
    await page.fill('#paste-kid', '');
    await page.fill('#paste-key', JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), kid: 'jwk-key' }));
    await page.click('#paste-button');
    await page.waitForFunction(() => document.getElementById('key-message').textContent.startsWith('Imported a private EC'));
    assert.equal(await page.textContent('#key-kid'), 'jwk-key');

    await page.fill('#paste-key', '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----');
    await page.click('#paste-button');
    await page.waitForFunction(() => document.getElementById('key-message').classList.contains('bad'));
    assert.match(await page.textContent('#key-message'), /ERR_JWK_INVALID/);
  });

  test('inspect decodes without a key and draws the timeline; verify lists the failing check', async () => {
    await generate('ES256');
    await signAndVerify();
    await page.fill('#v-aud', 'https://other.example');
    await page.click('#verify-button');
    await page.waitForFunction(() => document.getElementById('verify-result').dataset.status === 'invalid');
    assert.equal(await page.getAttribute('#verify-result', 'data-code'), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    assert.equal(await page.getAttribute('#v-checks li[data-status=failed]', 'data-check'), 'aud');
    await page.click('#decode-button');
    assert.equal(await page.isVisible('#v-timeline svg'), true);
    assert.match(await page.textContent('#v-timeline-caption'), /expires in/);
    assert.match(await page.textContent('#v-times'), /exp expires/);
    await page.fill('#v-token', 'not.a.jwt');
    await page.click('#decode-button');
    assert.match(await page.textContent('#verify-result'), /Cannot decode: ERR_JWS_INVALID/);
  });

  test('the token exchange with the local authorization server succeeds, only when asked', async () => {
    assert.ok(!requests.some(({ url }) => /\/(as|demo)\b/.test(new URL(url).pathname)), 'no demo-server request before asking');
    await generate('ES256');
    await openTab('real');
    await page.click('#real-register');
    await page.waitForFunction(() => document.getElementById('real-result').dataset.status === 'registered');
    const registered = await page.textContent('#real-response');
    assert.match(registered, /HTTP 201/);
    assert.doesNotMatch(await page.textContent('#real-request'), /"d"/, 'only public keys are sent');
    await page.click('#real-token');
    await page.waitForFunction(() => ['token', 'error'].includes(document.getElementById('real-result').dataset.status)
      && !document.getElementById('real-token').disabled);
    assert.equal(await page.getAttribute('#real-result', 'data-status'), 'token', await page.textContent('#real-result'));
    assert.match(await page.textContent('#real-request'), /^POST http:\/\/127\.0\.0\.1:\d+\/as\/token/);
    assert.match(await page.textContent('#real-request'), /client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer/);
    const response = await page.textContent('#real-response');
    assert.match(response, /HTTP 200/);
    assert.match(response, /"access_token"/);
    assert.match(response, /"token_type": "Bearer"/);
    await shot('5-real');
    const demoRequests = requests.filter(({ url }) => /^\/(as|demo)\//.test(new URL(url).pathname)).map(({ url }) => new URL(url).pathname);
    assert.deepEqual(demoRequests, ['/demo/register', '/as/token']);
  });

  test('responsive at 375 px: no horizontal scrolling; screenshots of every tab', async () => {
    const phone = await context.newPage();
    watch(phone);
    await phone.setViewportSize({ width: 375, height: 812 });
    await phone.goto(`${origin}/`);
    await phone.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
    await phone.selectOption('#gen-alg', 'ES256');
    await phone.click('#gen-button');
    await phone.waitForSelector('#key-output:not([hidden])');
    await openTab('sign', phone);
    await phone.click('#sign-button');
    await phone.waitForSelector('#sign-output:not([hidden])');
    await phone.click('#to-verify');
    await phone.click('#verify-button');
    await phone.waitForSelector('#verify-result[data-status]');
    await openTab('break', phone);
    await phone.click('[data-tamper="expired"]');
    await phone.waitForSelector('#break-result[data-tamper]');
    for (const tab of TABS) {
      await openTab(tab, phone);
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `${tab}: page is ${width} px wide at a 375 px viewport`);
      await shot(`mobile-${tab}`, phone);
    }
    await phone.close();
  });

  test('works offline once loaded (service worker)', async () => {
    const offline = await context.newPage();
    watch(offline);
    await offline.goto(`${origin}/`);
    await offline.waitForSelector('body[data-ready=true]');
    await offline.evaluate(() => navigator.serviceWorker.ready);
    offlineMode = true;
    await context.setOffline(true);
    try {
      await offline.reload();
      await offline.waitForSelector('body[data-ready=true]', { timeout: 30_000 });
      await offline.click('#gen-button');
      await offline.waitForSelector('#key-output:not([hidden])', { timeout: 60_000 });
    } finally {
      await context.setOffline(false);
      await offline.close();
      offlineMode = false;
    }
  });

  test('no console errors, page errors or failed requests; nothing outside 127.0.0.1', async () => {
    assert.deepEqual(problems, []);
    for (const { url } of requests) assert.equal(new URL(url).hostname, '127.0.0.1', url);
  });
});
