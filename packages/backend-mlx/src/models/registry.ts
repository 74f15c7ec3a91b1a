import { BackendError } from '@rlaif/core';
import type { CausalLM, ModelArgs } from './causal-lm.js';
import { LlamaForCausalLM } from './llama.js';
import { Qwen2ForCausalLM } from './qwen2.js';

/** Builds an architecture from its config. */
export type ModelConstructor = new (args: ModelArgs) => CausalLM;

// config.json `model_type` → implementation. Mistral is Llama with a sliding window longer than rlaif's contexts.
const ARCHITECTURES: Readonly<Record<string, ModelConstructor>> = {
  qwen2: Qwen2ForCausalLM,
  llama: LlamaForCausalLM,
  mistral: LlamaForCausalLM,
};

/** The model_type values this backend can load. */
export function supportedModelTypes(): string[] {
  return Object.keys(ARCHITECTURES);
}

/** The implementation of `args.modelType`; an unknown type is a BackendError listing the supported ones. */
export function modelClassFor(args: ModelArgs): ModelConstructor {
  const constructor = Object.hasOwn(ARCHITECTURES, args.modelType) ? ARCHITECTURES[args.modelType] : undefined;
  if (!constructor) {
    throw new BackendError(`${args.file}: model_type "${args.modelType}" is not supported by the MLX backend`, {
      hint: `supported model_type values: ${supportedModelTypes().join(', ')}; pick a model of one of these architectures`,
    });
  }
  if (args.hiddenAct !== 'silu') {
    throw new BackendError(`${args.file}: hidden_act "${args.hiddenAct}" is not supported`, { hint: 'the MLX backend implements hidden_act "silu" only' });
  }
  return constructor;
}

/** Builds the (randomly initialised) architecture for `args`; load weights into it afterwards. */
export function createModel(args: ModelArgs): CausalLM {
  const Constructor = modelClassFor(args);
  return new Constructor(args);
}
