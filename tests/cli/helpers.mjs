// Runs the real pkjwt executable (pkg/cli.js) as a subprocess, asynchronously so that servers
// running in the test process (oidc-provider, a JWKS server) keep answering meanwhile.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../pkg/cli.js', import.meta.url));
export const KEYS = fileURLToPath(new URL('../keys/', import.meta.url));
export const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA', 'Ed25519'];
// eslint-disable-next-line no-control-regex
export const ANSI = /\x1b\[/;

/**
 * Runs `node pkg/cli.js ...args`; resolves to { code, stdout, stderr }. `input` is written to
 * stdin (stdin is closed either way); `env` is merged over a copy of process.env without NO_COLOR
 * and FORCE_COLOR; `cwd` defaults to the repository.
 */
export function run(args, { input, env = {}, cwd } = {}) {
  const base = { ...process.env };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  delete base.NODE_OPTIONS;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: signal ? `signal ${signal}` : code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pkjwt-cli-'));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** No stack trace lines ("    at foo (file:...)") in `text`. */
export function hasStack(text) {
  return /^\s+at .+[(:]/m.test(text) || /\.js:\d+/.test(text);
}
