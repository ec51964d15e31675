// Renames every function in a .wasm's name section to `f<index>`, except the names given, so that
// one wasm-opt pattern (`--no-inline='f*'`) can forbid inlining of all functions but those.
// Usage: node scripts/wasm-rename-functions.mjs <in.wasm> <out.wasm> <name>...
// Format: the WebAssembly core specification, "Name section" (custom section `name`, subsection 1).
import { readFileSync, writeFileSync } from 'node:fs';
import { readUleb, rewriteCustomSections, uleb, utf8At, vector } from './lib/wasm-binary.mjs';

const [input, output, ...kept] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: wasm-rename-functions.mjs <in.wasm> <out.wasm> <name>...');
  process.exit(2);
}
const keep = new Set(kept);
const found = new Set();
const bytes = readFileSync(input);
const utf8 = new TextEncoder();

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
    const name = utf8At(payload, at, at + length);
    at += length;
    if (keep.has(name)) found.add(name);
    const next = keep.has(name) ? name : `f${index}`;
    if (next !== name) renamed++;
    entries.push(uleb(index), vector([Buffer.from(utf8.encode(next))]));
  }
  return { payload: Buffer.concat(entries), renamed };
}

/** The subsections of the `name` custom section's `payload`, the function names renamed. */
function renameInNameSection(payload) {
  const parts = [];
  let renamed = 0;
  let at = 0;
  while (at < payload.length) {
    const id = payload[at++];
    let size;
    [size, at] = readUleb(payload, at);
    let subsection = payload.subarray(at, at + size);
    at += size;
    if (id === 1) ({ payload: subsection, renamed } = renameFunctions(subsection));
    parts.push(Buffer.from([id]), vector([subsection]));
  }
  return { payload: Buffer.concat(parts), renamed };
}

let total = 0;
const renamedModule = rewriteCustomSections(bytes, (name, payload) => {
  if (name !== 'name') return null;
  const result = renameInNameSection(payload);
  total += result.renamed;
  return result.payload;
});
if (total === 0) throw new Error(`${input} has no function names to rename (built without a name section?)`);
const missing = kept.filter((name) => !found.has(name));
if (missing.length > 0) throw new Error(`${input} has no function named ${missing.join(', ')}`);
writeFileSync(output, renamedModule);
