/** Small numeric helpers shared by the trainer, health checks and the run summary. */

/** Mean of the finite values; NaN for none. */
export function finiteMean(values: readonly number[]): number {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (Number.isFinite(value)) {
      sum += value;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/** Population variance of the finite values; NaN for none. */
export function finiteVariance(values: readonly number[]): number {
  const m = finiteMean(values);
  if (Number.isNaN(m)) return Number.NaN;
  let squares = 0;
  let count = 0;
  for (const value of values) {
    if (Number.isFinite(value)) {
      squares += (value - m) ** 2;
      count++;
    }
  }
  return squares / count;
}

/** The q-quantile (0..1) by linear interpolation between closest ranks; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** Formats seconds as `2h 15m 30s`. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`;
}

/** Formats an integer with thousands separators: 76,505. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
