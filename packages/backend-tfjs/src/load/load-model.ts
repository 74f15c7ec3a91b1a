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
  type GenerationConfig,
  type ModelConfig,
} from '@rlaif/hf';
import { tf } from '../engine/tf.js';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import { createModel } from '../models/registry.js';
import { readFloat32Tensors } from '../safetensors/read-tensors.js';

/** How to load the base weights. */
export interface LoadModelOptions {
  /** Base weights trainable (full fine-tuning). Default false. */
  readonly trainable?: boolean;
  /** Quantisation the run asked for: anything but 0 is refused (tfjs has no quantised matmul). */
  readonly quantizeBits?: 0 | 4 | 8;
}

/** A loaded model folder. */
export interface LoadedModel {
  readonly model: DecoderForCausalLM;
  readonly tokenizer: Tokenizer;
  readonly config: ModelConfig;
  readonly generationConfig: GenerationConfig;
  /** Every id that ends a completion: generation_config, config.json and the tokenizer's eos_token, deduplicated. */
  readonly eosTokenIds: readonly number[];
  /** Number of weights in the checkpoint (tied embeddings counted once). */
  readonly parameterCount: number;
  /** Dtypes found on disk; anything but F32 was upcast to float32. */
  readonly storedDtypes: readonly string[];
  /** Extra bytes the float32 upcast costs over the stored weights (0 for float32 checkpoints). */
  readonly upcastBytes: number;
}

/**
 * Loads a local Hugging Face model folder into TensorFlow.js, in float32 (bf16/fp16 weights are upcast).
 * Before any tensor is read, each file's header is checked against the file and the architecture
 * (@rlaif/hf); every weight is checked to be finite as it is converted. Damage is a DataError.
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  if (options.quantizeBits) {
    throw new BackendError(`model.quantization ${options.quantizeBits}-bit is not available on the TensorFlow.js backend (it computes in float32 only)`, {
      hint: "set model.quantization to 'none', or use backend '@rlaif/backend-mlx' for QLoRA",
    });
  }
  const config = await readModelConfig(dir);
  const model = createModel(config);
  const { files } = await findWeightFiles(dir);
  const headers = await Promise.all(files.map((file) => readSafetensorsHeader(file)));
  checkCheckpointTensors(headers, model.parameterShapes(), config);
  const stored = new Set<string>();
  let parameterCount = 0;
  let upcastBytes = 0;
  try {
    for (const header of headers) {
      const tensors = await readFloat32Tensors(header, (name) => isIgnoredTensor(name, config));
      for (const [name, tensor] of tensors) {
        const bad = tensor.data.findIndex((value) => !Number.isFinite(value));
        if (bad >= 0) {
          throw new DataError(`tensor ${name} holds NaN or infinite values (element ${bad})`, header.file, undefined, {
            hint: 'the weights are damaged: download the model again (or check that the revision is the one you meant)',
          });
        }
        stored.add(tensor.storedDtype);
        parameterCount += tensor.data.length;
        if (tensor.storedDtype !== 'F32') upcastBytes += tensor.data.length * 2;
        model.weights.set(name, tf.variable(tf.tensor(tensor.data, [...tensor.shape], 'float32'), options.trainable ?? false));
      }
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  const [tokenizer, generationConfig] = await Promise.all([Tokenizer.fromDirectory(dir), readGenerationConfig(dir)]);
  checkVocabularyFits(tokenizer, config);
  const eos = new Set<number>([...generationConfig.eosTokenIds, ...config.eosTokenIds]);
  if (tokenizer.eosTokenId !== undefined) eos.add(tokenizer.eosTokenId);
  return { model, tokenizer, config, generationConfig, eosTokenIds: [...eos], parameterCount, storedDtypes: [...stored], upcastBytes };
}
