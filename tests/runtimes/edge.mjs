// Consumer edge function for edge-runtime (Vercel Edge's sandbox): bundled by run.mjs with
// esbuild into a classic script (conditions edge-light, worker, browser) and evaluated in an
// EdgeRuntime VM that refuses wasm compilation from bytes. The package's `?module` wasm import is
// satisfied like Next.js does it: compiled outside the sandbox and handed in as a global.
import * as pkjwt from 'pkjwt';
import { run } from './suite.mjs';
import { fixtures } from './fixtures.mjs';

addEventListener('fetch', (event) => {
  event.respondWith(run(pkjwt, fixtures).then((results) => new Response(
    JSON.stringify({ runtime: `edge-runtime (EdgeRuntime=${typeof EdgeRuntime === 'string' ? EdgeRuntime : '?'})`, results }),
    { headers: { 'content-type': 'application/json' } },
  )));
});
