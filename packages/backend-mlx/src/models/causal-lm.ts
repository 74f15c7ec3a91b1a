import { core as mx, nn } from '@frost-beta/mlx';
import type { ModelConfig } from '@rlaif/hf';
import { asFloat32 } from '../engine/compute-dtype.js';
import { KVCache } from './kv-cache.js';
import { Linear, RMSNorm, causalMask, type TransformerBlock } from './layers.js';

/** The config an architecture is built from (config.json, checked by @rlaif/hf). */
export type ModelArgs = ModelConfig;

/** Options of `CausalLM.forward`. */
export interface ForwardOptions {
  /** Return only the last position's logits [B, 1, vocab] (a prompt prefill needs no more). */
  readonly lastOnly?: boolean;
  /**
   * Additive mask over key positions [B, S], S = cached + new tokens: 0 to attend, a large negative
   * number for padding. Lets left-padded prompts of different lengths share a batch.
   */
  readonly keyMask?: mx.array;
}

/** What every architecture exposes to loading, generation and training. */
export interface CausalLM extends nn.Module {
  readonly args: ModelArgs;
  /** The decoder blocks, in order (model.layers.N in HF names). */
  readonly layers: TransformerBlock[];
  /** tokens [B, T] int32 → logits [B, T, vocab] float32; appends to `cache` when given. */
  forward(tokens: mx.array, cache?: KVCache[], options?: ForwardOptions): mx.array;
  /** An empty cache, one entry per layer. */
  makeCache(): KVCache[];
}

/** The decoder stack under `model.` in HF checkpoints: embed_tokens, layers, norm. */
export class DecoderModel extends nn.Module {
  embedTokens: nn.Embedding;
  layers: TransformerBlock[];
  norm: RMSNorm;

  constructor(args: ModelArgs, layers: TransformerBlock[]) {
    super();
    this.embedTokens = new nn.Embedding(args.vocabSize, args.hiddenSize);
    this.layers = layers;
    this.norm = new RMSNorm(args.hiddenSize, args.rmsNormEps);
  }

  /** tokens [B, T] → final hidden states [B, T, hidden] in float32; `keyMask` as in ForwardOptions. */
  override forward(tokens: mx.array, cache: KVCache[] | undefined, keyMask?: mx.array): mx.array {
    let h = asFloat32(this.embedTokens.forward(tokens) as mx.array);
    const [batch, length] = tokens.shape as [number, number];
    const offset = cache?.[0]?.offset ?? 0;
    // One new token attends to everything cached: no causal mask needed.
    let mask = length > 1 ? causalMask(length, offset) : undefined;
    if (keyMask) {
      const padding = keyMask.reshape(batch, 1, 1, offset + length);
      mask = mask ? mx.add(mask, padding) : padding;
    }
    this.layers.forEach((layer, i) => {
      h = layer.forward(h, mask, cache?.[i]);
    });
    return this.norm.forward(h);
  }
}

/**
 * A decoder-only LM in HF layout (`model.*` plus `lm_head` unless embeddings are tied).
 * Architectures differ only in how they build their blocks, so they extend this.
 */
export class DecoderForCausalLM extends nn.Module implements CausalLM {
  model: DecoderModel;
  lmHead?: nn.Linear;
  private _args: ModelArgs;
  // float32 copy of a half-precision head weight, made once: casting a vocab×hidden matrix per token is slow.
  private _headCache: { source: mx.array; weight: mx.array } | undefined;

  constructor(args: ModelArgs, layers: TransformerBlock[]) {
    super();
    this._args = args;
    this.model = new DecoderModel(args, layers);
    if (!args.tieWordEmbeddings) this.lmHead = new Linear(args.hiddenSize, args.vocabSize, false);
  }

  /** The config.json this model was built from. */
  get args(): ModelArgs {
    return this._args;
  }

  /** The decoder blocks (model.layers). */
  get layers(): TransformerBlock[] {
    return this.model.layers;
  }

  /** tokens [B, T] → float32 logits [B, T, vocab] (see CausalLM.forward). */
  override forward(tokens: mx.array, cache?: KVCache[], options: ForwardOptions = {}): mx.array {
    let hidden = this.model.forward(tokens, cache, options.keyMask);
    if (options.lastOnly) hidden = hidden.index(mx.Slice(), mx.Slice(-1));
    if (this.lmHead && !(this.lmHead instanceof Linear)) return this.lmHead.forward(hidden) as mx.array;
    return mx.matmul(hidden, this.headWeight().T);
  }

  /** An empty KV cache, one entry per block. */
  makeCache(): KVCache[] {
    return this.layers.map(() => new KVCache());
  }

  private headWeight(): mx.array {
    const source = this.lmHead ? this.lmHead.weight : this.model.embedTokens.weight;
    if (source.dtype === mx.float32) return source;
    const previous = this._headCache;
    if (previous && previous.source === source) return previous.weight;
    const weight = source.astype(mx.float32);
    this._headCache = { source, weight };
    return weight;
  }
}
