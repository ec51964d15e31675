// usage: node scripts/glue-random-source.mjs pkg/wasm/pkjwt.js
//
// Makes the random source of the wasm-bindgen glue replaceable. getrandom's `wasm_js` backend binds
// `globalThis.crypto.getRandomValues`; the glue calls it by that name. This rewrites that one call to
// go through `randomSource`, which starts as the same WebCrypto call, and adds an export
// `setRandomSource(fill)` with which an entry point (pkg/node.js) installs another source before it
// instantiates the module. Why: on Node 20 the first `globalThis.crypto` access loads WebCrypto's
// JavaScript, about 8 ms of a cold start (measured for issue 7). Fails unless the call is found
// exactly once, so a wasm-bindgen or getrandom upgrade that changes the glue stops the build.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const glue = readFileSync(file, 'utf8');
const call = 'globalThis.crypto.getRandomValues(getArrayU8FromWasm0(arg0, arg1));';
const found = glue.split(call).length - 1;
if (found !== 1) {
  console.error(`glue-random-source: expected the getRandomValues call once in ${file}, found it ${found} times`);
  process.exit(1);
}
const preamble = `/** Where the module's random bytes come from: fills a Uint8Array in place. */
let randomSource = (bytes) => globalThis.crypto.getRandomValues(bytes);

/**
 * Replaces the random source (pkjwt's build adds this; pkg/node.js uses it). \`fill(bytes)\` must
 * fill the Uint8Array with bytes from a cryptographically secure generator or throw.
 * @param {(bytes: Uint8Array) => void} fill
 */
export function setRandomSource(fill) {
  randomSource = fill;
}

`;
writeFileSync(file, preamble + glue.replace(call, 'randomSource(getArrayU8FromWasm0(arg0, arg1));'));
