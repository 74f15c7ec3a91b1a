import { core as mx } from '@frost-beta/mlx';
import { BackendError } from '@rlaif/core';
import { findWeightFiles, readGenerationConfig, readModelConfig, Tokenizer, type GenerationConfig, type ModelConfig } from '@rlaif/hf';
import type { CausalLM } from '../models/causal-lm.js';
import { createModel } from '../models/registry.js';
import { mlxDtype, type StorageDtype } from '../engine/compute-dtype.js';
import { quantizeLinearLayers, type QuantizationReport } from './quantize.js';

/** How to load the base weights. */
export interface LoadModelOptions {
  /** Storage dtype of the weights (compute is float32 at each matmul on CPU). Default float32. */
  readonly dtype?: StorageDtype;
  /** Quantise the decoder blocks' Linear layers to 4 or 8 bits; 0 (default) keeps them. */
  readonly quantizeBits?: 0 | 4 | 8;
}

/** A loaded model folder. */
export interface LoadedModel {
  readonly model: CausalLM;
  readonly tokenizer: Tokenizer;
  readonly config: ModelConfig;
  readonly generationConfig: GenerationConfig;
  /** Every id that ends a completion: generation_config, config.json and the tokenizer's eos_token, deduplicated. */
  readonly eosTokenIds: readonly number[];
  /** What was quantised, when quantizeBits > 0. */
  readonly quantization: QuantizationReport | undefined;
  /** Number of weights in the checkpoint (tied embeddings counted once). */
  readonly parameterCount: number;
}

// Tensors HF checkpoints may carry that are not parameters of the model.
const IGNORED_TENSORS = /(^|\.)rotary_emb\.inv_freq$/;

/** Loads a local Hugging Face model folder (config.json, safetensors, tokenizer) into an MLX model. */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const dtype = mlxDtype(options.dtype ?? 'float32');
  const config = await readModelConfig(dir);
  const model = createModel(config);
  const { files } = await findWeightFiles(dir);
  const weights: [string, mx.array][] = [];
  let parameterCount = 0;
  for (const file of files) {
    let tensors: Record<string, mx.array>;
    try {
      tensors = mx.load(file) as unknown as Record<string, mx.array>;
    } catch (cause) {
      throw new BackendError(`${file}: cannot read the safetensors file`, { hint: 'the file is damaged or incomplete: download the model again', cause });
    }
    for (const [name, tensor] of Object.entries(tensors)) {
      if (IGNORED_TENSORS.test(name)) continue;
      // Some tied checkpoints still store lm_head.weight; the model reads the embedding instead.
      if (config.tieWordEmbeddings && name === 'lm_head.weight') continue;
      weights.push([name, tensor.dtype === dtype ? tensor : tensor.astype(dtype)]);
      parameterCount += tensor.size;
    }
  }
  try {
    model.loadWeights(weights, true);
  } catch (cause) {
    throw new BackendError(`${dir}: the weights do not fit the ${config.modelType} architecture: ${(cause as Error).message}`, {
      hint: `check that config.json (${config.file}) belongs to these safetensors files`,
      cause,
    });
  }
  mx.eval(model.parameters());
  const quantizeBits = options.quantizeBits ?? 0;
  const quantization = quantizeBits === 0 ? undefined : quantizeLinearLayers(model, quantizeBits);
  const [tokenizer, generationConfig] = await Promise.all([Tokenizer.fromDirectory(dir), readGenerationConfig(dir)]);
  const eos = new Set<number>([...generationConfig.eosTokenIds, ...config.eosTokenIds]);
  if (tokenizer.eosTokenId !== undefined) eos.add(tokenizer.eosTokenId);
  return { model, tokenizer, config, generationConfig, eosTokenIds: [...eos], quantization, parameterCount };
}
