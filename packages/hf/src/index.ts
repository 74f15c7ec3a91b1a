/** Hugging Face plumbing shared by every rlaif backend: config.json, weights, tokenizer, chat template, hub cache. */
export { readModelConfig, parseModelConfig, parseTokenIds } from './model-config.js';
export type { ModelConfig, RopeScaling, Llama3RopeScaling, LinearRopeScaling } from './model-config.js';
export { findWeightFiles } from './weight-files.js';
export type { WeightFiles } from './weight-files.js';
export { readSafetensorsHeader, SAFETENSORS_DTYPE_BYTES } from './safetensors-header.js';
export type { SafetensorsHeader, SafetensorsEntry } from './safetensors-header.js';
export { checkCheckpointTensors, isIgnoredTensor } from './checkpoint-tensors.js';
export type { ExpectedTensors } from './checkpoint-tensors.js';
export { checkVocabularyFits } from './vocabulary-check.js';
export { readGenerationConfig } from './generation-config.js';
export type { GenerationConfig } from './generation-config.js';
export { Tokenizer } from './tokenizer.js';
export type { ChatMessage, ChatTemplateOptions } from './tokenizer.js';
export { resolveModel, isModelFile } from './hub.js';
export type { ResolveModelOptions, DownloadProgress } from './hub.js';
export { hubCacheDir, repoCacheFolder } from './hub-cache.js';
export { readJsonObject, readOptionalJsonObject } from './json-file.js';
export type { JsonObject } from './json-file.js';
