/**
 * @rlaif/backend-mlx: Qwen2 and Llama students on node-mlx (Metal on Apple Silicon, CPU on Linux),
 * trained with LoRA by policy gradient or SFT. `mlx()` is the backend plugin; the rest is exported
 * for tools (export, benchmarks) and for other backends to reuse.
 */
export { mlx, default } from './backend.js';
export type { MlxBackendSettings } from './backend.js';

export { LoraLinear } from './lora/lora-linear.js';
export type { LoraLayerOptions } from './lora/lora-linear.js';
export { applyLora, findLoraLayers, setAdaptersEnabled, withAdaptersDisabled, hfPath } from './lora/apply-lora.js';
export type { LoraLayers } from './lora/apply-lora.js';
export { mergedParameters } from './lora/merge-lora.js';
export type { MergeDtype } from './lora/merge-lora.js';

export { PolicyOptimizer } from './train/policy-optimizer.js';
export type { CausalLanguageModel, PolicyOptimizerOptions, SupervisedEncoder } from './train/policy-optimizer.js';
export { policyLoss, supervisedLoss, klEstimate } from './train/policy-loss.js';
export type { PolicyLossInputs, PolicyLossTerms } from './train/policy-loss.js';
export { flattenTrainable, valueAndGradients, updateNamed } from './train/trainable-gradients.js';
export type { FlatParameters, ValueAndGradients } from './train/trainable-gradients.js';
export { formatTaskPrompt, taskInstruction } from '@rlaif/hf';

export { AdamW } from './optim/adamw.js';
export type { AdamWOptions, AdamWState } from './optim/adamw.js';

export { savePeftAdapter, loadPeftAdapter, readPeftAdapterConfig, peftKey } from './checkpoint/peft-adapter.js';
export type { PeftAdapterConfig, AdapterMetadata } from './checkpoint/peft-adapter.js';

export { exportCheckpoint, writeMergedModel } from './export/export-checkpoint.js';
export type { ExportCheckpointOptions, ExportResult } from './export/export-checkpoint.js';
export { writeGguf, GgmlType, GgufValueType } from './export/gguf-writer.js';
export type { GgufTensor, GgufValue } from './export/gguf-writer.js';
export { readGguf } from './export/gguf-reader.js';
export type { GgufFile, GgufReadTensor, GgufReadValue } from './export/gguf-reader.js';
export { writeGgufModel, ggufTensorName } from './export/gguf-model.js';
export type { GgufFileType, GgufModelInput } from './export/gguf-model.js';

export { loadModel } from './load/load-model.js';
export type { LoadModelOptions, LoadedModel } from './load/load-model.js';
export { generateSamples } from './generate/generate.js';
export { completionLogprobs, tokenLogprobs } from './generate/teacher-forced.js';
export type { Sample, GenerateOptions } from './generate/generate.js';
export { createModel, supportedModelTypes } from './models/registry.js';
export type { CausalLM } from './models/causal-lm.js';

export { createTinyModel, learnBpe, CHATML_TEMPLATE, SPECIAL_TOKENS, qwen2ParameterCount } from './create/index.js';
export type { CreateTinyModelOptions, CreatedTinyModel, TinyTokenizerOptions, BpeVocabulary, LearnBpeOptions, Qwen2Shape } from './create/index.js';
