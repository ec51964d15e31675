// Runs tests/runtimes/suite.mjs against the PACKED package on Node, Deno, Bun, workerd
// (miniflare) and edge-runtime, each from a throwaway consumer project where the tarball was
// npm-installed and the package is imported by name. Prints one line per runtime per test and
// finally `N passed, M failed`; exits non-zero on any failure or when a runtime could not run.
//
// Usage: node tests/runtimes/run.mjs   (assumes pkg/wasm is built: scripts/build-wasm.sh)
// Set PKJWT_KEEP_TMP=1 to keep the temporary consumer projects for inspection, and PKJWT_PKG=<dir>
// to pack another package folder than ./pkg (to check that this suite catches a broken package).
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile, copyFile, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const RESULTS_MARK = '@@pkjwt-results ';
const started = Date.now();

const { testNames } = await import('./suite.mjs');

// ---- output -----------------------------------------------------------------------------------

let passed = 0;
let failed = 0;

function report(runtime, name, ok, error) {
  if (ok) passed += 1;
  else failed += 1;
  const line = `${ok ? 'ok  ' : 'FAIL'} ${runtime.padEnd(14)} ${name}`;
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
  console.log(`     ${label.padEnd(14)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
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
  console.log(`     ${label.padEnd(14)} ${outcome.runtime}`);
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
  console.log(`     ${label.padEnd(14)} ${outcome.runtime}`);
  reportSuite(label, outcome);
  expectEntry(label, outcome, 'deno.js');
}

async function bun() {
  const label = 'bun';
  const dir = await consumer('bun');
  const outcome = await runCli(label, bin('bun'), ['runner.mjs'], dir, { BUN_INSTALL_CACHE_DIR: join(tmp, 'bun-cache'), NO_COLOR: '1' });
  console.log(`     ${label.padEnd(14)} ${outcome.runtime}`);
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
  const entries = pkjwtInputs(metafile).filter((path) => !path.startsWith('wasm/') && path !== 'api.js');
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
    console.log(`     ${label.padEnd(14)} ${outcome.runtime}`);
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
  console.log(`     ${label.padEnd(14)} ${outcome.runtime}`);
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
} catch (error) {
  report('setup', 'pack the package and read the fixtures', false, describeError(error));
  for (const label of ['node', 'deno', 'bun', 'workerd', 'edge-runtime']) {
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
