import { core as mx } from '@frost-beta/mlx';

/**
 * Keys and values of one attention layer for the tokens seen so far, shaped [B, kvHeads, S, headDim].
 * Grows by concatenation: simple, and cheap next to the matmuls at the sizes rlaif decodes.
 */
export class KVCache {
  private keys: mx.array | undefined;
  private values: mx.array | undefined;

  /** Number of positions already cached (the RoPE offset of the next token). */
  get offset(): number {
    return this.keys?.shape[2] ?? 0;
  }

  /** Batch size of the cached rows (0 when empty). */
  get batchSize(): number {
    return this.keys?.shape[0] ?? 0;
  }

  /** Appends this step's keys/values and returns everything cached, including them. */
  updateAndFetch(keys: mx.array, values: mx.array): [mx.array, mx.array] {
    const allKeys = this.keys ? mx.concatenate([this.keys, keys], 2) : keys;
    const allValues = this.values ? mx.concatenate([this.values, values], 2) : values;
    this.keys = allKeys;
    this.values = allValues;
    return [allKeys, allValues];
  }

  /** Repeats each batch row `n` times in place ([a, b] → [a, a, b, b]), so n samples share one prompt prefill. */
  repeatRows(n: number): void {
    if (!this.keys || !this.values || n === 1) return;
    this.keys = mx.repeat(this.keys, n, 0);
    this.values = mx.repeat(this.values, n, 0);
  }

  /** Keeps only the given batch rows (drops finished samples from the decode batch). */
  keepRows(rows: readonly number[]): void {
    if (!this.keys || !this.values) return;
    const index = mx.array([...rows], mx.int32);
    this.keys = mx.take(this.keys, index, 0);
    this.values = mx.take(this.values, index, 0);
  }

  /** The cached arrays, for mx.eval after a step. */
  state(): mx.array[] {
    return this.keys && this.values ? [this.keys, this.values] : [];
  }
}
