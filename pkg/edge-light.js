// Vercel Edge / Next.js edge runtime: compiling wasm from bytes is refused, so the module is
// imported with the `?module` convention. Their bundler compiles it in another realm, where
// `instanceof WebAssembly.Module` is false; giving it this realm's prototype lets initSync use it.
import wasmModule from './wasm/pkjwt_bg.wasm?module';
import { initSync } from './wasm/pkjwt.js';

function sameRealmModule(module) {
  if (!(module instanceof WebAssembly.Module)
    && Object.prototype.toString.call(module) === '[object WebAssembly.Module]') {
    Object.setPrototypeOf(module, WebAssembly.Module.prototype);
  }
  return module;
}

try {
  initSync({ module: sameRealmModule(wasmModule) });
} catch (cause) {
  throw new Error(`pkjwt: could not instantiate its WebAssembly module (${cause?.message ?? cause}). `
    + 'On edge runtimes the .wasm must be imported as a module ("?module"): use the package through the bundler of your framework.', { cause });
}

export * from './api.js';
