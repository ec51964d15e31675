// Fails when pkg/wasm/pkjwt_bg.wasm grows past the budget in size-budget.json: raw bytes and
// gzip level 9 bytes (Node's zlib, which can differ by ~1% from the gzip CLI). The budget sits
// about 5% above the measured build; lower it whenever the module shrinks.
//
// Usage: node tests/package/size.mjs [path/to/module.wasm]
import { readFileSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';

const file = process.argv[2] ?? new URL('../../pkg/wasm/pkjwt_bg.wasm', import.meta.url).pathname;
const budget = JSON.parse(readFileSync(new URL('./size-budget.json', import.meta.url), 'utf8'));
for (const name of ['rawBytes', 'gzipBytes']) {
  if (!Number.isInteger(budget[name]) || budget[name] <= 0) {
    console.error(`size: size-budget.json needs a positive integer ${name}`);
    process.exit(2);
  }
}

const bytes = readFileSync(file);
const raw = bytes.length;
const gzip = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const line = (label, size, limit) => {
  const headroom = limit - size;
  const verdict = headroom >= 0 ? `ok, ${headroom} bytes (${((headroom / limit) * 100).toFixed(1)}%) below` : `OVER by ${-headroom} bytes`;
  return `  ${label.padEnd(8)} ${String(size).padStart(8)} bytes (${kb(size)})  budget ${String(limit).padStart(8)} (${kb(limit)})  ${verdict}`;
};

console.log(`size: ${file}`);
console.log(line('raw', raw, budget.rawBytes));
console.log(line('gzip -9', gzip, budget.gzipBytes));
if (raw > budget.rawBytes || gzip > budget.gzipBytes) {
  console.error('size: the .wasm is over its budget (tests/package/size-budget.json). Shrink it, or raise the budget deliberately.');
  process.exit(1);
}
