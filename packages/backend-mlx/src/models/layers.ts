import { core as mx, nn } from '@frost-beta/mlx';
import { asFloat32 } from '../engine/compute-dtype.js';
import type { KVCache } from './kv-cache.js';
import type { RotaryEmbedding } from './rotary-embedding.js';

/**
 * nn.Linear whose weights may be stored in bf16/fp16: they are cast to float32 at the matmul, the only
 * precision MLX's CPU matmul has. Still an nn.Linear, so LoRA wrappers and nn.quantize find it.
 */
export class Linear extends nn.Linear {
  override forward(x: mx.array): mx.array {
    const weight = asFloat32(this.weight);
    if (this.bias) return mx.addmm(asFloat32(this.bias), x, weight.T);
    return mx.matmul(x, weight.T);
  }
}

/** RMSNorm with a weight that may be stored in a half type; computes in the input's dtype. */
export class RMSNorm extends nn.RMSNorm {
  override forward(x: mx.array): mx.array {
    return mx.fast.rmsNorm(x, this.weight.dtype === x.dtype ? this.weight : this.weight.astype(x.dtype), this.eps);
  }
}

/** SiLU written as x·sigmoid(x): nn.silu is mx.compile'd, which fails in bf16 and shells out to g++ here. */
export function silu(x: mx.array): mx.array {
  return mx.multiply(x, mx.sigmoid(x));
}

/** Shape of one attention layer. */
export interface AttentionOptions {
  readonly hiddenSize: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  /** Bias on q_proj, k_proj, v_proj. */
  readonly qkvBias: boolean;
  /** Bias on o_proj. */
  readonly outputBias: boolean;
}

/** Multi-head attention with grouped-query heads; child names match HF (q_proj … o_proj). */
export class Attention extends nn.Module {
  qProj: nn.Linear;
  kProj: nn.Linear;
  vProj: nn.Linear;
  oProj: nn.Linear;
  // Underscored: not a parameter, not a child module.
  private _rope: RotaryEmbedding;
  private _shape: AttentionOptions;

  constructor(options: AttentionOptions, rope: RotaryEmbedding) {
    super();
    const { hiddenSize, numHeads, numKvHeads, headDim } = options;
    this.qProj = new Linear(hiddenSize, numHeads * headDim, options.qkvBias);
    this.kProj = new Linear(hiddenSize, numKvHeads * headDim, options.qkvBias);
    this.vProj = new Linear(hiddenSize, numKvHeads * headDim, options.qkvBias);
    this.oProj = new Linear(numHeads * headDim, hiddenSize, options.outputBias);
    this._rope = rope;
    this._shape = options;
  }

  /** x [B, T, hidden] → [B, T, hidden]; `mask` is additive [T, S] (or broadcastable), `cache` is appended to. */
  override forward(x: mx.array, mask: mx.array | undefined, cache: KVCache | undefined): mx.array {
    const [batch, length] = x.shape as [number, number, number];
    const { numHeads, numKvHeads, headDim } = this._shape;
    const heads = (projection: nn.Linear, count: number) =>
      (projection.forward(x) as mx.array).reshape(batch, length, count, headDim).transpose(0, 2, 1, 3);
    const offset = cache?.offset ?? 0;
    let queries = this._rope.apply(heads(this.qProj, numHeads), offset);
    let keys = this._rope.apply(heads(this.kProj, numKvHeads), offset);
    let values = heads(this.vProj, numKvHeads);
    if (cache) [keys, values] = cache.updateAndFetch(keys, values);
    queries = asFloat32(queries);
    // With grouped heads MLX 0.13 scores as [B, kvHeads, groups, T, S]: a per-row mask needs the extra axis.
    const groupedMask = mask && mask.ndim === 4 && numHeads !== numKvHeads ? mx.expandDims(mask, 2) : mask;
    const output = mx.fast.scaledDotProductAttention(queries, asFloat32(keys), asFloat32(values), 1 / Math.sqrt(headDim), groupedMask);
    return this.oProj.forward(output.transpose(0, 2, 1, 3).reshape(batch, length, numHeads * headDim)) as mx.array;
  }
}

/** The gated SiLU MLP of Llama-family models: down(silu(gate(x)) · up(x)). */
export class MLP extends nn.Module {
  gateProj: nn.Linear;
  upProj: nn.Linear;
  downProj: nn.Linear;

  constructor(hiddenSize: number, intermediateSize: number, bias: boolean) {
    super();
    this.gateProj = new Linear(hiddenSize, intermediateSize, bias);
    this.upProj = new Linear(hiddenSize, intermediateSize, bias);
    this.downProj = new Linear(intermediateSize, hiddenSize, bias);
  }

  override forward(x: mx.array): mx.array {
    const gate = silu(this.gateProj.forward(x) as mx.array);
    return this.downProj.forward(mx.multiply(gate, this.upProj.forward(x) as mx.array)) as mx.array;
  }
}

/** One pre-norm decoder block: x + attn(norm(x)), then + mlp(norm(·)). */
export class TransformerBlock extends nn.Module {
  selfAttn: Attention;
  mlp: MLP;
  inputLayernorm: RMSNorm;
  postAttentionLayernorm: RMSNorm;

  constructor(attention: Attention, mlp: MLP, hiddenSize: number, eps: number) {
    super();
    this.selfAttn = attention;
    this.mlp = mlp;
    this.inputLayernorm = new RMSNorm(hiddenSize, eps);
    this.postAttentionLayernorm = new RMSNorm(hiddenSize, eps);
  }

  override forward(x: mx.array, mask: mx.array | undefined, cache: KVCache | undefined): mx.array {
    const h = mx.add(x, this.selfAttn.forward(this.inputLayernorm.forward(x), mask, cache));
    return mx.add(h, this.mlp.forward(this.postAttentionLayernorm.forward(h)));
  }
}

/** The additive mask value for a position that must not be attended (finite, so no NaN on fully masked rows). */
export const MASKED = -1e9;

/**
 * Additive causal mask [T, offset+T]: query i (at position offset+i) sees keys 0 … offset+i.
 * Built from arange + where because mx.triu is missing from node-mlx 0.0.7.
 */
export function causalMask(length: number, offset: number): mx.array {
  const queries = mx.arange(offset, offset + length, 1, mx.int32).reshape(length, 1);
  const keys = mx.arange(0, offset + length, 1, mx.int32).reshape(1, offset + length);
  return mx.where(mx.greaterEqual(queries, keys), mx.array(0, mx.float32), mx.array(MASKED, mx.float32));
}
