/**
 * @rlaif/backend-tfjs: Qwen2 and Llama students on TensorFlow.js (tfjs-node over libtensorflow: CPU,
 * or CUDA where the linked libtensorflow has a GPU), trained with LoRA or fully by policy gradient or
 * SFT. `tfjs()` is the backend plugin; checkpoints are interchangeable with @rlaif/backend-mlx.
 * Install the engine with scripts/setup-tfjs.sh.
 */
export { tfjs, default } from './backend.js';
export type { TfjsBackendSettings } from './backend.js';

export { tf } from './engine/tf.js';
export { engineInfo } from './engine/device.js';
export type { EngineInfo } from './engine/device.js';
export { restoreIsNullOrUndefined } from './engine/node-compat.js';

export { loadModel } from './load/load-model.js';
export type { LoadModelOptions, LoadedModel } from './load/load-model.js';
export { createModel, supportedModelTypes } from './models/registry.js';
export { DecoderForCausalLM } from './models/causal-lm.js';
export type { ForwardOptions, ModelArgs } from './models/causal-lm.js';
export { applyLora, trainableParameters } from './lora/apply-lora.js';
export type { TrainableParameters } from './lora/apply-lora.js';

export { generateSamples } from './generate/generate.js';
export type { Sample, GenerateOptions } from './generate/generate.js';
export { completionLogprobs } from './generate/teacher-forced.js';

export { PolicyOptimizer } from './train/policy-optimizer.js';
export type { PolicyOptimizerOptions, SupervisedEncoder } from './train/policy-optimizer.js';
export { policyLoss, supervisedLoss, klEstimate } from './train/policy-loss.js';
export type { PolicyLossInputs, PolicyLossTerms } from './train/policy-loss.js';
export { AdamW } from './optim/adamw.js';
export type { AdamWOptions, AdamWState } from './optim/adamw.js';

export { exportCheckpoint } from './export/export-checkpoint.js';
export type { ExportSettings } from './export/export-checkpoint.js';
export { savePeftAdapter, loadPeftAdapter, readPeftAdapterConfig, peftKey } from './checkpoint/peft-adapter.js';
export type { PeftAdapterConfig, AdapterMetadata } from './checkpoint/peft-adapter.js';
