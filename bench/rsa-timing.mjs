// Timing classes of the RSA kernel's constant-time exponentiation in wasm (part of `npm run bench`).
//
// The kernel raises to dp and dq with a fixed-window method that processes every bit of a
// fixed-length exponent and reads every table entry (crates/rsa-kernel/src/exp.rs). Here the
// same routine, built into a tiny import-free module (crates/rsa-timing-probe, not shipped),
// runs modulo a real 1024-bit prime of a fresh RSA-2048 key with exponents of different shapes:
// zero, all ones, a single top bit, a single low bit, the key's real dp, and random values. If the
// time depended on the exponent, these classes would differ; the spread (max − min) / median over
// classes is printed. Samples are CPU time of this process, the fastest sample of each class is
// its estimate (interference only ever adds time); rounds interleave the classes so that load drift hits them all alike.
//
// Knobs: BENCH_TIMING_ROUNDS (default 25), BENCH_TIMING_REPS (exponentiations per sample, default 20).
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_TIMING_ROUNDS ?? 25);
const REPS = Number(process.env.BENCH_TIMING_REPS ?? 20);
const wasmPath = join(root, 'target/wasm32-unknown-unknown/release/pkjwt_rsa_timing_probe.wasm');

const built = spawnSync('cargo', ['build', '--quiet', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'pkjwt-rsa-timing-probe'], { cwd: root, stdio: 'inherit' });
if (built.status !== 0 || !existsSync(wasmPath)) {
  console.error('rsa-timing: could not build crates/rsa-timing-probe for wasm32');
  process.exit(1);
}
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {});
const { memory, input, setup, pow } = instance.exports;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = privateKey.export({ format: 'jwk' });
const p = Buffer.from(jwk.p, 'base64url');
const dp = Buffer.from(jwk.dp, 'base64url');
const len = p.length;
const write = (bytes, offset = 0) => new Uint8Array(memory.buffer, input(), 2 * len).set(bytes, offset);
const fixed = (bytes) => Buffer.concat([Buffer.alloc(len - bytes.length), bytes]);

const base = crypto.randomBytes(len);
base[0] &= 0x3f;
write(p);
write(base, len);
if (setup(len) !== 1) {
  console.error('rsa-timing: the probe refused the modulus');
  process.exit(1);
}

// CPU time of this process, less disturbed than wall time by other processes on a shared machine.
const cpuMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
const single = (bit) => { const e = Buffer.alloc(len); e[len - 1 - (bit >> 3)] = 1 << (bit & 7); return e; };
const classes = {
  zero: Buffer.alloc(len),
  'all ones': Buffer.alloc(len, 0xff),
  'top bit': single(8 * len - 1),
  'low bit': single(0),
  'real dp': fixed(dp),
  'random 1': crypto.randomBytes(len),
  'random 2': crypto.randomBytes(len),
};
const names = Object.keys(classes);
const samples = Object.fromEntries(names.map((name) => [name, []]));
for (const name of names) { write(classes[name]); pow(len, 2); }
for (let round = 0; round < ROUNDS; round += 1) {
  for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
    write(classes[name]);
    const start = cpuMs();
    pow(len, REPS);
    samples[name].push((cpuMs() - start) / REPS);
  }
}

const median = (values) => { const s = [...values].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const medians = Object.fromEntries(names.map((name) => [name, Math.min(...samples[name])]));
const all = Object.values(medians);
const center = median(all);
const spread = (Math.max(...all) - Math.min(...all)) / center;
console.log(`\nRSA kernel timing classes: ${8 * len}-bit prime modulus, ${8 * len}-bit exponents, fastest of ${ROUNDS} rounds × ${REPS}`);
for (const name of names) {
  const deviation = ((medians[name] - center) / center) * 100;
  console.log(`  ${name.padEnd(9)} ${medians[name].toFixed(3)} ms CPU/exponentiation  (${deviation >= 0 ? '+' : ''}${deviation.toFixed(2)}% from the classes' median)`);
}
console.log(`  spread (max − min) / median: ${(spread * 100).toFixed(2)}%  (load noise on a shared machine is of the same order; a secret-dependent`);
console.log('  exponentiation would show class gaps of tens of percent: zero and one-bit exponents would skip almost every multiplication)');
