// Consumer script for Node, Deno and Bun: copied by run.mjs into a throwaway project where the
// packed pkjwt tarball was npm-installed, then run there with the runtime's own CLI. It imports
// the package BY NAME, so the runtime's export conditions pick the entry file.
import * as pkjwt from 'pkjwt';
import { run } from './suite.mjs';
import { fixtures } from './fixtures.mjs';

const results = await run(pkjwt, fixtures);

// The exports map is what the runtime obeys: report which file 'pkjwt' resolved to (run.mjs
// compares it with the runtime's expected entry) and check that an unexported subpath is refused.
let entry;
try {
  entry = String(await import.meta.resolve('pkjwt'));
} catch (error) {
  entry = `import.meta.resolve failed: ${error?.message ?? error}`;
}
// The file is in the package (run.mjs checks the tarball) and an exported subpath resolves, so a
// refusal here comes from the exports map. (Bun words it as "Cannot find package".)
const refused = 'exports map: the unexported subpath pkjwt/wasm/pkjwt.js is refused';
try {
  await import('pkjwt/wasm/pkjwt.js');
  results.push({ name: refused, ok: false, error: 'it was importable' });
} catch (error) {
  results.push({ name: refused, ok: true, error: null });
}
const exported = 'exports map: the exported subpath pkjwt/package.json resolves';
try {
  const url = String(await import.meta.resolve('pkjwt/package.json'));
  const ok = url.endsWith('/node_modules/pkjwt/package.json');
  results.push({ name: exported, ok, error: ok ? null : `resolved to ${url}` });
} catch (error) {
  results.push({ name: exported, ok: false, error: String(error?.message ?? error) });
}

const runtime = typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}`
  : typeof Bun !== 'undefined' ? `bun ${Bun.version}`
    : `node ${process.versions.node}`;
console.log(`@@pkjwt-results ${JSON.stringify({ runtime, entry, results })}`);
