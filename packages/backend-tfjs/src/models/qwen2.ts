import { BackendError } from '@rlaif/core';
import { DecoderForCausalLM, type ModelArgs } from './causal-lm.js';

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
    super(args, { qkvBias: true, outputBias: false, mlpBias: false });
  }
}
