import { tf } from '../engine/tf.js';

/**
 * Keys and values of one attention layer for the tokens seen so far, [B, kvHeads, S, headDim].
 * The cache owns its tensors (kept out of any tidy scope) and disposes the ones it replaces.
 */
export class KVCache {
  private keys: tf.Tensor4D | undefined;
  private values: tf.Tensor4D | undefined;

  /** Number of positions already cached (the RoPE offset of the next token). */
  get offset(): number {
    return this.keys?.shape[2] ?? 0;
  }

  /** Batch size of the cached rows (0 when empty). */
  get batchSize(): number {
    return this.keys?.shape[0] ?? 0;
  }

  /** Appends this step's keys/values and returns everything cached, including them. */
  updateAndFetch(keys: tf.Tensor4D, values: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
    const allKeys = this.keys ? tf.concat([this.keys, keys], 2) : keys.clone();
    const allValues = this.values ? tf.concat([this.values, values], 2) : values.clone();
    this.replace(allKeys, allValues);
    return [allKeys, allValues];
  }

  /** Repeats each batch row `n` times ([a, b] → [a, a, b, b]), so n samples share one prompt prefill. */
  repeatRows(n: number): void {
    if (!this.keys || !this.values || n === 1) return;
    const rows = Array.from({ length: this.batchSize * n }, (_, i) => Math.floor(i / n));
    this.keepRows(rows);
  }

  /** Keeps only the given batch rows, in that order (drops finished samples from the decode batch). */
  keepRows(rows: readonly number[]): void {
    if (!this.keys || !this.values) return;
    const [keys, values] = tf.tidy(() => {
      const index = tf.tensor1d([...rows], 'int32');
      return [tf.gather(this.keys!, index, 0), tf.gather(this.values!, index, 0)];
    });
    this.replace(keys, values);
  }

  /** Frees the cached tensors. */
  dispose(): void {
    this.keys?.dispose();
    this.values?.dispose();
    this.keys = undefined;
    this.values = undefined;
  }

  private replace(keys: tf.Tensor4D, values: tf.Tensor4D): void {
    const previous = [this.keys, this.values];
    this.keys = tf.keep(keys);
    this.values = tf.keep(values);
    for (const tensor of previous) tensor?.dispose();
  }
}
