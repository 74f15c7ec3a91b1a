import { Attention, MLP, TransformerBlock } from './layers.js';
import { DecoderForCausalLM, type ModelArgs } from './causal-lm.js';
import { RotaryEmbedding } from './rotary-embedding.js';

/**
 * Llama 2/3 (model_type `llama`, and Mistral-style checkpoints without sliding windows): optional
 * `attention_bias` on all four projections, optional `mlp_bias`, RoPE with Llama 3 or linear scaling.
 */
export class LlamaForCausalLM extends DecoderForCausalLM {
  constructor(args: ModelArgs) {
    const rope = new RotaryEmbedding(args.headDim, args.ropeTheta, args.ropeScaling);
    const layers = Array.from({ length: args.numHiddenLayers }, () => {
      const attention = new Attention(
        {
          hiddenSize: args.hiddenSize,
          numHeads: args.numAttentionHeads,
          numKvHeads: args.numKeyValueHeads,
          headDim: args.headDim,
          qkvBias: args.attentionBias,
          outputBias: args.attentionBias,
        },
        rope,
      );
      return new TransformerBlock(attention, new MLP(args.hiddenSize, args.intermediateSize, args.mlpBias), args.hiddenSize, args.rmsNormEps);
    });
    super(args, layers);
  }
}
