// Timing helpers of bench/peers.mjs.

export const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Operations per second of `fn` (sync, or returning a promise that is awaited): calls it until
 * `budgetMs` have passed and at least `minOps` calls were made.
 */
export async function opsPerSecond(fn, budgetMs, minOps = 1) {
  let n = 0;
  const t0 = performance.now();
  const deadline = t0 + budgetMs;
  let t = t0;
  while (n < minOps || t < deadline) {
    const result = fn();
    if (result && typeof result.then === 'function') await result;
    n += 1;
    t = performance.now();
  }
  return (n * 1000) / (t - t0);
}

/** The order of `items` in round `round`: a rotation, so every item runs in every position. */
export const rotated = (items, round) => items.map((_, i) => items[(i + round) % items.length]);

export function formatOps(ops) {
  if (!Number.isFinite(ops)) return '—';
  if (ops >= 100_000) return `${Math.round(ops / 1000)}k`;
  if (ops >= 10_000) return `${(ops / 1000).toFixed(1)}k`;
  if (ops >= 100) return `${Math.round(ops)}`;
  if (ops >= 10) return ops.toFixed(1);
  return ops.toFixed(2);
}

export function formatRatio(ratio) {
  if (!Number.isFinite(ratio)) return '—';
  if (ratio >= 10) return `${ratio.toFixed(0)}×`;
  if (ratio >= 0.1) return `${ratio.toFixed(2)}×`;
  return `${ratio.toFixed(3)}×`;
}
