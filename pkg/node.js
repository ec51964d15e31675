// Node.js (and Bun, which matches the `node` condition): read the .wasm next to this file and
// instantiate it synchronously, so that importing (or, on Node >= 20.19, requiring) the package
// is all a user does. No top-level await, so require(esm) works. node:fs comes from
// process.getBuiltinModule (Node >= 20.16, Bun), not an `import`: the ES module facade of a
// builtin evaluates every lazy member of fs (fs/promises, the streams), a few ms of a cold start.
import { initSync } from './wasm/pkjwt.js';

try {
  const { readFileSync } = process.getBuiltinModule('node:fs');
  initSync({ module: readFileSync(new URL('./wasm/pkjwt_bg.wasm', import.meta.url)) });
} catch (cause) {
  throw new Error(`pkjwt: could not load its WebAssembly module (${cause?.message ?? cause}). `
    + 'Reinstall the package; if you bundle it, copy wasm/pkjwt_bg.wasm next to the bundle.', { cause });
}

export * from './api.js';
