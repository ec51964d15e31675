// Asserts the npm tarball of pkg/ holds exactly the files the package needs: the loaders, the
// shared API, the typings, the wasm-bindgen glue and the one .wasm (once), plus package.json,
// README.md and LICENSE. Anything missing or extra (a stray .tgz, the raw wasm-bindgen .d.ts, a
// .gitignore, a second copy of the .wasm) fails with a diff.
//
// Usage: node tests/package/tarball.mjs <npm-pack.json> <pkjwt-x.y.z.tgz>
//   <npm-pack.json> is the output of `npm pack ./pkg --json`; the .tgz is the tarball it wrote.
//   Both the list npm reports and the entries actually in the tarball are checked.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const EXPECTED = [
  'package.json',
  'README.md',
  'LICENSE',
  'index.d.ts',
  'api.js',
  'node.js',
  'deno.js',
  'workerd.js',
  'edge-light.js',
  'browser.js',
  'cli.js',
  'verifier.js',
  'openid.js',
  'errors.js',
  'wasm/pkjwt.js',
  'wasm/pkjwt_bg.wasm',
];

const [packJsonPath, tarballPath] = process.argv.slice(2);
if (!packJsonPath || !tarballPath) {
  console.error('usage: node tests/package/tarball.mjs <npm-pack.json> <tarball.tgz>');
  process.exit(2);
}

/** Entry paths of a .tgz, in order, with duplicates kept (ustar + pax path records). */
function tarEntries(file) {
  const data = gunzipSync(readFileSync(file));
  const entries = [];
  let paxPath;
  for (let offset = 0; offset + 512 <= data.length;) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start, length) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    const body = data.subarray(offset + 512, offset + 512 + size);
    if (type === 'x') {
      const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      paxPath = match?.[1];
    } else if (type !== 'g') {
      entries.push({ path: paxPath ?? name, type });
      paxPath = undefined;
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** Multiset difference: what `actual` has beyond `expected`, and what it lacks. */
function diff(actual, expected) {
  const remaining = new Map();
  for (const path of expected) remaining.set(path, (remaining.get(path) ?? 0) + 1);
  const extra = [];
  for (const path of actual) {
    const left = remaining.get(path) ?? 0;
    if (left > 0) remaining.set(path, left - 1);
    else extra.push(path);
  }
  const missing = [...remaining].flatMap(([path, count]) => Array(count).fill(path));
  return { extra, missing };
}

let failed = false;
function check(label, actual) {
  const { extra, missing } = diff(actual, EXPECTED);
  if (extra.length === 0 && missing.length === 0) {
    console.log(`tarball: ${label}: ${actual.length} files, exactly as expected`);
    return;
  }
  failed = true;
  console.error(`tarball: ${label} is not the expected file list:`);
  for (const path of missing) console.error(`  - ${path}    (missing)`);
  for (const path of extra) console.error(`  + ${path}    (unexpected${EXPECTED.includes(path) ? ': duplicate' : ''})`);
  console.error(`  expected: ${[...EXPECTED].sort().join(', ')}`);
  console.error(`  actual:   ${[...actual].sort().join(', ')}`);
}

const report = JSON.parse(readFileSync(packJsonPath, 'utf8'));
if (!Array.isArray(report) || report.length !== 1) {
  console.error(`tarball: expected one package in the npm pack report, got ${Array.isArray(report) ? report.length : typeof report}`);
  process.exit(1);
}
check("npm pack's file list", report[0].files.map((file) => file.path));

const entries = tarEntries(tarballPath);
const notFiles = entries.filter((entry) => entry.type !== '0' && entry.type !== '5');
for (const entry of notFiles) {
  failed = true;
  console.error(`tarball: ${entry.path} is not a regular file (tar type ${JSON.stringify(entry.type)})`);
}
const outside = entries.filter((entry) => !entry.path.startsWith('package/'));
for (const entry of outside) {
  failed = true;
  console.error(`tarball: ${entry.path} is outside package/`);
}
check('the .tgz itself', entries
  .filter((entry) => entry.type === '0' && entry.path.startsWith('package/'))
  .map((entry) => entry.path.slice('package/'.length)));

for (const file of report[0].files) {
  if (file.size === 0) console.warn(`tarball: warning: ${file.path} is empty`);
}

if (failed) process.exit(1);
