import { BackendError } from '@rlaif/core';
import { Attention, MLP, TransformerBlock } from './layers.js';
import { DecoderForCausalLM, type ModelArgs } from './causal-lm.js';
import { RotaryEmbedding } from './rotary-embedding.js';

/**
 * Qwen2 / Qwen2.5 (model_type `qwen2`): Llama-shaped blocks with bias on q/k/v (not o), grouped-query
 * attention, plain RoPE with `rope_theta`, embeddings tied to the head in the small models.
 */
export class Qwen2ForCausalLM extends DecoderForCausalLM {
  constructor(args: ModelArgs) {
    if (args.ropeScaling) {
      throw new BackendError(`${args.file}: rope_scaling ${args.ropeScaling.ropeType} is not supported for qwen2 here`, {
        hint: 'remove rope_scaling from config.json (rlaif trains with short contexts) or use a model without it',
      });
    }
    const rope = new RotaryEmbedding(args.headDim, args.ropeTheta, null);
    const layers = Array.from({ length: args.numHiddenLayers }, () => {
      const attention = new Attention(
        { hiddenSize: args.hiddenSize, numHeads: args.numAttentionHeads, numKvHeads: args.numKeyValueHeads, headDim: args.headDim, qkvBias: true, outputBias: false },
        rope,
      );
      return new TransformerBlock(attention, new MLP(args.hiddenSize, args.intermediateSize, false), args.hiddenSize, args.rmsNormEps);
    });
    super(args, layers);
  }
}
