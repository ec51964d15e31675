// Browsers and bundlers: fetch the .wasm next to this file (bundlers recognise
// `new URL(..., import.meta.url)` and emit the asset) and instantiate it with top-level await,
// so importing the module is enough.
import init from './wasm/pkjwt.js';

try {
  await init({ module_or_path: new URL('./wasm/pkjwt_bg.wasm', import.meta.url) });
} catch (cause) {
  throw new Error(`pkjwt: could not load its WebAssembly module (${cause?.message ?? cause}). `
    + 'Serve wasm/pkjwt_bg.wasm next to browser.js (with Content-Type application/wasm) or let your bundler emit it.', { cause });
}

export * from './api.js';
