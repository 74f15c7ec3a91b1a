import { core as mx, utils } from '@frost-beta/mlx';
import { BackendError, DataError } from '@rlaif/core';
import {
  checkCheckpointTensors,
  checkVocabularyFits,
  findWeightFiles,
  isIgnoredTensor,
  readGenerationConfig,
  readModelConfig,
  readSafetensorsHeader,
  Tokenizer,
  type ExpectedTensors,
  type GenerationConfig,
  type ModelConfig,
} from '@rlaif/hf';
import type { CausalLM } from '../models/causal-lm.js';
import { createModel } from '../models/registry.js';
import { mlxDtype, type StorageDtype } from '../engine/compute-dtype.js';
import { tensorSums } from './finite-weights.js';
import { quantizeLinearLayers, type QuantizationReport } from './quantize.js';

/** How to load the base weights. */
export interface LoadModelOptions {
  /** Storage dtype of the weights (compute is float32 at each matmul on CPU). Default float32. */
  readonly dtype?: StorageDtype;
  /** Quantise the decoder blocks' Linear layers to 4 or 8 bits; 0 (default) keeps them. */
  readonly quantizeBits?: 0 | 4 | 8;
  /** Told as the weights are read, for models of `progressMinBytes` or more (smaller ones load in one go). */
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Default PROGRESS_MIN_BYTES. */
  readonly progressMinBytes?: number;
}

/** How far reading the weights has got. */
export interface LoadProgress {
  readonly loadedBytes: number;
  readonly totalBytes: number;
  readonly seconds: number;
}

/** Weights from this size on are read in chunks of PROGRESS_CHUNK_BYTES with a progress report after each. */
export const PROGRESS_MIN_BYTES = 1024 ** 3;
const PROGRESS_CHUNK_BYTES = 256 * 1024 ** 2;

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
  /** Bytes of the weights in memory, in the storage dtype (before any quantisation). */
  readonly weightBytes: number;
}

/**
 * Loads a local Hugging Face model folder (config.json, safetensors, tokenizer) into an MLX model.
 * Before any tensor is read, each file's header is checked against the file and the architecture's
 * tensors (@rlaif/hf); after loading, every weight is checked to be finite. Damage is a DataError.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const dtype = mlxDtype(options.dtype ?? 'float32');
  const config = await readModelConfig(dir);
  const model = createModel(config);
  const { files } = await findWeightFiles(dir);
  const headers = await Promise.all(files.map((file) => readSafetensorsHeader(file)));
  checkCheckpointTensors(headers, expectedTensors(model), config);
  const weights: [string, mx.array][] = [];
  const sources: { file: string; converted: boolean }[] = [];
  let parameterCount = 0;
  for (const file of files) {
    let tensors: Record<string, mx.array>;
    try {
      tensors = mx.load(file) as unknown as Record<string, mx.array>;
    } catch (cause) {
      throw new BackendError(`${file}: cannot read the safetensors file`, { hint: 'the file is damaged or incomplete: download the model again', cause });
    }
    for (const [name, tensor] of Object.entries(tensors)) {
      if (isIgnoredTensor(name, config)) continue;
      weights.push([name, tensor.dtype === dtype ? tensor : tensor.astype(dtype)]);
      sources.push({ file, converted: tensor.dtype !== dtype });
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
  const tensors = weights.map(([, tensor]) => tensor);
  const weightBytes = tensors.reduce((total, tensor) => total + bytesOf(tensor), 0);
  let sumValues: number[];
  let tokenizer: Tokenizer;
  let generationConfig: GenerationConfig;
  if (options.onProgress && weightBytes >= (options.progressMinBytes ?? PROGRESS_MIN_BYTES)) {
    sumValues = readInChunks(tensors, weightBytes, options.onProgress);
    [tokenizer, generationConfig] = await Promise.all([Tokenizer.fromDirectory(dir), readGenerationConfig(dir)]);
    checkVocabularyFits(tokenizer, config);
  } else {
    // The engine reads the weights and sums them on its own thread while the tokenizer is parsed here.
    const sums = tensorSums(tensors);
    mx.asyncEval(model.parameters(), sums);
    [tokenizer, generationConfig] = await Promise.all([Tokenizer.fromDirectory(dir), readGenerationConfig(dir)]);
    checkVocabularyFits(tokenizer, config);
    mx.eval(model.parameters(), sums);
    sumValues = sums.tolist() as number[];
  }
  const bad = sumValues.flatMap((sum, i) => (Number.isFinite(sum) ? [] : [i]));
  if (bad.length > 0) {
    const names = bad.map((i) => weights[i]![0]);
    const first = sources[bad[0]!]!;
    const converted = first.converted ? ` (after conversion to ${options.dtype})` : '';
    throw new DataError(`tensor ${names.slice(0, 5).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''} hold(s) NaN or infinite values${converted}`, first.file, undefined, {
      hint: first.converted
        ? 'the values overflow the storage dtype: load with model.dtype float32, or download the model again'
        : 'the weights are damaged: download the model again (or check that the revision is the one you meant)',
    });
  }
  const quantizeBits = options.quantizeBits ?? 0;
  const quantization = quantizeBits === 0 ? undefined : quantizeLinearLayers(model, quantizeBits);
  const eos = new Set<number>([...generationConfig.eosTokenIds, ...config.eosTokenIds]);
  if (tokenizer.eosTokenId !== undefined) eos.add(tokenizer.eosTokenId);
  return { model, tokenizer, config, generationConfig, eosTokenIds: [...eos], quantization, parameterCount, weightBytes };
}

/** Reads (evaluates) the weights a chunk at a time, reporting progress; returns each tensor's finite-check sum. */
function readInChunks(tensors: readonly mx.array[], totalBytes: number, onProgress: (progress: LoadProgress) => void): number[] {
  const started = performance.now();
  const sums: number[] = [];
  let loadedBytes = 0;
  for (let start = 0; start < tensors.length; ) {
    let end = start;
    let bytes = 0;
    while (end < tensors.length && (end === start || bytes + bytesOf(tensors[end]!) <= PROGRESS_CHUNK_BYTES)) bytes += bytesOf(tensors[end++]!);
    const chunk = tensors.slice(start, end);
    const chunkSums = tensorSums(chunk);
    mx.eval(...chunk, chunkSums);
    sums.push(...(chunkSums.tolist() as number[]));
    loadedBytes += bytes;
    onProgress({ loadedBytes, totalBytes, seconds: (performance.now() - started) / 1000 });
    start = end;
  }
  return sums;
}

// Every parameter of the freshly built architecture, in HF names, with the shape config.json implies.
function expectedTensors(model: CausalLM): ExpectedTensors {
  const flat = utils.treeFlatten(model.parameters(), '', undefined, utils.toSnakeCase) as [string, mx.array][];
  return new Map(flat.map(([name, array]) => [name, array.shape]));
}

function bytesOf(tensor: mx.array): number {
  return tensor.nbytes ?? tensor.size * tensor.itemsize;
}
