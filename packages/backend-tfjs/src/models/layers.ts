import { tf } from '../engine/tf.js';
import type { KVCache } from './kv-cache.js';
import type { RotaryEmbedding } from './rotary-embedding.js';

/** Where a layer reads its weights: HF-named tensors, plus the LoRA adapter of a projection if any. */
export interface WeightSource {
  /** The tensor named `name` (HF safetensors key); throws for an unknown name. */
  weight(name: string): tf.Tensor;
  /** The tensor named `name`, or undefined (optional biases). */
  optionalWeight(name: string): tf.Tensor | undefined;
  /** x [N, in] → the LoRA update [N, out] of the projection at `path`, or undefined when it has none (or adapters are off). */
  adapterDelta(path: string, x: tf.Tensor2D): tf.Tensor2D | undefined;
}

/** Biases a decoder block's projections carry (they differ by architecture). */
export interface BlockOptions {
  /** Bias on q_proj, k_proj, v_proj. */
  readonly qkvBias: boolean;
  /** Bias on o_proj. */
  readonly outputBias: boolean;
  /** Bias on gate_proj, up_proj, down_proj. */
  readonly mlpBias: boolean;
}

/** Shape of the attention heads. */
export interface HeadShape {
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
}

/** The additive mask value for a position that must not be attended (finite, so no NaN on fully masked rows). */
export const MASKED = -1e9;

/** x [N, in] → x·Wᵀ + b (+ LoRA) for the Linear at `path` (path.weight [out, in], path.bias [out]). */
export function linear(source: WeightSource, path: string, x: tf.Tensor2D): tf.Tensor2D {
  let y: tf.Tensor2D = tf.matMul(x, source.weight(`${path}.weight`) as tf.Tensor2D, false, true);
  const bias = source.optionalWeight(`${path}.bias`);
  if (bias) y = tf.add<tf.Tensor2D>(y, bias);
  const delta = source.adapterDelta(path, x);
  return delta ? tf.add<tf.Tensor2D>(y, delta) : y;
}

/** RMSNorm over the last axis, weight at `path.weight`. */
export function rmsNorm(source: WeightSource, path: string, x: tf.Tensor2D, eps: number): tf.Tensor2D {
  const scale = tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), eps));
  return tf.mul(tf.mul(x, scale), source.weight(`${path}.weight`));
}

/**
 * Grouped-query attention of block `path` over x [B·T, hidden] (rows batch-major).
 * Query heads are grouped by their shared kv head ([B, kvHeads, groups·T, D]) so no kv tiling is needed
 * (tile has no gradient above rank 4 here). `mask` is additive, broadcastable to [B, 1, 1, T, S].
 */
export function attention(
  source: WeightSource,
  path: string,
  x: tf.Tensor2D,
  batch: number,
  shape: HeadShape,
  rope: RotaryEmbedding,
  mask: tf.Tensor | undefined,
  cache: KVCache | undefined,
): tf.Tensor2D {
  const { numHeads, numKvHeads, headDim } = shape;
  const length = x.shape[0] / batch;
  const heads = (name: string, count: number) =>
    tf.transpose(tf.reshape(linear(source, `${path}.${name}`, x), [batch, length, count, headDim]), [0, 2, 1, 3]) as tf.Tensor4D;
  const offset = cache?.offset ?? 0;
  const queries = rope.apply(heads('q_proj', numHeads), offset);
  let keys = rope.apply(heads('k_proj', numKvHeads), offset);
  let values = heads('v_proj', numKvHeads);
  if (cache) [keys, values] = cache.updateAndFetch(keys, values);
  const groups = numHeads / numKvHeads;
  const cached = keys.shape[2];
  const grouped = tf.reshape(queries, [batch, numKvHeads, groups * length, headDim]);
  let scores = tf.mul(tf.matMul(grouped, keys, false, true), 1 / Math.sqrt(headDim));
  if (mask) scores = tf.reshape(tf.add(tf.reshape(scores, [batch, numKvHeads, groups, length, cached]), mask), [batch, numKvHeads, groups * length, cached]);
  const output = tf.matMul(tf.softmax(scores, -1), values);
  const merged = tf.reshape(tf.transpose(tf.reshape(output, [batch, numHeads, length, headDim]), [0, 2, 1, 3]), [batch * length, numHeads * headDim]);
  return linear(source, `${path}.o_proj`, merged as tf.Tensor2D);
}

/** The gated SiLU MLP of Llama-family models: down(silu(gate(x)) · up(x)). */
export function mlp(source: WeightSource, path: string, x: tf.Tensor2D): tf.Tensor2D {
  const gate = linear(source, `${path}.gate_proj`, x);
  const activated = tf.mul(gate, tf.sigmoid(gate));
  return linear(source, `${path}.down_proj`, tf.mul(activated, linear(source, `${path}.up_proj`, x)));
}

/** Additive causal mask [T, offset+T]: query i (at position offset+i) sees keys 0 … offset+i. */
export function causalMask(length: number, offset: number): tf.Tensor2D {
  const keys = offset + length;
  const values = new Float32Array(length * keys);
  for (let i = 0; i < length; i += 1) {
    for (let j = offset + i + 1; j < keys; j += 1) values[i * keys + j] = MASKED;
  }
  return tf.tensor2d(values, [length, keys]);
}
