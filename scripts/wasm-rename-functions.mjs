// Renames every function in a .wasm's name section to `f<index>`, except the names given, so that
// one wasm-opt pattern (`--no-inline='f*'`) can forbid inlining of all functions but those.
// Usage: node scripts/wasm-rename-functions.mjs <in.wasm> <out.wasm> <name>...
// Format: the WebAssembly core specification, "Name section" (custom section `name`, subsection 1).
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output, ...kept] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: wasm-rename-functions.mjs <in.wasm> <out.wasm> <name>...');
  process.exit(2);
}
const keep = new Set(kept);
const found = new Set();
const bytes = readFileSync(input);
const text = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextEncoder();

/** An unsigned LEB128 at `at`: [value, next offset]. */
function readUleb(buf, at) {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = buf[at++];
    if (byte === undefined) throw new Error('truncated LEB128');
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, at];
  }
}

function uleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

function vector(parts) {
  const body = Buffer.concat(parts);
  return Buffer.concat([uleb(body.length), body]);
}

/** The function-name map (subsection 1) with every name not kept replaced. */
function renameFunctions(payload) {
  let [count, at] = readUleb(payload, 0);
  const entries = [uleb(count)];
  let renamed = 0;
  while (count-- > 0) {
    let index;
    let length;
    [index, at] = readUleb(payload, at);
    [length, at] = readUleb(payload, at);
    const name = text.decode(payload.subarray(at, at + length));
    at += length;
    if (keep.has(name)) found.add(name);
    const next = keep.has(name) ? name : `f${index}`;
    if (next !== name) renamed++;
    entries.push(uleb(index), vector([Buffer.from(utf8.encode(next))]));
  }
  return { payload: Buffer.concat(entries), renamed };
}

function renameInNameSection(body) {
  let [length, at] = readUleb(body, 0);
  const sectionName = text.decode(body.subarray(at, at + length));
  at += length;
  if (sectionName !== 'name') return { body, renamed: 0 };
  const parts = [body.subarray(0, at)];
  let renamed = 0;
  while (at < body.length) {
    const id = body[at++];
    let size;
    [size, at] = readUleb(body, at);
    let payload = body.subarray(at, at + size);
    at += size;
    if (id === 1) ({ payload, renamed } = renameFunctions(payload));
    parts.push(Buffer.from([id]), vector([payload]));
  }
  return { body: Buffer.concat(parts), renamed };
}

if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${input} is not a .wasm`);
const sections = [bytes.subarray(0, 8)];
let total = 0;
let at = 8;
while (at < bytes.length) {
  const id = bytes[at++];
  let size;
  [size, at] = readUleb(bytes, at);
  let body = bytes.subarray(at, at + size);
  at += size;
  if (id === 0) {
    let renamed;
    ({ body, renamed } = renameInNameSection(body));
    total += renamed;
  }
  sections.push(Buffer.from([id]), vector([body]));
}
if (total === 0) throw new Error(`${input} has no function names to rename (built without a name section?)`);
const missing = kept.filter((name) => !found.has(name));
if (missing.length > 0) throw new Error(`${input} has no function named ${missing.join(', ')}`);
writeFileSync(output, Buffer.concat(sections));
