/**
 * Random initial weights of a Qwen2 decoder under Hugging Face names, initialised like
 * transformers' `_init_weights`: normal(0, initializer_range) for matrices and embeddings,
 * zeros for biases, ones for RMSNorm scales. The same seed gives bit-identical tensors.
 */
import { core as mx } from '@frost-beta/mlx';
import { RandomKeys } from '../engine/random-keys.js';

/** The shape of a Qwen2 decoder, in config.json terms. */
export interface Qwen2Shape {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly intermediateSize: number;
  readonly tieWordEmbeddings: boolean;
}

type Init = 'normal' | 'zeros' | 'ones';

/** Every parameter's HF name, shape and initialiser, in a fixed order (the order keys are drawn in). */
export function qwen2ParameterSpecs(shape: Qwen2Shape): [name: string, dims: number[], init: Init][] {
  const { hiddenSize: h, intermediateSize: m, vocabSize: v } = shape;
  const headDim = h / shape.numHeads;
  const kv = shape.numKvHeads * headDim;
  const specs: [string, number[], Init][] = [['model.embed_tokens.weight', [v, h], 'normal']];
  for (let i = 0; i < shape.numLayers; i += 1) {
    const p = `model.layers.${i}`;
    specs.push(
      [`${p}.input_layernorm.weight`, [h], 'ones'],
      [`${p}.self_attn.q_proj.weight`, [h, h], 'normal'],
      [`${p}.self_attn.q_proj.bias`, [h], 'zeros'],
      [`${p}.self_attn.k_proj.weight`, [kv, h], 'normal'],
      [`${p}.self_attn.k_proj.bias`, [kv], 'zeros'],
      [`${p}.self_attn.v_proj.weight`, [kv, h], 'normal'],
      [`${p}.self_attn.v_proj.bias`, [kv], 'zeros'],
      [`${p}.self_attn.o_proj.weight`, [h, h], 'normal'],
      [`${p}.post_attention_layernorm.weight`, [h], 'ones'],
      [`${p}.mlp.gate_proj.weight`, [m, h], 'normal'],
      [`${p}.mlp.up_proj.weight`, [m, h], 'normal'],
      [`${p}.mlp.down_proj.weight`, [h, m], 'normal'],
    );
  }
  specs.push(['model.norm.weight', [h], 'ones']);
  if (!shape.tieWordEmbeddings) specs.push(['lm_head.weight', [v, h], 'normal']);
  return specs;
}

/** Number of weights a Qwen2 decoder of this shape has (tied embeddings counted once). */
export function qwen2ParameterCount(shape: Qwen2Shape): number {
  return qwen2ParameterSpecs(shape).reduce((total, [, dims]) => total + dims.reduce((a, b) => a * b, 1), 0);
}

/** Draws the initial weights, float32, evaluated. */
export function initQwen2Weights(shape: Qwen2Shape, seed: number, initializerRange: number): Record<string, mx.array> {
  const keys = new RandomKeys(seed);
  const weights: Record<string, mx.array> = {};
  for (const [name, dims, init] of qwen2ParameterSpecs(shape)) {
    // Draw a key for every tensor, used or not, so one tensor's initialiser never shifts another's stream.
    const key = keys.next();
    weights[name] = init === 'normal' ? mx.random.normal(dims, mx.float32, 0, initializerRange, key) : init === 'zeros' ? mx.zeros(dims, mx.float32) : mx.ones(dims, mx.float32);
  }
  mx.eval(...Object.values(weights));
  return weights;
}
