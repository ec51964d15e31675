// Deno: a source-phase import hands over a compiled WebAssembly.Module with no permission flags.
// Node and Bun cannot parse this syntax, so only the `deno` export condition selects this file.
import source wasmModule from './wasm/pkjwt_bg.wasm';
import { initSync } from './wasm/pkjwt.js';

initSync({ module: wasmModule });

export * from './api.js';
