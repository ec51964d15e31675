// Generates keys off the main thread (RSA key generation takes seconds in WebAssembly), so the page
// never freezes. Import maps do not apply inside workers, so the browser entry is imported by path.
// The private key goes back to the page as a private JWK over postMessage: it never leaves the
// browser.
import { generateKey } from '/pkg/browser.js';

self.addEventListener('message', (event) => {
  const { id, alg, modulusLength, kid } = event.data ?? {};
  const started = performance.now();
  try {
    const opts = {};
    if (modulusLength && /^[RP]S/.test(alg)) opts.modulusLength = modulusLength;
    if (kid) opts.kid = kid;
    const key = generateKey(alg, opts);
    const jwk = key.toJwk({ private: true });
    key.free();
    self.postMessage({ id, jwk, ms: Math.round(performance.now() - started) });
  } catch (error) {
    self.postMessage({ id, error: { message: error?.message ?? String(error), code: error?.code } });
  }
});
self.postMessage({ ready: true });
