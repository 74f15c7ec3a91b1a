import { tf } from '../engine/tf.js';

/** Shape and scaling of one LoRA adapter. */
export interface LoraAdapterOptions {
  readonly rank: number;
  readonly alpha: number;
  readonly dropout: number;
}

/**
 * The LoRA update of one Linear: scale · (x·Aᵀ)·Bᵀ with A [r, in], B [out, r] (PEFT's lora_A / lora_B),
 * scale = alpha / r. B starts at zero so a fresh adapter leaves the model unchanged. Variables are left
 * unnamed: tfjs names must be unique per process and several models may be loaded at once.
 */
export class LoraAdapter {
  readonly a: tf.Variable;
  readonly b: tf.Variable;
  readonly scale: number;

  constructor(
    readonly options: LoraAdapterOptions,
    inFeatures: number,
    outFeatures: number,
    seed: number,
    /** Position among the model's adapters (offsets the dropout seed). */
    readonly index = 0,
  ) {
    const bound = 1 / Math.sqrt(inFeatures);
    this.a = tf.variable(tf.randomUniform([options.rank, inFeatures], -bound, bound, 'float32', seed));
    this.b = tf.variable(tf.zeros([outFeatures, options.rank]));
    this.scale = options.alpha / options.rank;
  }

  /** x [N, in] → [N, out]; with a `dropoutSeed` (training), dropout on x as PEFT does, its mask drawn from that seed. */
  delta(x: tf.Tensor2D, dropoutSeed: number | undefined): tf.Tensor2D {
    const input = dropoutSeed !== undefined && this.options.dropout > 0 ? tf.dropout(x, this.options.dropout, undefined, dropoutSeed) : x;
    return tf.mul(tf.matMul(tf.matMul(input, this.a as tf.Tensor2D, false, true), this.b as tf.Tensor2D, false, true), this.scale);
  }

  /** Replaces A and B with saved values (shapes already checked). */
  assign(a: Float32Array, b: Float32Array): void {
    tf.tidy(() => {
      this.a.assign(tf.tensor(a, this.a.shape, 'float32'));
      this.b.assign(tf.tensor(b, this.b.shape, 'float32'));
    });
  }

  dispose(): void {
    this.a.dispose();
    this.b.dispose();
  }
}
