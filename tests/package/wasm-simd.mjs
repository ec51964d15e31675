// Fails unless the built .wasm carries the RSA kernel's simd128 Montgomery multiplication as
// written: `i64x2.extmul_{low,high}_i32x4_u` present and no `i64x2.mul`. LLVM rewrites an
// extended multiply by a splatted operand into `i64x2.mul` (V8 expands that into ~10 x64
// instructions, and the SIMD path is then no faster than scalar code); the kernel crate is built
// at opt-level 3 with an optimisation barrier to prevent it (crates/rsa-kernel/src/simd.rs). The
// kernel is the module's only user of 64-bit lane multiplies, so the whole module is checked.
//
// Usage: node tests/package/wasm-simd.mjs [path/to/module.wasm]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const file = process.argv[2] ?? fileURLToPath(new URL('../../pkg/wasm/pkjwt_bg.wasm', import.meta.url));
const wasmDis = fileURLToPath(new URL('../../node_modules/.bin/wasm-dis', import.meta.url));
const text = execFileSync(wasmDis, [file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const count = (pattern) => (text.match(pattern) ?? []).length;
const extmul = count(/\bi64x2\.extmul_(low|high)_i32x4_u\b/g);
const mul = count(/\bi64x2\.mul\b/g);
console.log(`wasm-simd: ${file}: ${extmul} i64x2.extmul, ${mul} i64x2.mul`);
if (extmul < 2 || mul !== 0) {
  console.error('wasm-simd: the RSA kernel lost its extmul instructions (built without +simd128, or LLVM rewrote them)');
  process.exit(1);
}
