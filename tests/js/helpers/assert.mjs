// Shared assertions for the JS tests of the pkjwt package (node:test + node:assert).
import assert from 'node:assert/strict';
import { PkjwtError, isPkjwtError } from 'pkjwt';

/** Asserts that `error` is a proper PkjwtError with `code` and (optionally) more properties. */
export function assertPkjwtError(error, code, props = {}) {
  assert.ok(error instanceof Error, `expected an Error, got ${String(error)}`);
  assert.ok(!(error instanceof WebAssembly.RuntimeError), `wasm trap: ${error?.message}`);
  assert.equal(error.name, 'PkjwtError', `expected a PkjwtError, got ${error.name}: ${error.message}`);
  assert.ok(error instanceof PkjwtError, `${error.code}: ${error.message} is not instanceof PkjwtError`);
  assert.ok(isPkjwtError(error));
  assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  for (const [name, value] of Object.entries(props)) {
    assert.deepEqual(error[name], value, `error.${name} (${error.code}: ${error.message})`);
  }
  return error;
}

/** Runs `fn`, which must throw a PkjwtError with `code` (and the given properties). */
export function throwsPkjwt(fn, code, props = {}) {
  let thrown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown !== undefined, `expected ${code}, but nothing was thrown`);
  return assertPkjwtError(thrown, code, props);
}

/** Awaits `promiseOrFn`, which must reject with a PkjwtError with `code` (and the given properties). */
export async function rejectsPkjwt(promiseOrFn, code, props = {}) {
  let thrown;
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown !== undefined, `expected a rejection with ${code}, but it resolved`);
  return assertPkjwtError(thrown, code, props);
}

/** The three segments of a compact JWS, decoded. */
export function splitJws(token) {
  const [h, p, s] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
    signingInput: Buffer.from(`${h}.${p}`, 'ascii'),
    signature: Buffer.from(s, 'base64url'),
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
