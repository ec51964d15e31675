// Cloudflare Workers (workerd): wasm cannot be compiled from bytes at run time there, so the
// .wasm is imported statically (wrangler turns it into a compiled WebAssembly.Module).
// Instantiating at module scope is allowed; generating randomness there is not, and pkjwt
// draws randomness only inside calls.
import wasmModule from './wasm/pkjwt_bg.wasm';
import { initSync } from './wasm/pkjwt.js';

try {
  initSync({ module: wasmModule });
} catch (cause) {
  throw new Error(`pkjwt: could not instantiate its WebAssembly module (${cause?.message ?? cause}). `
    + 'Workers must import the .wasm statically: let wrangler bundle the package (no custom loader rules for .wasm).', { cause });
}

export * from './api.js';
