// Consumer Worker for workerd: bundled by run.mjs with esbuild the way wrangler does it
// (conditions workerd, worker, browser; the .wasm import kept as a separate CompiledWasm module)
// and served by miniflare. The suite runs inside the fetch handler only: workerd forbids
// crypto.getRandomValues in global scope.
import * as pkjwt from 'pkjwt';
import { run } from './suite.mjs';
import { fixtures } from './fixtures.mjs';

export default {
  async fetch() {
    const results = await run(pkjwt, fixtures);
    return new Response(JSON.stringify({ runtime: `workerd (${navigator.userAgent})`, results }),
      { headers: { 'content-type': 'application/json' } });
  },
};
