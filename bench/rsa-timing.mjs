// Timing classes of the RSA kernel's constant-time exponentiation and inversion in wasm (part of `npm run bench`).
//
// The kernel raises to dp and dq with a fixed-window method that processes every bit of a
// fixed-length exponent and reads every table entry (crates/rsa-kernel/src/exp.rs). Here the
// same routine, built into a tiny import-free module (crates/rsa-timing-probe, not shipped),
// runs modulo a real 1024-bit prime of a fresh RSA-2048 key with exponents of different shapes:
// zero, all ones, a single top bit, a single low bit, the key's real dp, and random values. If the
// time depended on the exponent, these classes would differ; the spread (max − min) / median over
// classes is printed. Samples are CPU time of this process, the fastest sample of each class is
// its estimate (interference only ever adds time); rounds interleave the classes so that load drift hits them all alike.
// The same for the inversion of the blinding pair: 1, 2, p − 1, a power of two and random values,
// and for ES256 signing's R = k·G (crates/ec-kernel/src/p256_base.rs, in the same probe): scalars
// 1, 2^255, n − 1, 0x88…88, 0x0101…01 and random ones.
//
// Knobs: BENCH_TIMING_ROUNDS (default 25), BENCH_TIMING_REPS (exponentiations per sample, default 20;
// inversions per sample: 40 times as many; k·G: 10 times as many).
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
// The EC kernel links wasm-bindgen's placeholders (through getrandom, which the probe never calls):
// each import is a function that fails loudly if it ever runs.
const probeModule = await WebAssembly.compile(readFileSync(wasmPath));
const imports = {};
for (const { module, name } of WebAssembly.Module.imports(probeModule)) {
  (imports[module] ??= {})[name] = () => { throw new Error(`rsa-timing: the probe called ${module}.${name}`); };
}
const instance = await WebAssembly.instantiate(probeModule, imports);
const { memory, input, setup, pow, invert, base_x: baseX } = instance.exports;

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
/** Times `run` (`reps` operations on the value in the input buffer) per class, interleaved; prints the classes. */
function measure(title, classes, run, unit, footer, reps = REPS) {
  const names = Object.keys(classes);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (const name of names) { write(classes[name]); run(2); }
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
      write(classes[name]);
      const start = cpuMs();
      run(reps);
      samples[name].push((cpuMs() - start) / reps);
    }
  }
  const median = (values) => { const s = [...values].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const fastest = Object.fromEntries(names.map((name) => [name, Math.min(...samples[name])]));
  const all = Object.values(fastest);
  const center = median(all);
  const spread = (Math.max(...all) - Math.min(...all)) / center;
  console.log(`\n${title}, fastest of ${ROUNDS} rounds × ${reps}`);
  for (const name of names) {
    const deviation = ((fastest[name] - center) / center) * 100;
    console.log(`  ${name.padEnd(9)} ${fastest[name].toFixed(3)} ms CPU/${unit}  (${deviation >= 0 ? '+' : ''}${deviation.toFixed(2)}% from the classes' median)`);
  }
  console.log(`  spread (max − min) / median: ${(spread * 100).toFixed(2)}%  (load noise on a shared machine is of the same order; ${footer})`);
}

measure(`RSA kernel timing classes: ${8 * len}-bit prime modulus, ${8 * len}-bit exponents`, classes, (reps) => pow(len, reps), 'exponentiation',
  'a secret-dependent\n  exponentiation would show class gaps of tens of percent: zero and one-bit exponents would skip almost every multiplication');

// The blinding pair's inverse (crates/rsa-kernel/src/inverse.rs) modulo the same prime: a
// variable-time gcd would finish in a few steps for 1, 2 and powers of two.
const below = (bytes) => { const x = Buffer.from(bytes); x[0] &= 0x3f; return x; };
const minusOne = Buffer.from(p);
minusOne[len - 1] -= 1;
measure(`RSA kernel inversion classes: ${8 * len}-bit prime modulus`, {
  one: single(0),
  two: single(1),
  'p − 1': minusOne,
  '2^1000': single(1000),
  'random 1': below(crypto.randomBytes(len)),
  'random 2': below(crypto.randomBytes(len)),
  'random 3': below(crypto.randomBytes(len)),
}, (reps) => invert(len, reps), 'inversion', 'a variable-time\n  gcd would show class gaps of tens of percent: 1, 2 and powers of two take a handful of steps', 40 * REPS);

// ES256 signing's R = k·G (crates/ec-kernel/src/p256_base.rs): one table gather and one complete
// addition per signed radix-16 digit whatever its value. A variable-time method would skip the
// additions of zero digits (k = 1 and 2^255 have 64 of 65 digits zero) and show the weight of k.
const scalar = (hex) => Buffer.from(hex.padStart(64, '0'), 'hex');
measure('ES256 signing k·G timing classes: P-256 scalars', {
  one: scalar('1'),
  '2^255': scalar('8'.padEnd(64, '0')),
  'n − 1': scalar('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550'),
  '0x88…88': scalar('8'.repeat(64)),
  '0x0101…': scalar('01'.repeat(32)),
  'random 1': crypto.randomBytes(32),
  'random 2': crypto.randomBytes(32),
}, (reps) => baseX(reps), 'k·G', 'a variable-time\n  method would show class gaps of tens of percent: 1 and 2^255 have one non-zero digit of 65', 10 * REPS);
