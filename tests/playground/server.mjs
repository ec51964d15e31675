// Starts scripts/serve.mjs (the server `npm start` runs) on a free loopback port for the
// playground tests; resolves to { child, url } once it prints its address.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Spawns the playground server; `url` is its origin (http://127.0.0.1:PORT). */
export async function startServer() {
  const child = spawn(process.execPath, [join(root, 'scripts', 'serve.mjs'), '--port', '0', '--quiet'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve.mjs did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /pkjwt playground: (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve.mjs exited (${code}):\n${output}`)); });
  });
  return { child, url };
}
