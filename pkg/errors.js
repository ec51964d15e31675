// PkjwtError and the helpers that turn what the wasm binding throws into it. Shared by api.js and
// verifier.js; not part of the public surface beyond what api.js re-exports.

/** An error from pkjwt: `code` is stable; `claim` and `reason` are set on claim failures. */
export class PkjwtError extends Error {
  constructor(message, code, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PkjwtError';
    this.code = code;
    for (const name of ['claim', 'reason', 'status', 'error', 'errorDescription']) {
      if (details[name] !== undefined) this[name] = details[name];
    }
  }
}

/** True when `value` is a PkjwtError (also across copies of the package). */
export function isPkjwtError(value) {
  return value instanceof PkjwtError
    || (value instanceof Error && value.name === 'PkjwtError' && typeof value.code === 'string');
}

/** The binding's errors as PkjwtError; wasm-bindgen's "freed object" errors as ERR_INVALID_ARGUMENT. */
export function adopt(error) {
  if (error instanceof Error && error.name === 'PkjwtError' && !(error instanceof PkjwtError)) {
    Object.setPrototypeOf(error, PkjwtError.prototype);
  } else if (error instanceof Error && /null pointer passed to rust|recursive use of an object/.test(error.message)) {
    return new PkjwtError('this Key or ReplayCache was freed or not made by pkjwt', 'ERR_INVALID_ARGUMENT', { cause: error });
  }
  return error;
}

/** Runs `call`, rethrowing what it throws through `adopt`. */
export function guarded(call) {
  try {
    return call();
  } catch (error) {
    throw adopt(error);
  }
}

/** An ERR_INVALID_ARGUMENT error. */
export function invalid(message) {
  return new PkjwtError(message, 'ERR_INVALID_ARGUMENT');
}
