import { BackendError } from '@rlaif/core';
import type { DecoderForCausalLM, ModelArgs } from './causal-lm.js';
import { LlamaForCausalLM } from './llama.js';
import { Qwen2ForCausalLM } from './qwen2.js';

/** Builds an architecture from its config. */
export type ModelConstructor = new (args: ModelArgs) => DecoderForCausalLM;

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

/** The (weightless) architecture for `args`; an unknown type is a BackendError listing the supported ones. */
export function createModel(args: ModelArgs): DecoderForCausalLM {
  const Constructor = Object.hasOwn(ARCHITECTURES, args.modelType) ? ARCHITECTURES[args.modelType] : undefined;
  if (!Constructor) {
    throw new BackendError(`${args.file}: model_type "${args.modelType}" is not supported by the TensorFlow.js backend`, {
      hint: `supported model_type values: ${supportedModelTypes().join(', ')}; pick a model of one of these architectures`,
    });
  }
  if (args.hiddenAct !== 'silu') {
    throw new BackendError(`${args.file}: hidden_act "${args.hiddenAct}" is not supported`, { hint: 'the TensorFlow.js backend implements hidden_act "silu" only' });
  }
  return new Constructor(args);
}
