import { DecoderForCausalLM, type ModelArgs } from './causal-lm.js';

/**
 * Llama 2/3 (model_type `llama`, and Mistral-style checkpoints without sliding windows): optional
 * `attention_bias` on all four projections, optional `mlp_bias`, RoPE with Llama 3 or linear scaling.
 */
export class LlamaForCausalLM extends DecoderForCausalLM {
  constructor(args: ModelArgs) {
    super(args, { qkvBias: args.attentionBias, outputBias: args.attentionBias, mlpBias: args.mlpBias });
  }
}
