// Runs tests/runtimes/suite.mjs against the PACKED package on Node, Deno, Bun, workerd
// (miniflare), edge-runtime and headless Chromium, each from a throwaway consumer project where
// the tarball was npm-installed and the package is imported by name. Prints one line per runtime
// per test and finally `N passed, M failed`; exits non-zero on any failure or when a runtime could not run.
//
// Usage: node tests/runtimes/run.mjs   (assumes pkg/wasm is built: scripts/build-wasm.sh)
// Set PKJWT_KEEP_TMP=1 to keep the temporary consumer projects for inspection, and PKJWT_PKG=<dir>
// to pack another package folder than ./pkg (to check that this suite catches a broken package).
// PKJWT_CHROMIUM=<path> uses another Chromium binary than /usr/bin/chromium.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, writeFile, copyFile, rm, readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const RESULTS_MARK = '@@pkjwt-results ';
const LABEL_WIDTH = 18; // 'chromium (esbuild)'
const started = Date.now();

const { testNames } = await import('./suite.mjs');

// ---- output -----------------------------------------------------------------------------------

let passed = 0;
let failed = 0;

function report(runtime, name, ok, error) {
  if (ok) passed += 1;
  else failed += 1;
  const line = `${ok ? 'ok  ' : 'FAIL'} ${runtime.padEnd(LABEL_WIDTH)} ${name}`;
  console.log(ok ? line : `${line}\n       ${String(error).split('\n').join('\n       ')}`);
}

// ---- helpers ------------------------------------------------------------------------------------

/** Runs a command; resolves to { code, stdout, stderr } (never rejects; a timeout kills it). */
function exec(command, args, { cwd, env, timeout = 120_000 } = {}) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeout} ms]`;
      child.kill('SIGKILL');
    }, timeout);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ code: -1, stdout, stderr: `${stderr}\n${error.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
}

async function must(command, args, options) {
  const result = await exec(command, args, options);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stderr.trim()}\n${result.stdout.trim()}`.trim());
  }
  return result;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); }),
  ]);
}

/** The results line a consumer printed, parsed. */
function parseResults(stdout) {
  const line = stdout.split('\n').reverse().find((text) => text.startsWith(RESULTS_MARK));
  if (!line) throw new Error('no results line in the output');
  return JSON.parse(line.slice(RESULTS_MARK.length));
}

/** Reports a suite run: every suite test must be there exactly once, plus any extra checks. */
function reportSuite(runtime, outcome) {
  const seen = new Set();
  for (const { name, ok, error } of outcome.results) {
    seen.add(name);
    report(runtime, name, ok, error);
  }
  const missing = testNames().filter((name) => !seen.has(name));
  report(runtime, `suite complete (${testNames().length} tests ran)`, missing.length === 0, `missing: ${missing.join('; ')}`);
}

function describeError(error) {
  return error?.stack ?? `${error?.name ?? 'Error'}: ${error?.message ?? error}`;
}

// ---- fixtures: generated from tests/keys (the suite itself reads no files) ----------------------

async function fixturesModule() {
  const keys = join(root, 'tests', 'keys');
  const pem = {};
  for (const name of ['p256.pkcs8.pem', 'p256.sec1.pem', 'p256.spki.pem', 'p256.cert.pem',
    'rsa2048.pkcs8.pem', 'rsa2048.pkcs1.pem', 'rsa2048.spki.pem']) {
    pem[name] = await readFile(join(keys, name), 'utf8');
  }
  const der = {};
  for (const name of ['ed25519.pkcs8.der', 'ed25519.spki.der', 'rsa2048.spki.der']) {
    der[name] = (await readFile(join(keys, name))).toString('base64');
  }
  const jwk = {};
  for (const name of ['p256.priv.json', 'p256.pub.json', 'ed25519.priv.json', 'ed25519.pub.json']) {
    jwk[name] = JSON.parse(await readFile(join(keys, 'jwk', name), 'utf8'));
  }
  const thumbprints = JSON.parse(await readFile(join(keys, 'thumbprints.json'), 'utf8'));
  const certs = JSON.parse(await readFile(join(keys, 'certs.json'), 'utf8'));
  const fixtures = { pem, der, jwk, thumbprints, certs };
  return `// Generated by tests/runtimes/run.mjs from tests/keys (TEST-ONLY keys).\nexport const fixtures = ${JSON.stringify(fixtures, null, 1)};\n`;
}

// ---- pack once, one consumer project per runtime ----------------------------------------------

const tmp = await mkdtemp(join(tmpdir(), 'pkjwt-runtimes-'));
let tarball;
let fixturesSource;

async function pack() {
  const { stdout } = await must('npm', ['pack', resolve(root, process.env.PKJWT_PKG ?? 'pkg'), '--pack-destination', tmp, '--json', '--silent'], { cwd: root });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  const files = info.files.map((file) => file.path);
  for (const needed of ['package.json', 'api.js', 'node.js', 'deno.js', 'workerd.js', 'edge-light.js', 'browser.js',
    'wasm/pkjwt.js', 'wasm/pkjwt_bg.wasm']) {
    if (!files.includes(needed)) throw new Error(`the packed tarball lacks ${needed} (has: ${files.join(', ')})`);
  }
  return join(tmp, info.filename);
}

/** A fresh project with the tarball npm-installed and the suite, fixtures and consumer files. */
async function makeConsumer(name, files) {
  const dir = join(tmp, name);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  await must('npm', ['install', '--no-audit', '--no-fund', '--offline', '--loglevel=error', tarball], { cwd: dir });
  await copyFile(join(here, 'suite.mjs'), join(dir, 'suite.mjs'));
  await writeFile(join(dir, 'fixtures.mjs'), fixturesSource);
  for (const file of files) await copyFile(join(here, file), join(dir, file));
  return dir;
}

// The consumers are installed concurrently (npm is mostly waiting); each runtime awaits its own.
const consumerFiles = {
  node: ['runner.mjs', 'require.cjs'], deno: ['runner.mjs'], bun: ['runner.mjs'], workerd: ['worker.mjs'], edge: ['edge.mjs'],
  chromium: ['browser.mjs'],
};
const consumers = {};
function startConsumers() {
  for (const [name, files] of Object.entries(consumerFiles)) {
    consumers[name] = makeConsumer(name, files);
    consumers[name].catch(() => {}); // reported by the runtime that awaits it
  }
}
const consumer = (name) => consumers[name];

/** A runtime's whole run; any throw becomes one failing line (a runtime is never skipped). */
const ran = new Set();
async function runtime(label, fn) {
  ran.add(label);
  const t0 = Date.now();
  try {
    await fn();
  } catch (error) {
    report(label, 'runtime could not run', false, describeError(error));
  }
  console.log(`     ${label.padEnd(LABEL_WIDTH)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

function expectEntry(label, outcome, file) {
  const ok = typeof outcome.entry === 'string' && /\/node_modules\/pkjwt\/[^/]+$/.test(outcome.entry)
    && outcome.entry.endsWith(`/node_modules/pkjwt/${file}`);
  report(label, `exports map: 'pkjwt' resolves to node_modules/pkjwt/${file}`, ok, `resolved to ${outcome.entry}`);
}

// ---- Node, Deno, Bun: the runtime's CLI on runner.mjs ------------------------------------------

async function runCli(label, command, args, cwd, env) {
  const result = await exec(command, args, { cwd, env });
  let outcome;
  try {
    outcome = parseResults(result.stdout);
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}: ${error.message}\n${result.stderr.trim()}\n${result.stdout.trim()}`);
  }
  if (result.code !== 0) report(label, `process exit code 0`, false, `exit ${result.code}\n${result.stderr.trim()}`);
  return outcome;
}

async function node() {
  const label = 'node';
  const dir = await consumer('node');
  const outcome = await runCli(label, process.execPath, ['runner.mjs'], dir);
  console.log(`     ${label.padEnd(LABEL_WIDTH)} ${outcome.runtime}`);
  reportSuite(label, outcome);
  expectEntry(label, outcome, 'node.js');
  const cjs = await runCli(`${label} (cjs)`, process.execPath, ['require.cjs'], dir);
  for (const { name, ok, error } of cjs.results) report(`${label} (cjs)`, name, ok, error);
  if (cjs.results.length !== 3) report(`${label} (cjs)`, 'all 3 require() checks ran', false, `${cjs.results.length} ran`);
}

async function deno() {
  const label = 'deno';
  const dir = await consumer('deno');
  // --node-modules-dir=manual: use the consumer's npm-installed node_modules as is, never a
  // registry (what Deno 2 does by default next to a package.json; a plain `deno run runner.mjs`
  // works too). No --allow-* flags at all: deno.js's source-phase wasm import needs none.
  const outcome = await runCli(label, bin('deno'), ['run', '--node-modules-dir=manual', '--no-remote', '--no-prompt', 'runner.mjs'], dir, { DENO_DIR: join(tmp, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' });
  console.log(`     ${label.padEnd(LABEL_WIDTH)} ${outcome.runtime}`);
  reportSuite(label, outcome);
  expectEntry(label, outcome, 'deno.js');
}

async function bun() {
  const label = 'bun';
  const dir = await consumer('bun');
  const outcome = await runCli(label, bin('bun'), ['runner.mjs'], dir, { BUN_INSTALL_CACHE_DIR: join(tmp, 'bun-cache'), NO_COLOR: '1' });
  console.log(`     ${label.padEnd(LABEL_WIDTH)} ${outcome.runtime}`);
  reportSuite(label, outcome);
  expectEntry(label, outcome, 'node.js');
}

// ---- bundling for workerd and edge-runtime ------------------------------------------------------

const esbuild = await import(join(root, 'node_modules', 'esbuild', 'lib', 'main.js')).then((m) => m.default ?? m);

/** Metafile inputs under node_modules/pkjwt, as package-relative paths. */
function pkjwtInputs(metafile) {
  return Object.keys(metafile.inputs)
    .map((path) => path.replace(/\\/g, '/'))
    .filter((path) => path.includes('node_modules/pkjwt/'))
    .map((path) => path.slice(path.indexOf('node_modules/pkjwt/') + 'node_modules/pkjwt/'.length))
    .sort();
}

function checkEntry(label, metafile, expected) {
  const entries = pkjwtInputs(metafile).filter((path) => !path.startsWith('wasm/') && !['api.js', 'errors.js', 'verifier.js', 'openid.js'].includes(path));
  report(label, `exports map: the bundle took node_modules/pkjwt/${expected} (esbuild metafile)`,
    entries.length === 1 && entries[0] === expected, `pkjwt inputs: ${pkjwtInputs(metafile).join(', ')}`);
}

// ---- workerd through miniflare -----------------------------------------------------------------

async function workerd() {
  const label = 'workerd';
  const dir = await consumer('workerd');
  // Like wrangler: every `*.wasm` / `*.wasm?module` import stays an import of a separate module
  // of type CompiledWasm (workerd compiles it; compiling from bytes at run time is refused).
  const wasmModules = new Map();
  const wasmPlugin = {
    name: 'wasm-as-module',
    setup(build) {
      build.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
        const file = resolve(args.resolveDir, args.path.replace(/\?module$/, ''));
        const name = `./${basename(file)}`;
        wasmModules.set(name, file);
        return { path: name, external: true };
      });
    },
  };
  const built = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ['worker.mjs'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    outfile: join(dir, 'dist', 'worker.js'),
    metafile: true,
    logLevel: 'silent',
    plugins: [wasmPlugin],
  });
  checkEntry(label, built.metafile, 'workerd.js');
  report(label, 'the bundle imports the wasm as a separate module', wasmModules.size === 1,
    `wasm modules: ${[...wasmModules.keys()].join(', ')}`);

  const { Miniflare } = await import(join(root, 'node_modules', 'miniflare', 'dist', 'src', 'index.js'));
  const modulesRoot = join(dir, 'dist');
  const modules = [{ type: 'ESModule', path: join(modulesRoot, 'worker.js'), contents: built.outputFiles[0].text }];
  for (const [name, file] of wasmModules) {
    modules.push({ type: 'CompiledWasm', path: join(modulesRoot, name), contents: await readFile(file) });
  }
  const mf = new Miniflare({
    modules,
    modulesRoot,
    compatibilityDate: '2025-09-01',
    host: '127.0.0.1',
    port: 0,
    verbose: false,
  });
  try {
    const response = await withTimeout(mf.dispatchFetch('http://localhost/'), 120_000, 'miniflare dispatchFetch');
    const text = await response.text();
    if (response.status !== 200) throw new Error(`the Worker answered ${response.status}: ${text.slice(0, 2000)}`);
    const outcome = JSON.parse(text);
    console.log(`     ${label.padEnd(LABEL_WIDTH)} ${outcome.runtime}`);
    reportSuite(label, outcome);
  } finally {
    await mf.dispose();
  }
}

// ---- edge-runtime ------------------------------------------------------------------------------

// How the wasm reaches the edge function: the package's edge-light.js does
// `import wasmModule from './wasm/pkjwt_bg.wasm?module'`. As Next.js's middleware/edge build does,
// the bundler turns that import into a read of a global binding (here `globalThis.wasm_pkjwt_bg`,
// Next uses `wasm_<hash>`), and the host compiles the .wasm OUTSIDE the sandbox (Node's realm:
// `new WebAssembly.Module(bytes)`) and puts the compiled module on the sandbox's global before the
// bundle is evaluated. Inside the sandbox that module is from another realm (instanceof fails),
// which edge-light.js handles. The sandbox itself refuses wasm compilation from bytes.
const EDGE_WASM_BINDING = 'wasm_pkjwt_bg';

async function edge() {
  const label = 'edge-runtime';
  const dir = await consumer('edge');
  let wasmFile;
  const wasmPlugin = {
    name: 'wasm-module-binding',
    setup(build) {
      build.onResolve({ filter: /\.wasm\?module$/ }, (args) => {
        wasmFile = resolve(args.resolveDir, args.path.replace(/\?module$/, ''));
        return { path: wasmFile, namespace: 'wasm-binding' };
      });
      build.onLoad({ filter: /.*/, namespace: 'wasm-binding' }, () => ({
        contents: `export default globalThis[${JSON.stringify(EDGE_WASM_BINDING)}];`,
        loader: 'js',
      }));
    },
  };
  const built = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ['edge.mjs'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['edge-light', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    outfile: join(dir, 'dist', 'edge.js'),
    metafile: true,
    logLevel: 'silent',
    plugins: [wasmPlugin],
  });
  checkEntry(label, built.metafile, 'edge-light.js');
  if (!wasmFile) throw new Error('the edge bundle never imported the .wasm with ?module');
  const code = built.outputFiles[0].text;
  const { EdgeRuntime } = await import(join(root, 'node_modules', 'edge-runtime', 'dist', 'index.js'));
  const bytes = await readFile(wasmFile);
  const compiled = new WebAssembly.Module(bytes); // in Node's realm, as Next's sandbox does

  const sandbox = (binding) => new EdgeRuntime({
    codeGeneration: { strings: false, wasm: false },
    extend: (context) => {
      if (binding !== undefined) context[EDGE_WASM_BINDING] = binding;
      return context;
    },
  });

  // The sandbox really refuses compiling from bytes (as Vercel production does).
  const probe = sandbox(undefined);
  let refused;
  try {
    probe.evaluate(`new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))`);
  } catch (error) {
    refused = error;
  }
  report(label, 'the sandbox refuses wasm compilation from bytes', refused !== undefined,
    'new WebAssembly.Module(bytes) succeeded inside the sandbox');

  const vm = sandbox(compiled);
  vm.evaluate(code);
  const response = await withTimeout(vm.dispatchFetch('http://localhost/'), 120_000, 'edge-runtime dispatchFetch');
  const text = await response.text();
  if (response.status !== 200) throw new Error(`the edge function answered ${response.status}: ${text.slice(0, 2000)}`);
  const outcome = JSON.parse(text);
  console.log(`     ${label.padEnd(LABEL_WIDTH)} ${outcome.runtime}`);
  reportSuite(label, outcome);

  // Negative: without the module, or with raw bytes instead of a compiled module, loading fails
  // with a message that tells the user what to do (import the .wasm with "?module").
  for (const [what, binding] of [['missing', undefined], ['given as bytes', new Uint8Array(bytes)]]) {
    let error;
    try {
      sandbox(binding).evaluate(code);
    } catch (caught) {
      error = caught;
    }
    const message = String(error?.message ?? '');
    report(label, `wasm module ${what}: loading throws a message naming "?module"`,
      error !== undefined && message.includes('?module') && message.includes('pkjwt'),
      error === undefined ? 'the bundle evaluated without error' : `message: ${message}`);
  }
}

// ---- headless Chromium -------------------------------------------------------------------------

// The browser entry (browser.js: fetch + instantiateStreaming of the .wasm next to it, top-level
// await) in real headless Chromium, driven by playwright-core with the system Chromium (a browser
// is never downloaded). The consumer project is served over http://127.0.0.1:<ephemeral port> by
// the small static server below. Primary run: no bundler at all, 'pkjwt' resolved by an import map
// whose address is derived from the installed package.json's `exports` (browser condition), so the
// page loads exactly the published files. Second run: the same consumer bundled by esbuild
// (platform browser, conditions ['browser']), the .wasm copied next to the bundle.
const CHROMIUM = process.env.PKJWT_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
// What a browser without a bundler matches in `exports` (plus "default", which always matches).
const BROWSER_CONDITIONS = ['browser', 'import'];
const PAGE_TIMEOUT = 120_000;

/** Node's PACKAGE_TARGET_RESOLVE, reduced to what an import-map generator needs: the first
 * matching condition in key order wins, arrays are fallbacks, null means "not exported". */
function exportsTarget(target, conditions) {
  if (typeof target === 'string' || target === null) return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = exportsTarget(item, conditions);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (typeof target === 'object') {
    for (const [key, value] of Object.entries(target)) {
      if (key !== 'default' && !conditions.includes(key)) continue;
      const resolved = exportsTarget(value, conditions);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}

/** The package-relative file ('./x.js') that `exports` maps `subpath` ('.' or './x') to. */
function resolveExports(pkg, subpath, conditions) {
  const { exports } = pkg;
  if (exports === undefined || exports === null) throw new Error('the installed package.json has no "exports"');
  const sugar = typeof exports === 'string' || Array.isArray(exports)
    || !Object.keys(exports).some((key) => key.startsWith('.'));
  const map = sugar ? { '.': exports } : exports;
  const target = Object.hasOwn(map, subpath) ? exportsTarget(map[subpath], conditions) : undefined;
  if (typeof target !== 'string') {
    throw new Error(`"exports" maps ${JSON.stringify(subpath)} to nothing under the conditions ${[...conditions, 'default'].join(', ')}`);
  }
  const segments = target.split(/[\\/]/);
  if (segments[0] !== '.' || segments.slice(1).some((part) => ['', '.', '..', 'node_modules'].includes(part))) {
    throw new Error(`"exports" target ${JSON.stringify(target)} for ${JSON.stringify(subpath)} is invalid`);
  }
  return target;
}

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** A static file server for `dir` on 127.0.0.1 (ephemeral port) that logs every request.
 * Two extra mounts serve the same tree for the negative loads: /no-wasm/ answers 404 for every
 * .wasm, /wrong-mime/ serves .wasm as application/octet-stream. */
async function serveStatic(dir) {
  const log = [];
  const server = createServer(async (request, response) => {
    const entry = { method: request.method, url: request.url, status: 0, type: '' };
    log.push(entry);
    const send = (status, type, body) => {
      entry.status = status;
      entry.type = type;
      response.writeHead(status, {
        'content-type': type, 'content-length': body.length, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff',
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        send(405, 'text/plain; charset=utf-8', Buffer.from('method not allowed'));
        return;
      }
      let path = decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname);
      let mount = '';
      for (const name of ['no-wasm', 'wrong-mime']) {
        if (path.startsWith(`/${name}/`)) {
          mount = name;
          path = path.slice(name.length + 1);
        }
      }
      const file = resolve(dir, `.${path}`);
      const inside = relative(dir, file);
      const ext = extname(file);
      if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)
        || (mount === 'no-wasm' && ext === '.wasm')) {
        send(404, 'text/plain; charset=utf-8', Buffer.from('not found'));
        return;
      }
      const body = await readFile(file);
      send(200, mount === 'wrong-mime' && ext === '.wasm' ? 'application/octet-stream' : MIME_TYPES[ext] ?? 'application/octet-stream', body);
    } catch {
      send(404, 'text/plain; charset=utf-8', Buffer.from('not found'));
    }
  });
  await new Promise((listening, failed) => {
    server.once('error', failed);
    server.listen(0, '127.0.0.1', listening);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    log,
    close: () => new Promise((closed) => {
      server.closeAllConnections();
      server.close(() => closed());
    }),
  };
}

/** Serves `dir`, launches headless Chromium and runs fn(browser, server); both are closed after
 * it, whatever happens. A missing Chromium or playwright-core is an error, never a skip. */
async function withChromium(dir, fn) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run bash scripts/setup.sh (installs the Debian chromium package; `
      + 'this suite never downloads a browser)');
  }
  let chromium;
  try {
    ({ chromium } = await import(join(root, 'node_modules', 'playwright-core', 'index.mjs')));
  } catch (error) {
    throw new Error(`playwright-core could not be loaded (${error.message}): run bash scripts/setup.sh`);
  }
  const server = await serveStatic(dir);
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
    return await fn(browser, server);
  } finally {
    await browser?.close().catch(() => {});
    await server.close();
  }
}

/** Opens `url` in a fresh context and waits until the page sets window[global] (or throws, or
 * crashes, or a module graph fails to fetch: see moduleScript); resolves to { value, events,
 * requests } where requests is the server log of the load. */
async function loadPage(browser, server, url, global) {
  const context = await browser.newContext();
  const firstRequest = server.log.length;
  const events = { pageErrors: [], console: [], failedRequests: [], httpErrors: [] };
  try {
    const page = await context.newPage();
    let stop;
    const stopped = new Promise((resolve) => { stop = resolve; });
    page.on('pageerror', (error) => { events.pageErrors.push(describeError(error)); stop(); });
    page.on('crash', () => { events.pageErrors.push('the page crashed'); stop(); });
    page.on('console', (message) => events.console.push({ type: message.type(), text: message.text() }));
    page.on('requestfailed', (request) => events.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
    page.on('response', (response) => { if (response.status() >= 400) events.httpErrors.push(`${response.status()} ${response.url()}`); });
    let value;
    try {
      await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT });
      const ready = page.waitForFunction((name) => name in window || 'pkjwtScriptError' in window, global,
        { timeout: PAGE_TIMEOUT, polling: 50 });
      ready.catch(() => {});
      await Promise.race([ready, stopped]);
      value = await page.evaluate((name) => window[name], global);
      if (value === undefined) {
        const scriptError = await page.evaluate(() => window.pkjwtScriptError);
        if (scriptError) events.pageErrors.push(scriptError);
      }
    } catch (error) {
      throw new Error(`${url}: ${error.message}\n${describeEvents(events)}`);
    }
    if (value === undefined) throw new Error(`${url} never set window.${global}\n${describeEvents(events)}`);
    return { value, events, requests: server.log.slice(firstRequest) };
  } finally {
    await context.close().catch(() => {});
  }
}

function describeEvents(events) {
  return [
    ...events.pageErrors.map((text) => `page error: ${text}`),
    ...events.console.map(({ type, text }) => `console.${type}: ${text}`),
    ...events.failedRequests.map((text) => `request failed: ${text}`),
    ...events.httpErrors.map((text) => `HTTP ${text}`),
  ].join('\n') || '(no page errors, console messages or failed requests)';
}

/** Runs the suite page at `path` and reports it; `wasm` is the URL path the .wasm must come from. */
async function runSuitePage(label, browser, server, path, wasm) {
  const { value: outcome, events, requests } = await loadPage(browser, server, `${server.origin}${path}`, 'pkjwtOutcome');
  console.log(`     ${label.padEnd(LABEL_WIDTH)} ${outcome.runtime}`);
  reportSuite(label, outcome);
  const noisy = events.console.filter(({ type }) => type === 'error' || type === 'warning' || type === 'assert');
  report(label, 'no page error, console error or warning, failed request or HTTP error',
    events.pageErrors.length + noisy.length + events.failedRequests.length + events.httpErrors.length === 0, describeEvents(events));
  const fetched = requests.filter((entry) => entry.url.endsWith('.wasm'));
  report(label, `the .wasm was fetched once from ${wasm} and served as application/wasm`,
    fetched.length === 1 && fetched[0].url === wasm && fetched[0].status === 200 && fetched[0].type === 'application/wasm',
    `wasm requests: ${JSON.stringify(fetched)}`);
  return outcome;
}

/** A module script tag. A module graph that fails to FETCH (a 404, a blocked `node:` import) fires
 * `error` at the element, not at window (no pageerror): record it so that loadPage stops waiting. */
function moduleScript(src) {
  return `<script type="module" src="${src}" onerror="window.pkjwtScriptError = 'the module graph of ' + this.src + ' failed to load'"></script>`;
}

function pageHtml({ importMap, body }) {
  const map = importMap
    ? `\n<script type="importmap">${JSON.stringify(importMap, null, 1).replace(/</g, '\\u003c')}</script>` : '';
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>pkjwt runtime suite</title>\n`
    + `<link rel="icon" href="data:,">${map}\n${body}\n</head>\n<body></body>\n</html>\n`;
}

async function installedPackageJson(dir) {
  return JSON.parse(await readFile(join(dir, 'node_modules', 'pkjwt', 'package.json'), 'utf8'));
}

async function chromiumImportMap() {
  const label = 'chromium';
  const dir = await consumer('chromium');
  // The import map a user (or an import-map generator) writes for the installed package: the
  // address comes from the exports map, relative to the page so that the /no-wasm/ and
  // /wrong-mime/ mounts below load their own copy.
  const entry = resolveExports(await installedPackageJson(dir), '.', BROWSER_CONDITIONS);
  const importMap = { imports: { pkjwt: `./node_modules/pkjwt/${entry.slice(2)}` } };
  await writeFile(join(dir, 'index.html'), pageHtml({ importMap, body: moduleScript('./browser.mjs') }));
  await writeFile(join(dir, 'load.html'), pageHtml({
    importMap,
    body: `<script type="module">
try {
  await import('pkjwt');
  window.pkjwtLoad = { loaded: true, message: null };
} catch (error) {
  window.pkjwtLoad = { loaded: false, message: String(error?.message ?? error) };
}
</script>`,
  }));

  await withChromium(dir, async (browser, server) => {
    const outcome = await runSuitePage(label, browser, server, '/index.html', '/node_modules/pkjwt/wasm/pkjwt_bg.wasm');
    expectEntry(label, outcome, 'browser.js');

    // The .wasm missing (404): importing 'pkjwt' rejects with pkjwt's own message, which says how
    // to serve it.
    const missing = await loadPage(browser, server, `${server.origin}/no-wasm/load.html`, 'pkjwtLoad');
    const message = String(missing.value.message ?? '');
    report(label, 'wasm answers 404: importing \'pkjwt\' rejects with pkjwt\'s message naming application/wasm',
      !missing.value.loaded && message.includes('pkjwt: could not load its WebAssembly module') && message.includes('application/wasm')
        && missing.events.pageErrors.length === 0 && missing.events.httpErrors.every((text) => text.endsWith('.wasm')),
      `loaded: ${missing.value.loaded}; message: ${message}\n${describeEvents(missing.events)}`);

    // Served with the wrong Content-Type: instantiateStreaming refuses it and wasm-bindgen's glue
    // falls back to WebAssembly.instantiate with a console warning (pkjwt still loads).
    const mime = await loadPage(browser, server, `${server.origin}/wrong-mime/load.html`, 'pkjwtLoad');
    const warned = mime.events.console.some(({ type, text }) => type === 'warning' && text.includes('application/wasm'));
    report(label, 'wasm served as application/octet-stream: loads via the fallback, with a console warning',
      mime.value.loaded && warned && mime.events.pageErrors.length === 0 && mime.events.httpErrors.length === 0,
      `loaded: ${mime.value.loaded}; message: ${mime.value.message}\n${describeEvents(mime.events)}`);
  });
}

async function chromiumBundle() {
  const label = 'chromium (esbuild)';
  const dir = await consumer('chromium');
  const built = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: ['browser.mjs'],
    bundle: true,
    write: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser'],
    outfile: join(dir, 'dist', 'bundle.js'),
    metafile: true,
    logLevel: 'silent',
  });
  checkEntry(label, built.metafile, 'browser.js');
  report(label, 'esbuild bundled without warnings', built.warnings.length === 0,
    built.warnings.map((warning) => warning.text).join('\n'));
  // esbuild leaves browser.js's `new URL('./wasm/pkjwt_bg.wasm', import.meta.url)` as it is; as an
  // esbuild user does, copy the package's exported wasm (`pkjwt/wasm`) to that place next to the bundle.
  const wasm = resolveExports(await installedPackageJson(dir), './wasm', BROWSER_CONDITIONS);
  await mkdir(join(dir, 'dist', dirname(wasm)), { recursive: true });
  await copyFile(join(dir, 'node_modules', 'pkjwt', wasm), join(dir, 'dist', wasm));
  // No import map: a bare 'pkjwt' left in the bundle would fail to resolve.
  await writeFile(join(dir, 'bundle.html'), pageHtml({ body: moduleScript('./dist/bundle.js') }));
  await withChromium(dir, (browser, server) => runSuitePage(label, browser, server, '/bundle.html', `/dist/${wasm.slice(2)}`));
}

// ---- main --------------------------------------------------------------------------------------

try {
  console.log(`pkjwt runtime suite: packing ${process.env.PKJWT_PKG ?? './pkg'} into ${tmp}`);
  tarball = await pack();
  fixturesSource = await fixturesModule();
  console.log(`     packed ${relative(tmp, tarball)}`);
  startConsumers();
  await runtime('node', node);
  await runtime('deno', deno);
  await runtime('bun', bun);
  await runtime('workerd', workerd);
  await runtime('edge-runtime', edge);
  await runtime('chromium', chromiumImportMap);
  await runtime('chromium (esbuild)', chromiumBundle);
} catch (error) {
  report('setup', 'pack the package and read the fixtures', false, describeError(error));
  for (const label of ['node', 'deno', 'bun', 'workerd', 'edge-runtime', 'chromium', 'chromium (esbuild)']) {
    if (!ran.has(label)) report(label, 'runtime could not run', false, 'the set-up failed (see above)');
  }
} finally {
  if (process.env.PKJWT_KEEP_TMP) console.log(`     kept ${tmp}: ${(await readdir(tmp)).join(', ')}`);
  else await rm(tmp, { recursive: true, force: true });
}

console.log(`     total ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
// Exit explicitly: edge-runtime's AbortSignal.timeout polyfill (used by requestToken) leaves a
// referenced 10 s timer behind in this process. Writes to pipes and files are synchronous here.
process.exit(failed > 0 || passed === 0 ? 1 : 0);
