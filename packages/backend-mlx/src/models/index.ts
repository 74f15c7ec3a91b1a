/** Model architectures of the MLX backend, found by config.json model_type. */
export type { CausalLM, ModelArgs, ForwardOptions } from './causal-lm.js';
export { DecoderForCausalLM, DecoderModel } from './causal-lm.js';
export { Attention, MLP, TransformerBlock, Linear, RMSNorm, causalMask, silu, MASKED } from './layers.js';
export type { AttentionOptions } from './layers.js';
export { KVCache } from './kv-cache.js';
export { RotaryEmbedding, llama3InverseFrequencies } from './rotary-embedding.js';
export { Qwen2ForCausalLM } from './qwen2.js';
export { LlamaForCausalLM } from './llama.js';
export { createModel, modelClassFor, supportedModelTypes } from './registry.js';
export type { ModelConstructor } from './registry.js';
