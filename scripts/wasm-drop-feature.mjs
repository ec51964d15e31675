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
import { readUleb, rewriteCustomSections, uleb, utf8At } from './lib/wasm-binary.mjs';

const [input, output, feature] = process.argv.slice(2);
if (!input || !output || !feature) {
  console.error('usage: wasm-drop-feature.mjs <in.wasm> <out.wasm> <feature>');
  process.exit(2);
}

/** The `target_features` payload without `feature`, or null when `feature` is not listed. */
function withoutFeature(payload) {
  let [count, at] = readUleb(payload, 0);
  const kept = [];
  let dropped = false;
  while (count-- > 0) {
    const start = at;
    let length;
    [length, at] = readUleb(payload, at + 1);
    const name = utf8At(payload, at, at + length);
    at += length;
    if (name === feature) dropped = true;
    else kept.push(payload.subarray(start, at));
  }
  if (at !== payload.length) throw new Error('wasm-drop-feature: malformed target_features section');
  return dropped ? Buffer.concat([uleb(kept.length), ...kept]) : null;
}

let found = false;
const rewritten = rewriteCustomSections(readFileSync(input), (name, payload) => {
  if (name !== 'target_features') return null;
  const shorter = withoutFeature(payload);
  found ||= shorter !== null;
  return shorter;
});
if (!found) {
  console.error(`wasm-drop-feature: ${input} declares no "${feature}" feature`);
  process.exit(1);
}
writeFileSync(output, rewritten);
