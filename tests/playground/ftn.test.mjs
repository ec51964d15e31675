// The playground's FTN tabs in Debian's Chromium through playwright-core, served as `npm start`
// serves it: "Request object" (signed with the key of step 1; checked here with jose against the
// key's public half) and "Decrypt an ID token" (a jose-made JWE to a node:crypto key; "Make a
// sample" decrypted and verified, then re-checked here with jose; a tampered JWE, a wrong nonce).
// Screenshots go to test-results/playground/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import * as jose from 'jose';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(root, 'test-results', 'playground');
const CHROMIUM = process.env.PKJWT_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const RSA_PEM = readFileSync(join(root, 'tests', 'keys', 'rsa2048.pkcs8.pem'), 'utf8');
const RSA_SPKI = readFileSync(join(root, 'tests', 'keys', 'rsa2048.spki.pem'), 'utf8');

let server;
let origin;
let browser;
let page;
const problems = [];
const requests = [];

async function openTab(name) {
  await page.click(`#tab-${name}`);
  await page.waitForSelector(`#panel-${name}:not([hidden])`);
}

before(async () => {
  await mkdir(SHOTS, { recursive: true });
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  ({ child: server, url: origin } = await startServer());
  const { chromium } = await import(join(root, 'node_modules', 'playwright-core', 'index.mjs'));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (request) => requests.push(request.url()));
  context.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  page = await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${origin}/?nosw`);
  await page.waitForSelector('body[data-ready=true][data-ftn-ready=true]', { timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

async function importRsaKeyInStepOne() {
  await openTab('keys');
  await page.fill('#paste-key', RSA_PEM);
  await page.selectOption('#paste-alg', 'RS256');
  await page.fill('#paste-kid', 'rp-sig-1');
  await page.click('#paste-button');
  await page.waitForFunction(() => /Imported a private RSA key/.test(document.getElementById('key-message').textContent));
}

async function decryptResult() {
  await page.waitForSelector('#dec-result[data-status]');
  return page.evaluate(() => ({
    status: document.getElementById('dec-result').dataset.status,
    text: document.getElementById('dec-result').textContent,
    checks: [...document.querySelectorAll('#dec-checks li')].map((li) => [li.dataset.check, li.dataset.status, li.textContent]),
    protected: document.getElementById('dec-protected').textContent,
    inner: document.getElementById('dec-inner').textContent,
    payload: document.getElementById('dec-payload').textContent,
  }));
}

describe('playground: request object tab', () => {
  test('without a key it says to make one first', async () => {
    await openTab('reqobj');
    await page.click('#ro-button');
    assert.match(await page.textContent('#ro-message'), /Generate or import a private key in step 1/);
    assert.equal(await page.isHidden('#ro-output'), true);
  });

  test('signs the request object with the step-1 key; jose verifies it; the URL carries only client_id and request', async () => {
    await importRsaKeyInStepOne();
    await openTab('reqobj');
    await page.click('#ro-preset-idura');
    await page.fill('#ro-client', 'ftn-client');
    await page.fill('#ro-redirect', 'https://rp.example/callback');
    await page.fill('#ro-scope', 'openid profile ssn');
    const state = await page.inputValue('#ro-state');
    const nonce = await page.inputValue('#ro-nonce');
    assert.match(state, /^[\w-]{22}$/);
    assert.notEqual(state, nonce);
    await page.click('#ro-button');
    await page.waitForSelector('#ro-output:not([hidden])');
    await page.screenshot({ path: join(SHOTS, '5-request-object.png'), fullPage: true });

    const jwt = await page.textContent('#ro-jwt');
    assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#ro-jwt span:not(.dot)')].map((s) => s.className)), ['seg-h', 'seg-p', 'seg-s']);
    const { payload, protectedHeader } = await jose.jwtVerify(jwt, crypto.createPublicKey(RSA_SPKI), {
      issuer: 'ftn-client', audience: 'https://your-tenant.idura.broker', typ: 'oauth-authz-req+jwt', algorithms: ['RS256'],
    });
    assert.equal(protectedHeader.kid, 'rp-sig-1');
    assert.deepEqual(JSON.parse(await page.textContent('#ro-payload')), payload);
    assert.equal(payload.client_id, 'ftn-client');
    assert.equal(payload.state, state);
    assert.equal(payload.nonce, nonce);
    assert.equal(payload.scope, 'openid profile ssn');
    assert.equal(payload.acr_values, 'urn:grn:authn:fi:all');
    assert.equal(payload.exp - payload.iat, 300);

    const url = new URL(await page.textContent('#ro-url'));
    assert.equal(`${url.origin}${url.pathname}`, 'https://your-tenant.idura.broker/oauth2/authorize');
    assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request']);
    assert.equal(url.searchParams.get('request'), jwt);
  });

  test('typ toggle: none omits the typ header', async () => {
    await openTab('reqobj');
    await page.selectOption('#ro-typ', '');
    await page.click('#ro-button');
    await page.waitForFunction(() => /Signed with/.test(document.getElementById('ro-message').textContent));
    assert.equal(JSON.parse(await page.textContent('#ro-header')).typ, undefined);
    await page.selectOption('#ro-typ', 'oauth-authz-req+jwt');
  });

  test('bad extra parameters are reported, not thrown', async () => {
    await page.fill('#ro-extra', '[1, 2]');
    await page.click('#ro-button');
    assert.match(await page.textContent('#ro-message'), /More parameters: not a JSON object/);
    await page.fill('#ro-extra', '{}');
  });
});

describe('playground: decrypt an ID token tab', () => {
  test('a JWE made by jose to a local key: decrypted, the inner token decoded, then verified with the pasted JWKS', async () => {
    const { privateKey: encPrivate, publicKey: encPublic } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const op = await jose.generateKeyPair('RS256', { extractable: true });
    const opJwk = { ...(await jose.exportJWK(op.publicKey)), kid: 'op-1', alg: 'RS256', use: 'sig' };
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new jose.SignJWT({ nonce: 'n-123', name: 'Testi Henkilö' })
      .setProtectedHeader({ alg: 'RS256', kid: 'op-1' })
      .setIssuer('https://op.example').setAudience('ftn-client').setSubject('person-1').setIssuedAt(now).setExpirationTime(now + 600)
      .sign(op.privateKey);
    const jwe = await new jose.CompactEncrypt(new TextEncoder().encode(idToken))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' })
      .encrypt(encPublic);

    await openTab('decrypt');
    await page.fill('#dec-jwe', jwe);
    await page.fill('#dec-key', encPrivate.export({ format: 'pem', type: 'pkcs8' }));
    await page.selectOption('#dec-key-alg', 'RSA-OAEP-256');
    await page.fill('#dec-jwks', '');
    await page.click('#dec-button');
    let result = await decryptResult();
    assert.equal(result.status, 'decrypted', result.text);
    assert.equal(result.inner, idToken);
    assert.equal(JSON.parse(result.protected).enc, 'A256GCM');
    assert.equal(JSON.parse(result.payload).sub, 'person-1');
    assert.deepEqual(result.checks.map(([name, status]) => [name, status]), [['decrypt', 'passed'], ['verify', 'not checked']]);

    await page.fill('#dec-jwks', JSON.stringify({ keys: [opJwk] }));
    await page.fill('#dec-issuer', 'https://op.example');
    await page.fill('#dec-client', 'ftn-client');
    await page.fill('#dec-nonce', 'n-123');
    await page.evaluate(() => { delete document.getElementById('dec-result').dataset.status; });
    await page.click('#dec-button');
    result = await decryptResult();
    assert.equal(result.status, 'valid', result.text);

    await page.fill('#dec-nonce', 'another-nonce');
    await page.evaluate(() => { delete document.getElementById('dec-result').dataset.status; });
    await page.click('#dec-button');
    result = await decryptResult();
    assert.equal(result.status, 'invalid');
    assert.match(result.checks[1][2], /ERR_JWT_CLAIM_VALIDATION_FAILED.*claim nonce/);

    const parts = jwe.split('.');
    parts[3] = `${parts[3][0] === 'A' ? 'B' : 'A'}${parts[3].slice(1)}`;
    await page.fill('#dec-jwe', parts.join('.'));
    await page.evaluate(() => { delete document.getElementById('dec-result').dataset.status; });
    await page.click('#dec-button');
    result = await decryptResult();
    assert.equal(result.status, 'invalid');
    assert.deepEqual(result.checks.map(([name, status]) => [name, status]), [['decrypt', 'failed'], ['verify', 'not reached']]);
    assert.match(result.checks[0][2], /ERR_JWE_DECRYPTION_FAILED/);
  });

  for (const alg of ['ECDH-ES', 'RSA-OAEP-256']) {
    test(`"Make a sample" with a generated ${alg} key works offline and jose agrees`, { timeout: 240_000 }, async () => {
      await openTab('decrypt');
      await page.fill('#dec-key', '');
      await page.fill('#dec-jwks', '');
      await page.fill('#dec-client', 'sample-client');
      await page.selectOption('#dec-key-alg', alg);
      await page.selectOption('#dec-enc', 'A128CBC-HS256');
      await page.evaluate(() => { delete document.getElementById('dec-result').dataset.status; });
      const before = requests.length;
      await page.click('#dec-sample');
      await page.waitForSelector('#dec-result[data-status]', { timeout: 200_000 });
      const result = await decryptResult();
      assert.equal(result.status, 'valid', result.text);
      if (alg === 'ECDH-ES') await page.screenshot({ path: join(SHOTS, '6-decrypt.png'), fullPage: true });
      // Nothing was fetched but the page's own files (the worker script at most).
      for (const url of requests.slice(before)) assert.equal(new URL(url).origin, origin, url);

      const jwe = await page.inputValue('#dec-jwe');
      const privateJwk = JSON.parse(await page.inputValue('#dec-key'));
      const providerJwks = JSON.parse(await page.inputValue('#dec-jwks'));
      assert.equal(privateJwk.use, 'enc');
      assert.equal(privateJwk.alg, alg);
      const publicJwks = JSON.parse(await page.textContent('#dec-public-jwks'));
      assert.equal(publicJwks.keys[0].d, undefined);
      assert.equal(publicJwks.keys[0].use, 'enc');
      const { plaintext, protectedHeader } = await jose.compactDecrypt(jwe, await jose.importJWK(privateJwk, alg));
      assert.deepEqual([protectedHeader.alg, protectedHeader.enc, protectedHeader.cty, protectedHeader.kid], [alg, 'A128CBC-HS256', 'JWT', privateJwk.kid]);
      const inner = new TextDecoder().decode(plaintext);
      assert.equal(inner, result.inner);
      const { payload } = await jose.jwtVerify(inner, jose.createLocalJWKSet(providerJwks), {
        issuer: 'https://sample-op.example', audience: 'sample-client', algorithms: ['ES256'],
      });
      assert.equal(payload.nonce, await page.inputValue('#dec-nonce'));
      assert.equal(payload.hetu, '010170-902L');
    });
  }

  test('every new input has a label; no console errors, failed requests or foreign requests', async () => {
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('#panel-reqobj input, #panel-reqobj select, #panel-reqobj textarea, #panel-decrypt input, #panel-decrypt select, #panel-decrypt textarea')]
      .filter((node) => !node.labels?.length && !node.getAttribute('aria-label')).map((node) => node.id));
    assert.deepEqual(unlabelled, []);
    for (const url of requests) assert.equal(new URL(url).origin, origin, url);
    assert.deepEqual(problems, []);
  });
});
