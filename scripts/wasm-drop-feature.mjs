// Removes one entry from a .wasm's `target_features` custom section, leaving the code untouched.
// scripts/build-wasm.sh drops `multivalue` before wasm-bindgen runs. With the entry, wasm-bindgen
// turns every export that returns a Result, a string or a slice into a multi-value function (23
// distinct export signatures here, most of them multi-value), and compiling the module on Node 20
// took ≈ 3 ms longer than with the multi-value exports removed from it: V8 compiles a wrapper
// for each such signature up front. Without the entry wasm-bindgen returns those results through
// a pointer into the module's stack (14 distinct signatures, none multi-value): the module
// compiles in 4.7 ms instead of 6.8 (median of 11), a cold start to the first ES256 / RS256
// assertion is 5.6 / 6.7 ms shorter, and a call that returns a value pays ≈ 0.25 µs more in the
// JS glue (issue 7).
// Usage: node scripts/wasm-drop-feature.mjs <in.wasm> <out.wasm> <feature>
// Format: the WebAssembly core specification (sections, LEB128) and the tool-conventions
// "Features" section: a count, then per feature a prefix byte ('+', '-' or '=') and a name.
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output, feature] = process.argv.slice(2);
if (!input || !output || !feature) {
  console.error('usage: wasm-drop-feature.mjs <in.wasm> <out.wasm> <feature>');
  process.exit(2);
}
const bytes = readFileSync(input);

/** An unsigned LEB128 at `at`: [value, next offset]. */
function readUleb(at) {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, at];
  }
}

/** `value` as an unsigned LEB128. */
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

/** The `target_features` payload without `feature`, or null when `feature` is not listed. */
function withoutFeature(at, end) {
  let count;
  [count, at] = readUleb(at);
  const kept = [];
  let dropped = false;
  for (let i = 0; i < count; i++) {
    const start = at;
    let length;
    [length, at] = readUleb(at + 1);
    const name = bytes.toString('utf8', at, at + length);
    at += length;
    if (name === feature) dropped = true;
    else kept.push(bytes.subarray(start, at));
  }
  if (at !== end) throw new Error('wasm-drop-feature: malformed target_features section');
  return dropped ? Buffer.concat([uleb(kept.length), ...kept]) : null;
}

const parts = [bytes.subarray(0, 8)];
let found = false;
for (let at = 8; at < bytes.length;) {
  const start = at;
  const id = bytes[at];
  let size;
  [size, at] = readUleb(at + 1);
  const end = at + size;
  if (id === 0) {
    const [nameLength, nameAt] = readUleb(at);
    if (bytes.toString('utf8', nameAt, nameAt + nameLength) === 'target_features') {
      const payload = withoutFeature(nameAt + nameLength, end);
      if (payload) {
        found = true;
        const content = Buffer.concat([bytes.subarray(at, nameAt + nameLength), payload]);
        parts.push(Buffer.from([0]), uleb(content.length), content);
        at = end;
        continue;
      }
    }
  }
  parts.push(bytes.subarray(start, end));
  at = end;
}
if (!found) {
  console.error(`wasm-drop-feature: ${input} declares no "${feature}" feature`);
  process.exit(1);
}
writeFileSync(output, Buffer.concat(parts));
