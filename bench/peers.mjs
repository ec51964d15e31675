// pkjwt against its peers, side by side in one run (`npm run bench`, before replay-memory.mjs).
//
// Rows: create + sign one client assertion, verify one (signature + aud, iss, exp), per algorithm
// (RS256 and PS256 with RSA-2048, ES256, ES384, EdDSA), keys imported beforehand; private (PEM
// PKCS#8) and public (PEM SPKI) key import; key generation (RSA-2048, P-256, Ed25519); cold start
// from a fresh Node process to the first signed assertion; the .wasm size raw and gzip -9.
//
// Method: before anything is timed, every peer's signer is checked by another peer's verifier
// (node:crypto verifies everyone; pkjwt and jose verify node:crypto), every verifier must accept
// node:crypto's and pkjwt's tokens and reject a bad signature, a wrong aud, a wrong iss and an
// expired token, and imported / generated keys must sign what node:crypto verifies. Any failure
// aborts. Then each row runs BENCH_ROUNDS rounds; in a round every peer runs for BENCH_MS, in an
// order rotated from round to round. The reported ops/s is the median over rounds; the ratio is
// the median over rounds of (peer ops/s ÷ node:crypto ops/s in the same round), so load that
// drifts between rounds cancels out. Ratio > 1: faster than native OpenSSL via node:crypto.
//
// Knobs: BENCH_ROUNDS (default 5), BENCH_MS (default 200), BENCH_COLD_RUNS (default 21),
// BENCH_QUICK=1 (3 rounds of 60 ms, 3 cold runs: a smoke test), BENCH_ONLY=sign,verify,import,keygen,cold
// (a subset), BENCH_OUT (default bench/results/latest.json).
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  ALGS, ALG_OF_KIND, AUDIENCE, CLIENT_ID, FIXTURE_OF_KIND, KID, KIND_OF, PEERS, REFERENCE, TYP, claims, whyNot,
} from './lib/peers.mjs';
import { formatOps, formatRatio, median, opsPerSecond, rotated } from './lib/timing.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 3 : 5));
const MS = Number(env.BENCH_MS ?? (QUICK ? 60 : 200));
const WARM_MS = Math.max(20, Math.round(MS / 4));
const COLD_RUNS = Number(env.BENCH_COLD_RUNS ?? (QUICK ? 3 : 21));
const ONLY = new Set((env.BENCH_ONLY ?? 'sign,verify,import,keygen,cold').split(','));
const OUT = env.BENCH_OUT ?? join(root, 'bench/results/latest.json');
// RSA key generation takes 0.1–2 s (jsrsasign: 4–15 s) per key: ~1 s of keys (at least one; one with
// BENCH_QUICK) per peer per round, at most 3 rounds; jsrsasign one key in one round.
const RSA_KEYGEN_ROUNDS = Math.min(ROUNDS, 3);
const SLOW_ROUNDS = { 'jsrsasign keygen RSA-2048': 1 };

const pem = (name) => readFileSync(join(root, 'tests/keys', name), 'utf8');
const FIX = Object.fromEntries(Object.entries(FIXTURE_OF_KIND).map(([kind, file]) => [kind, { priv: pem(`${file}.pkcs8.pem`), pub: pem(`${file}.spki.pem`) }]));
const version = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const VERSIONS = {
  pkjwt: version('pkjwt'), 'node:crypto': `node ${process.versions.node}, OpenSSL ${process.versions.openssl}`,
  jose: version('jose'), jsonwebtoken: version('jsonwebtoken'), 'fast-jwt': version('fast-jwt'), jsrsasign: version('jsrsasign'), '@noble/curves': version('@noble/curves'),
};

const log = (...args) => console.log(...args);
const fail = (message) => { console.error(`\nbench/peers.mjs: CROSS-CHECK FAILED: ${message}\nNothing was timed.`); process.exit(1); };
const peerByName = Object.fromEntries(PEERS.map((p) => [p.name, p]));

// ---------------------------------------------------------------- setup: keys imported once
const ready = {}; // ready[peer][alg] = { priv, pub, sign, verify }
for (const peer of PEERS) {
  ready[peer.name] = {};
  for (const alg of ALGS) {
    if (whyNot(peer, 'sign', alg)) continue;
    const { priv: privPem, pub: pubPem } = FIX[KIND_OF[alg]];
    const priv = await (peer.importPrivate ?? peer.nativePrivate)(privPem, alg);
    const pub = await (peer.importPublic ?? peer.nativePublic)(pubPem, alg);
    ready[peer.name][alg] = { priv, pub, sign: peer.signerFor(alg, priv), verify: peer.verifierFor(alg, pub) };
  }
}
const ref = ready[REFERENCE.name];

/** A token node:crypto signs with `claimsObj` (for the negative checks). */
function refToken(alg, claimsObj) {
  const hash = { RS256: 'sha256', PS256: 'sha256', ES256: 'sha256', ES384: 'sha384', EdDSA: null }[alg];
  let key = ref[alg].priv;
  if (alg === 'PS256') key = { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
  if (alg.startsWith('ES')) key = { key, dsaEncoding: 'ieee-p1363' };
  const b = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${b({ alg, kid: KID, typ: TYP })}.${b(claimsObj)}`;
  return `${input}.${crypto.sign(hash, Buffer.from(input), key).toString('base64url')}`;
}
const tamper = (token) => {
  const [h, p, s] = token.split('.');
  const sig = Buffer.from(s, 'base64url');
  sig[sig.length >> 1] ^= 1;
  return `${h}.${p}.${sig.toString('base64url')}`;
};
async function accepts(verify, token) {
  try { await verify(token); return true; } catch { return false; }
}
function shapeOf(token) {
  const [h, p] = token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
  return { h, p };
}

// ---------------------------------------------------------------- cross-checks (abort on any failure)
log(`pkjwt peer benchmark — ${ROUNDS} rounds × ${MS} ms per peer per row${QUICK ? ' (BENCH_QUICK)' : ''}; cross-checking first…`);
let checks = 0;
for (const alg of ALGS) {
  const refToken1 = ref[alg].sign();
  const pkjwtToken = ready.pkjwt[alg].sign();
  for (const peer of PEERS) {
    const r = ready[peer.name][alg];
    if (!r) continue;
    // 1. this peer's token, verified by a different peer (node:crypto; node:crypto's by pkjwt and jose).
    const token = await r.sign();
    const { h, p } = shapeOf(token);
    if (h.alg !== alg || h.kid !== KID || h.typ !== TYP) fail(`${peer.name} ${alg}: header ${JSON.stringify(h)}`);
    if (p.iss !== CLIENT_ID || p.sub !== CLIENT_ID || p.aud !== AUDIENCE || typeof p.jti !== 'string' || p.jti.length < 16
        || !Number.isInteger(p.iat) || p.exp - p.iat !== 60) fail(`${peer.name} ${alg}: claims ${JSON.stringify(p)}`);
    const verifiers = peer === REFERENCE ? ['pkjwt', 'jose'] : [REFERENCE.name];
    for (const other of verifiers) {
      if (!(await accepts(ready[other][alg].verify, token))) fail(`${other} does not verify ${peer.name}'s ${alg} token ${token}`);
      checks += 1;
    }
    // 2. this peer's verifier: accepts node:crypto's and pkjwt's tokens, refuses forgeries and bad claims.
    for (const [label, t] of [['node:crypto', refToken1], ['pkjwt', pkjwtToken]]) {
      if (!(await accepts(r.verify, t))) fail(`${peer.name} does not verify ${label}'s ${alg} token`);
      checks += 1;
    }
    const iat = Math.floor(Date.now() / 1000);
    const bad = {
      'a tampered signature': tamper(refToken1),
      'a wrong aud': refToken(alg, { ...claims(), aud: 'https://evil.example' }),
      'a wrong iss': refToken(alg, { ...claims(), iss: 'someone-else' }),
      'an expired token': refToken(alg, { ...claims(), iat: iat - 200, exp: iat - 100 }),
    };
    for (const [label, t] of Object.entries(bad)) {
      if (await accepts(r.verify, t)) fail(`${peer.name} ${alg} verifier accepts ${label}`);
      checks += 1;
    }
  }
}
// Key import: the imported private key signs what node:crypto verifies; the public key verifies node:crypto's token.
for (const [kind, alg] of Object.entries(ALG_OF_KIND)) {
  for (const peer of PEERS) {
    if (whyNot(peer, 'import', kind)) continue;
    const priv = await peer.importPrivate(FIX[kind].priv, alg);
    const pub = await peer.importPublic(FIX[kind].pub, alg);
    if (!(await accepts(ref[alg].verify, await peer.signerFor(alg, priv)()))) fail(`${peer.name}: key imported from ${kind} PKCS#8 signs what node:crypto refuses`);
    if (!(await accepts(peer.verifierFor(alg, pub), ref[alg].sign()))) fail(`${peer.name}: key imported from ${kind} SPKI refuses node:crypto's token`);
    checks += 2;
  }
}
// Key generation: a generated key signs what node:crypto verifies with the exported public key.
const GEN_KINDS = { 'RSA-2048': 'RS256', 'P-256': 'ES256', Ed25519: 'EdDSA' };
if (ONLY.has('keygen')) {
  for (const [kind, alg] of Object.entries(GEN_KINDS)) {
    for (const peer of PEERS) {
      if (whyNot(peer, 'keygen', kind)) continue;
      if (peer.name === 'jsrsasign' && kind === 'RSA-2048') continue; // 4–15 s per key; its P-256 keys and RSA signing are checked
      const pair = await peer.keygen(kind);
      const token = await peer.signerFor(alg, peer.privateOf(pair))();
      const nodePub = await peer.publicToNode(pair);
      if (!(await accepts(REFERENCE.verifierFor(alg, nodePub), token))) fail(`${peer.name}: a generated ${kind} key signs what node:crypto refuses`);
      checks += 1;
    }
  }
}
log(`${checks} cross-checks passed.\n`);

// ---------------------------------------------------------------- timed rows
const rows = [];
function row(op, what, label, make) {
  const entries = [];
  const na = {};
  for (const peer of PEERS) {
    const why = whyNot(peer, op === 'import-private' || op === 'import-public' ? 'import' : op, what);
    if (why) na[peer.name] = why;
    else entries.push({ peer, fn: make(peer) });
  }
  rows.push({ op, what, label, entries, na });
}
// The token every verifier checks: node:crypto's, 300 s lifetime, made fresh before its row.
const this_token = {};
const disposing = (peer, fn) => (peer.dispose ? () => peer.dispose(fn()) : fn);
if (ONLY.has('sign')) for (const alg of ALGS) row('sign', alg, `sign ${alg}`, (peer) => ready[peer.name][alg].sign);
if (ONLY.has('verify')) {
  for (const alg of ALGS) {
    row('verify', alg, `verify ${alg}`, (peer) => {
      const verify = ready[peer.name][alg].verify;
      return () => verify(this_token[alg]);
    });
  }
}
if (ONLY.has('import')) {
  for (const [kind, alg] of Object.entries(ALG_OF_KIND)) {
    row('import-private', kind, `import private ${kind}`, (peer) => disposing(peer, () => peer.importPrivate(FIX[kind].priv, alg)));
  }
  for (const [kind, alg] of Object.entries(ALG_OF_KIND)) {
    row('import-public', kind, `import public ${kind}`, (peer) => disposing(peer, () => peer.importPublic(FIX[kind].pub, alg)));
  }
}
if (ONLY.has('keygen')) for (const kind of Object.keys(GEN_KINDS)) row('keygen', kind, `generate ${kind}`, (peer) => disposing(peer, () => peer.keygen(kind)));

const started = Date.now();
for (const r of rows) {
  if (r.op === 'verify') this_token[r.what] = refToken(r.what, claims(300));
  const rsaKeygen = r.op === 'keygen' && r.what === 'RSA-2048';
  const rounds = rsaKeygen ? RSA_KEYGEN_ROUNDS : ROUNDS;
  const budget = rsaKeygen ? (QUICK ? 0 : 1000) : MS; // RSA: at least one key, ~1 s of keys when not quick
  if (!rsaKeygen) for (const { fn } of r.entries) await opsPerSecond(fn, WARM_MS); // warm-up (JIT, lazy init)
  const perRound = r.entries.map(() => []);
  for (let round = 0; round < rounds; round += 1) {
    for (const i of rotated(r.entries.map((_, k) => k), round)) {
      const { peer, fn } = r.entries[i];
      if (round >= (SLOW_ROUNDS[`${peer.name} ${r.label.replace('generate', 'keygen')}`] ?? Infinity)) { perRound[i].push(NaN); continue; }
      perRound[i].push(await opsPerSecond(fn, budget, 1));
    }
  }
  const refIndex = r.entries.findIndex((e) => e.peer === REFERENCE);
  r.result = {};
  r.entries.forEach(({ peer }, i) => {
    const ratios = perRound[i].map((ops, k) => ops / perRound[refIndex][k]);
    r.result[peer.name] = { ops: median(perRound[i]), ratio: median(ratios), rounds: perRound[i], ratios };
  });
  const cells = r.entries.map(({ peer }) => `${peer.name} ${formatOps(r.result[peer.name].ops)} (${formatRatio(r.result[peer.name].ratio)})`);
  log(`  ${r.label.padEnd(24)} ${cells.join('  ')}`);
}
const timedSeconds = (Date.now() - started) / 1000;

// ---------------------------------------------------------------- cold start
let cold = null;
if (ONLY.has('cold')) {
  const asJs = JSON.stringify;
  // t0: the scenario's body starts (its imports are loaded and evaluated); tKey: the key is imported.
  const tail = `const t = performance.now(); process.stdout.write(JSON.stringify({ t, t0, tKey, token }));`;
  const scenarios = {
    'bare node': `const t0 = performance.now(); const tKey = t0; const token = null; ${tail}`,
    'node:crypto ES256': `import crypto from 'node:crypto'; import { readFileSync } from 'node:fs'; const t0 = performance.now();
      const key = crypto.createPrivateKey(readFileSync('tests/keys/p256.pkcs8.pem', 'utf8')); const tKey = performance.now();
      const b = (v) => Buffer.from(JSON.stringify(v)).toString('base64url'); const iat = Math.floor(Date.now() / 1000);
      const input = b({ alg: 'ES256', kid: ${asJs(KID)}, typ: ${asJs(TYP)} }) + '.' + b({ iss: ${asJs(CLIENT_ID)}, sub: ${asJs(CLIENT_ID)}, aud: ${asJs(AUDIENCE)}, jti: crypto.randomBytes(16).toString('base64url'), iat, exp: iat + 60 });
      const token = input + '.' + crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url'); ${tail}`,
    'pkjwt ES256': `import { importKey, createClientAssertion } from 'pkjwt'; import { readFileSync } from 'node:fs'; const t0 = performance.now();
      const key = importKey(readFileSync('tests/keys/p256.pkcs8.pem', 'utf8')); const tKey = performance.now();
      const token = createClientAssertion({ clientId: ${asJs(CLIENT_ID)}, audience: ${asJs(AUDIENCE)}, key }); ${tail}`,
    'pkjwt RS256': `import { importKey, createClientAssertion } from 'pkjwt'; import { readFileSync } from 'node:fs'; const t0 = performance.now();
      const key = importKey(readFileSync('tests/keys/rsa2048.pkcs8.pem', 'utf8')); const tKey = performance.now();
      const token = createClientAssertion({ clientId: ${asJs(CLIENT_ID)}, audience: ${asJs(AUDIENCE)}, key, alg: 'RS256' }); ${tail}`,
    'jose ES256': `import { importPKCS8, SignJWT } from 'jose'; import { readFileSync } from 'node:fs'; import crypto from 'node:crypto'; const t0 = performance.now();
      const key = await importPKCS8(readFileSync('tests/keys/p256.pkcs8.pem', 'utf8'), 'ES256'); const tKey = performance.now();
      const token = await new SignJWT({ jti: crypto.randomBytes(16).toString('base64url') }).setProtectedHeader({ alg: 'ES256', kid: ${asJs(KID)}, typ: ${asJs(TYP)} })
        .setIssuer(${asJs(CLIENT_ID)}).setSubject(${asJs(CLIENT_ID)}).setAudience(${asJs(AUDIENCE)}).setIssuedAt().setExpirationTime('60s').sign(key); ${tail}`,
  };
  const names = Object.keys(scenarios);
  const wall = Object.fromEntries(names.map((n) => [n, []]));
  const inside = Object.fromEntries(names.map((n) => [n, []]));
  const phases = Object.fromEntries(names.map((n) => [n, { loaded: [], key: [], sign: [] }]));
  for (let run = 0; run < COLD_RUNS; run += 1) {
    for (const name of rotated(names, run)) {
      const started = performance.now();
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', scenarios[name]], { cwd: root, encoding: 'utf8' });
      const ms = performance.now() - started;
      if (child.status !== 0) fail(`cold start "${name}" exited ${child.status}: ${child.stderr}`);
      const { t, t0, tKey, token } = JSON.parse(child.stdout);
      phases[name].loaded.push(t0);
      phases[name].key.push(tKey - t0);
      phases[name].sign.push(t - tKey);
      if (token !== null) {
        const alg = name.endsWith('RS256') ? 'RS256' : 'ES256';
        if (!(await accepts(ref[alg].verify, token))) fail(`cold start "${name}": node:crypto refuses its assertion`);
      }
      wall[name].push(ms);
      inside[name].push(t);
    }
  }
  const bare = median(wall['bare node']);
  cold = Object.fromEntries(names.map((n) => [n, {
    wallMs: median(wall[n]), deltaMs: median(wall[n]) - bare, inProcessMs: median(inside[n]), runs: wall[n],
    loadedAtMs: median(phases[n].loaded), keyImportMs: median(phases[n].key), firstSignMs: median(phases[n].sign),
  }]));
}

// ---------------------------------------------------------------- .wasm size
const wasmBytes = readFileSync(join(root, 'pkg/wasm/pkjwt_bg.wasm'));
const wasm = { file: 'pkg/wasm/pkjwt_bg.wasm', raw: wasmBytes.length, gzip9: gzipSync(wasmBytes, { level: 9 }).length };

// ---------------------------------------------------------------- report
const cpu = os.cpus()[0]?.model ?? 'unknown';
const machine = {
  cpu, cores: os.cpus().length, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), loadavg: os.loadavg().map((l) => +l.toFixed(2)),
  platform: `${os.platform()} ${os.release()} ${os.arch()}`, node: process.versions.node, openssl: process.versions.openssl,
  date: new Date().toISOString(),
};
const shown = PEERS.map((p) => p.name);
const notes = new Map(); // reason → footnote number
const cellOf = (r, name) => {
  const res = r.result?.[name];
  if (res) return `${formatOps(res.ops)} (${formatRatio(res.ratio)})`;
  const why = r.na[name];
  if (!notes.has(why)) notes.set(why, notes.size + 1);
  return `n/a[${notes.get(why)}]`;
};
const lines = [];
lines.push(`| operation | ${shown.join(' | ')} |`);
lines.push(`|---|${shown.map(() => '--:').join('|')}|`);
for (const r of rows) lines.push(`| ${r.label} | ${shown.map((n) => cellOf(r, n)).join(' | ')} |`);
log(`\nops/s, median of ${ROUNDS} rounds (ratio to node:crypto, median of per-round ratios; > 1× = faster than node:crypto)`);
log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load average ${machine.loadavg.join(' ')} at the end\n`);
log(lines.join('\n'));
for (const [why, n] of notes) log(`[${n}] ${why}`);
if (cold) {
  log(`\ncold start: a fresh \`node --input-type=module -e\` to the first signed assertion (median of ${COLD_RUNS}; key file read + import + sign)\n`);
  log('| scenario | wall ms | Δ vs bare node | in-process ms at the assertion | imports evaluated at (Δ vs bare) | key import ms | first signature ms |');
  log('|---|--:|--:|--:|--:|--:|--:|');
  const bareLoaded = cold['bare node'].loadedAtMs;
  const signed = (ms) => `${ms < -0.5 ? '−' : '+'}${Math.abs(ms).toFixed(0)}`;
  for (const [name, c] of Object.entries(cold)) {
    const bareRow = name === 'bare node';
    log(`| ${name} | ${c.wallMs.toFixed(0)} | ${bareRow ? '—' : signed(c.deltaMs)} | ${c.inProcessMs.toFixed(0)} | ${c.loadedAtMs.toFixed(0)}${bareRow ? '' : ` (${signed(c.loadedAtMs - bareLoaded)})`} | ${bareRow ? '—' : c.keyImportMs.toFixed(1)} | ${bareRow ? '—' : c.firstSignMs.toFixed(1)} |`);
  }
}
log(`\n.wasm: ${wasm.raw.toLocaleString('en')} B raw, ${wasm.gzip9.toLocaleString('en')} B gzip -9 (${wasm.file})`);
log(`timed rows took ${timedSeconds.toFixed(0)} s`);

const json = {
  machine, versions: VERSIONS,
  config: { rounds: ROUNDS, msPerPeerPerRound: MS, warmupMs: WARM_MS, rsaKeygenRounds: RSA_KEYGEN_ROUNDS, slowRounds: SLOW_ROUNDS, coldRuns: COLD_RUNS, quick: QUICK, only: [...ONLY] },
  method: 'ops = median over rounds of ops/s; ratio = median over rounds of (peer ops/s / node:crypto ops/s in the same round). Peers run in an order rotated each round. RSA-2048 key generation: ~1 s of keys (at least one) per peer per round, at most 3 rounds; jsrsasign one key, one round. Cold start: wall time of spawnSync(node --input-type=module -e ...) to exit, median; delta = minus the bare-node median; phases (median each) from performance.now() in the child: when the scenario body starts (imports loaded and evaluated), the key import, the first signature.',
  crossChecks: checks,
  rows: rows.map((r) => ({
    op: r.op, what: r.what, label: r.label,
    peers: Object.fromEntries(shown.map((n) => [n, r.result?.[n] ?? { na: r.na[n] }])),
  })),
  coldStart: cold, wasm,
};
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(json, null, 2)}\n`);
log(`wrote ${relative(process.cwd(), OUT) || OUT}`);
