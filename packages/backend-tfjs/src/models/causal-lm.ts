import { BackendError } from '@rlaif/core';
import type { ModelConfig } from '@rlaif/hf';
import { tf } from '../engine/tf.js';
import { KVCache } from './kv-cache.js';
import { attention, causalMask, mlp, rmsNorm, type BlockOptions, type WeightSource } from './layers.js';
import type { LoraAdapter } from './lora-adapter.js';
import { RotaryEmbedding } from './rotary-embedding.js';

/** The config an architecture is built from (config.json, checked by @rlaif/hf). */
export type ModelArgs = ModelConfig;

/** Options of `DecoderForCausalLM.forward`. */
export interface ForwardOptions {
  /** Return only the last position's logits [B, 1, vocab] (a prompt prefill needs no more). */
  readonly lastOnly?: boolean;
  /**
   * Additive mask over key positions [B, S], S = cached + new tokens: 0 to attend, MASKED for padding.
   * Lets left-padded prompts of different lengths share a batch.
   */
  readonly keyMask?: tf.Tensor2D;
}

/**
 * A decoder-only LM in HF layout (`model.embed_tokens`, `model.layers.N.*`, `model.norm`, `lm_head` unless
 * tied), held as HF-named tf.Variables. Architectures differ only in their block options and RoPE, so
 * each (qwen2.ts, llama.ts) extends this. LoRA adapters sit beside the base weights, keyed by module path.
 */
export class DecoderForCausalLM implements WeightSource {
  /** Base weights by HF name; trainable only under full fine-tuning. */
  readonly weights = new Map<string, tf.Variable>();
  /** LoRA adapters by module path (e.g. `model.layers.0.self_attn.q_proj`). */
  readonly adapters = new Map<string, LoraAdapter>();
  /** When false, forward ignores the adapters (the base model, for the KL reference). */
  adaptersEnabled = true;
  /**
   * While training, the seed of this forward pass's LoRA dropout masks (each adapter offsets it by its
   * position); undefined = no dropout (inference). Seeded per update, so a resumed run draws the same masks.
   */
  dropoutSeed: number | undefined = undefined;
  /** Overrides of base weights by name for one forward (the frozen reference of full fine-tuning). */
  private overrides: ReadonlyMap<string, tf.Tensor> | undefined;

  constructor(
    readonly args: ModelArgs,
    readonly blockOptions: BlockOptions,
    readonly rope: RotaryEmbedding = new RotaryEmbedding(args.headDim, args.ropeTheta, args.ropeScaling),
  ) {}

  /** Every parameter the architecture has, by HF name, with its shape. */
  parameterShapes(): Map<string, number[]> {
    const { hiddenSize: h, intermediateSize: m, vocabSize: v, numAttentionHeads, numKeyValueHeads, headDim } = this.args;
    const { qkvBias, outputBias, mlpBias } = this.blockOptions;
    // In the order backend-mlx flattens its module tree, so optimizer states line up across engines.
    const shapes = new Map<string, number[]>([['model.embed_tokens.weight', [v, h]]]);
    const linear = (path: string, out: number, input: number, bias: boolean) => {
      shapes.set(`${path}.weight`, [out, input]);
      if (bias) shapes.set(`${path}.bias`, [out]);
    };
    for (let i = 0; i < this.args.numHiddenLayers; i += 1) {
      const block = `model.layers.${i}`;
      linear(`${block}.self_attn.q_proj`, numAttentionHeads * headDim, h, qkvBias);
      linear(`${block}.self_attn.k_proj`, numKeyValueHeads * headDim, h, qkvBias);
      linear(`${block}.self_attn.v_proj`, numKeyValueHeads * headDim, h, qkvBias);
      linear(`${block}.self_attn.o_proj`, h, numAttentionHeads * headDim, outputBias);
      linear(`${block}.mlp.gate_proj`, m, h, mlpBias);
      linear(`${block}.mlp.up_proj`, m, h, mlpBias);
      linear(`${block}.mlp.down_proj`, h, m, mlpBias);
      shapes.set(`${block}.input_layernorm.weight`, [h]);
      shapes.set(`${block}.post_attention_layernorm.weight`, [h]);
    }
    shapes.set('model.norm.weight', [h]);
    if (!this.args.tieWordEmbeddings) shapes.set('lm_head.weight', [v, h]);
    return shapes;
  }

  weight(name: string): tf.Tensor {
    const tensor = this.overrides?.get(name) ?? this.weights.get(name);
    if (!tensor) throw new BackendError(`the model has no weight ${name}`, { hint: 'this is a bug in @rlaif/backend-tfjs: please report it' });
    return tensor;
  }

  optionalWeight(name: string): tf.Tensor | undefined {
    return this.overrides?.get(name) ?? this.weights.get(name);
  }

  adapterDelta(path: string, x: tf.Tensor2D): tf.Tensor2D | undefined {
    if (!this.adaptersEnabled) return undefined;
    const adapter = this.adapters.get(path);
    return adapter?.delta(x, this.dropoutSeed === undefined ? undefined : this.dropoutSeed + adapter.index);
  }

  /** An empty KV cache, one entry per block. */
  makeCache(): KVCache[] {
    return Array.from({ length: this.args.numHiddenLayers }, () => new KVCache());
  }

  /** Runs `fn` with some base weights replaced (by name) for its duration. */
  withWeights<T>(overrides: ReadonlyMap<string, tf.Tensor>, fn: () => T): T {
    const previous = this.overrides;
    this.overrides = overrides;
    try {
      return fn();
    } finally {
      this.overrides = previous;
    }
  }

  /** Runs `fn` on the base model (adapters off). */
  withAdaptersDisabled<T>(fn: () => T): T {
    const previous = this.adaptersEnabled;
    this.adaptersEnabled = false;
    try {
      return fn();
    } finally {
      this.adaptersEnabled = previous;
    }
  }

  /** tokens [B, T] int32 → float32 logits [B, T, vocab] (or [B, 1, vocab] with lastOnly); appends to `cache`. */
  forward(tokens: tf.Tensor2D, cache?: KVCache[], options: ForwardOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const [batch, length] = tokens.shape;
      const args = this.args;
      const offset = cache?.[0]?.offset ?? 0;
      let h = tf.gather(this.weight('model.embed_tokens.weight'), tf.reshape(tokens, [-1])) as tf.Tensor2D;
      // One new token attends to everything cached: no causal mask needed.
      let mask: tf.Tensor | undefined = length > 1 ? causalMask(length, offset) : undefined;
      if (options.keyMask) {
        const padding = tf.reshape(options.keyMask, [batch, 1, 1, 1, offset + length]);
        mask = mask ? tf.add(mask, padding) : padding;
      }
      const heads = { numHeads: args.numAttentionHeads, numKvHeads: args.numKeyValueHeads, headDim: args.headDim };
      for (let i = 0; i < args.numHiddenLayers; i += 1) {
        const block = `model.layers.${i}`;
        const normed = rmsNorm(this, `${block}.input_layernorm`, h, args.rmsNormEps);
        h = tf.add(h, attention(this, `${block}.self_attn`, normed, batch, heads, this.rope, mask, cache?.[i]));
        h = tf.add(h, mlp(this, `${block}.mlp`, rmsNorm(this, `${block}.post_attention_layernorm`, h, args.rmsNormEps)));
      }
      h = rmsNorm(this, 'model.norm', h, args.rmsNormEps);
      let rows = length;
      if (options.lastOnly) {
        h = tf.reshape(tf.slice(tf.reshape(h, [batch, length, -1]), [0, length - 1, 0], [-1, 1, -1]), [batch, -1]);
        rows = 1;
      }
      const head = this.weight(args.tieWordEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight') as tf.Tensor2D;
      return tf.reshape(tf.matMul(h, head, false, true), [batch, rows, args.vocabSize]);
    });
  }

  /** Folds every adapter into its base weight (W + scale·B·A) and removes the adapters (for export). */
  mergeAdapters(): void {
    for (const [path, adapter] of this.adapters) {
      const weight = this.weights.get(`${path}.weight`)!;
      tf.tidy(() => weight.assign(tf.add(weight, tf.mul(tf.matMul(adapter.b, adapter.a), adapter.scale))));
      adapter.dispose();
    }
    this.adapters.clear();
  }

  /** Frees every weight and adapter. */
  dispose(): void {
    for (const variable of this.weights.values()) variable.dispose();
    for (const adapter of this.adapters.values()) adapter.dispose();
    this.weights.clear();
    this.adapters.clear();
  }
}
