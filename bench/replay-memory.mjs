// Benchmark of the in-memory ReplayCache (the default ReplayStore of ClientAssertionVerifier):
//   1. bytes per entry: one million distinct (client, jti) keys in a cache sized for them, measured
//      as the growth of the wasm linear memory (which holds the whole cache);
//   2. bounded: one million distinct keys into a default cache (100 000 entries): it refuses with
//      ERR_REPLAY_CACHE_FULL rather than grow or forget, and memory stops growing at the cap;
//      with entries that expire, it purges them and stays small;
//   3. constant-time lookups: the cost of a check of a held key at 10k, 100k and 1M entries.
// Run: node bench/replay-memory.mjs   (part of `npm run bench`, not of the tests: timings vary)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { initSync } from '../pkg/wasm/pkjwt.js';

// The package's Node entry (pkg/node.js) is one bundled file with its own copy of the glue, whose
// memory is out of reach: this loads the same glue and api.js unbundled (as the other runtimes'
// entries do) to watch the wasm memory.
const wasm = initSync({ module: readFileSync(new URL('../pkg/wasm/pkjwt_bg.wasm', import.meta.url)) });
const { ReplayCache } = await import('../pkg/api.js');
const memory = () => wasm.memory.buffer.byteLength;
const MiB = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const prefix = randomBytes(4).toString('hex');
// The verifier's key shape: JSON [clientId, jti] with a 22-character (128-bit) jti.
const keyOf = (i) => JSON.stringify([`client-${i % 1000}`, `${prefix}${i.toString(36).padStart(14, '0')}`]);
const far = Date.now() + 3_600_000;

function fill(cache, from, to, expiresAt = far) {
  let accepted = 0;
  let full = 0;
  for (let i = from; i < to; i += 1) {
    try {
      if (cache.setIfAbsent(keyOf(i), expiresAt)) accepted += 1;
    } catch (error) {
      if (error.code !== 'ERR_REPLAY_CACHE_FULL') throw error;
      full += 1;
    }
  }
  return { accepted, full };
}

function lookupNs(cache, size, samples = 200_000) {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let n = 0; n < samples; n += 1) {
    if (!cache.setIfAbsent(keyOf((n * 7919) % size), far)) sink += 1;
  }
  const ns = Number(process.hrtime.bigint() - started) / samples;
  if (sink !== samples) throw new Error('a held key was not reported as held');
  return ns;
}

console.log(`ReplayCache benchmark (Node ${process.versions.node}); key example ${keyOf(123456)} (${keyOf(123456).length} chars)\n`);

// 1 and 3: one cache sized for a million entries, measured as it grows.
const big = new ReplayCache({ maxEntries: 1_000_000 });
const base = memory();
let filled = 0;
const rows = [];
for (const size of [10_000, 100_000, 1_000_000]) {
  const t0 = process.hrtime.bigint();
  fill(big, filled, size);
  const insertNs = Number(process.hrtime.bigint() - t0) / (size - filled);
  filled = size;
  rows.push({ entries: big.size, wasmMemory: MiB(memory()), bytesPerEntry: Math.round((memory() - base) / big.size), insertNsPerKey: Math.round(insertNs), lookupNsPerCheck: Math.round(lookupNs(big, size)) });
}
console.log('1. one cache (maxEntries 1 000 000) as it grows; lookup = a check of a held key:');
console.table(rows);
const perEntry = (memory() - base) / big.size;
console.log(`   => ${Math.round(perEntry)} bytes per entry at 1 000 000 entries (wasm linear memory growth, page-granular; includes the HashMap, the expiry index and both copies of the key)`);
const [small, large] = [rows[0].lookupNsPerCheck, rows[2].lookupNsPerCheck];
console.log(`   => lookups: ${small} ns at 10k vs ${large} ns at 1M entries (ratio ${(large / small).toFixed(2)}; hash lookups, O(1) expected, cache misses grow it somewhat)\n`);
big.free();

// 2. bounded: a default cache offered a million distinct keys.
const before = memory();
const capped = new ReplayCache();
const { accepted, full } = fill(capped, 2_000_000, 3_000_000);
console.log('2. a default cache (100 000 entries) offered 1 000 000 distinct unexpired keys:');
console.log(`   accepted ${accepted}, refused ERR_REPLAY_CACHE_FULL ${full}, size ${capped.size}; wasm memory ${MiB(before)} -> ${MiB(memory())} (the module's memory never shrinks: it reuses what step 1 freed)`);
const churn = new ReplayCache();
const past = Date.now() - 2000;
fill(churn, 4_000_000, 5_000_000, past);
console.log(`   the same million keys, each already expired when the next arrives: size ${churn.size} (expired entries are purged on insert)`);
