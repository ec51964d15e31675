// Consumer module for headless Chromium: copied by run.mjs into a throwaway project where the
// packed pkjwt tarball was npm-installed, then loaded by a page served over http://127.0.0.1.
// It imports the package BY NAME: in index.html an import map (derived by run.mjs from the
// installed package.json's `exports`, `browser` condition) resolves 'pkjwt'; in bundle.html this
// file was bundled by esbuild (conditions ['browser']). The outcome is left on `window` for
// run.mjs to read with page.evaluate.
import * as pkjwt from 'pkjwt';
import { run } from './suite.mjs';
import { fixtures } from './fixtures.mjs';

const results = await run(pkjwt, fixtures);

// What the import map made of 'pkjwt' (in the esbuild bundle there is no import map: this throws,
// and run.mjs checks the bundle's entry with the metafile instead).
let entry;
try {
  entry = String(import.meta.resolve('pkjwt'));
} catch (error) {
  entry = `import.meta.resolve failed: ${error?.message ?? error}`;
}

window.pkjwtOutcome = {
  runtime: `chromium (${navigator.userAgent}; secure context: ${globalThis.isSecureContext})`,
  entry,
  results,
};
