// Node.js (and Bun, which matches the `node` condition). The source of pkg/node.js, which
// scripts/build-wasm.sh bundles from this file and the modules it imports (one file instead of
// six: about 7 ms less of a cold start on Node 20, whose ES module loader costs per file).
// Reads the .wasm next to pkg/node.js and instantiates it synchronously, so that importing (or,
// on Node >= 20.19, requiring) the package is all a user does. No top-level await, so
// require(esm) works. node:fs comes from process.getBuiltinModule (Node >= 20.16, Bun), not an
// `import`: the ES module facade of a builtin evaluates every lazy member of fs (fs/promises, the
// streams), a few ms of a cold start.
import { initSync, setRandomSource } from './wasm/pkjwt.js';

const fs = process.getBuiltinModule('node:fs');

/** False once the operating system's source has failed: WebCrypto from then on. */
let osSourceWorks = true;

/**
 * Fills `bytes` from /dev/urandom, the kernel's CSPRNG (Linux, macOS, the BSDs), or else from
 * WebCrypto. On Node 20 the first `crypto.getRandomValues` loads WebCrypto's JavaScript, about
 * 8 ms of a cold start; one open/read/close costs microseconds and is needed about once per 32
 * assertions (identifiers come from a pool) and once per PS256 signature (the salt). Where the
 * device cannot be opened or read in full, or is not a character device (Windows, a permission
 * model, a jail without /dev or with a plain file in its place), the process switches to
 * WebCrypto for good.
 * @param {Uint8Array} bytes
 */
function fillFromOs(bytes) {
  if (osSourceWorks) {
    try {
      const fd = fs.openSync('/dev/urandom', 'r');
      try {
        if (!fs.fstatSync(fd).isCharacterDevice()) throw new Error('/dev/urandom is not a device');
        for (let filled = 0; filled < bytes.length;) {
          const read = fs.readSync(fd, bytes, filled, bytes.length - filled, null);
          if (read <= 0) throw new Error('/dev/urandom ended');
          filled += read;
        }
        return;
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      osSourceWorks = false;
    }
  }
  globalThis.crypto.getRandomValues(bytes);
}

try {
  setRandomSource(fillFromOs);
  initSync({ module: fs.readFileSync(new URL('./wasm/pkjwt_bg.wasm', import.meta.url)) });
} catch (cause) {
  throw new Error(`pkjwt: could not load its WebAssembly module (${cause?.message ?? cause}). `
    + 'Reinstall the package; if you bundle it, copy wasm/pkjwt_bg.wasm next to the bundle.', { cause });
}

export * from './api.js';
