// Node.js (and Bun, which matches the `node` condition): read the .wasm next to this file and
// instantiate it synchronously, so that importing (or, on Node >= 20.19, requiring) the package
// is all a user does. No top-level await, so require(esm) works.
import { readFileSync } from 'node:fs';
import { initSync } from './wasm/pkjwt.js';

try {
  initSync({ module: readFileSync(new URL('./wasm/pkjwt_bg.wasm', import.meta.url)) });
} catch (cause) {
  throw new Error(`pkjwt: could not load its WebAssembly module (${cause?.message ?? cause}). `
    + 'Reinstall the package; if you bundle it, copy wasm/pkjwt_bg.wasm next to the bundle.', { cause });
}

export * from './api.js';
