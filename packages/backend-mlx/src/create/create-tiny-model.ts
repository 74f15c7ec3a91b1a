/**
 * Creates a small randomly initialised model as a standard Hugging Face folder (config.json,
 * model.safetensors, tokenizer.json, tokenizer_config.json, generation_config.json) that rlaif,
 * transformers and tokenizers all load: the student of the offline quickstart.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import { ConfigError } from '@rlaif/core';
import { learnBpe } from './bpe-trainer.js';
import { initQwen2Weights, qwen2ParameterCount } from './qwen2-weights.js';
import { CHATML_TEMPLATE, specialTokenIds, tokenizerConfigJson, tokenizerJson, tokenizerSize } from './tokenizer-files.js';

/** How the tokenizer is made: plain bytes, or byte-level BPE with merges learned from `corpus`. */
export interface TinyTokenizerOptions {
  readonly kind: 'bytes' | 'bpe';
  /** Texts to learn merges from (required for `bpe`): prompts and solutions like the ones trained on. */
  readonly corpus?: readonly string[];
  /** Target size including the 3 special tokens (bpe only); fewer if the corpus runs out of repeated pairs. */
  readonly vocabSize?: number;
}

/** The shape and identity of the model to create. */
export interface CreateTinyModelOptions {
  /** Folder to write; created if missing, existing files of the same names are replaced. */
  readonly outputDir: string;
  readonly architecture: 'qwen2';
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly intermediateSize: number;
  readonly maxPositionEmbeddings: number;
  readonly ropeTheta: number;
  readonly tieWordEmbeddings: boolean;
  /** Seed of the weight initialisation: the same seed gives identical weights. */
  readonly seed: number;
  readonly tokenizer: TinyTokenizerOptions;
  /** Jinja chat template for tokenizer_config.json; a minimal ChatML template by default. */
  readonly chatTemplate?: string;
  /** Standard deviation of the normal initialisation (HF `initializer_range`), default 0.02. */
  readonly initializerRange?: number;
}

/** What was written. */
export interface CreatedTinyModel {
  readonly outputDir: string;
  /** Embedding rows = tokenizer ids (BPE vocabulary plus special tokens). */
  readonly vocabSize: number;
  /** Number of learned merges (0 for bytes). */
  readonly mergeCount: number;
  /** Weights in the checkpoint (tied embeddings counted once). */
  readonly parameterCount: number;
  /** Special token ids: `eos` is `<|im_end|>`, `pad` and `bos` are `<|endoftext|>`. */
  readonly tokenIds: { readonly eos: number; readonly pad: number; readonly imStart: number };
}

const SPECIAL_COUNT = 3;

function invalid(key: string, message: string, hint: string): ConfigError {
  return new ConfigError(message, key, undefined, { hint });
}

function checkOptions(options: CreateTinyModelOptions): void {
  if (options.architecture !== 'qwen2') {
    throw invalid('architecture', `"${String(options.architecture)}" cannot be created`, 'set architecture to "qwen2", the only one createTinyModel writes');
  }
  for (const key of ['hiddenSize', 'numLayers', 'numHeads', 'numKvHeads', 'intermediateSize', 'maxPositionEmbeddings'] as const) {
    const value = options[key];
    if (!Number.isInteger(value) || value <= 0) throw invalid(key, `expected a positive integer, got ${value}`, `set ${key} to a positive integer`);
  }
  if (options.hiddenSize % options.numHeads !== 0 || (options.hiddenSize / options.numHeads) % 2 !== 0) {
    throw invalid('hiddenSize', `${options.hiddenSize} does not split into ${options.numHeads} heads of even size`, 'pick hiddenSize = numHeads × an even head size (RoPE rotates pairs)');
  }
  if (options.numHeads % options.numKvHeads !== 0) {
    throw invalid('numKvHeads', `${options.numKvHeads} does not divide numHeads (${options.numHeads})`, 'pick numKvHeads among the divisors of numHeads');
  }
  if (!(options.ropeTheta > 0)) throw invalid('ropeTheta', `expected a positive number, got ${options.ropeTheta}`, 'use 10000 (or 1000000 like Qwen2.5)');
  if (!Number.isInteger(options.seed)) throw invalid('seed', `expected an integer, got ${options.seed}`, 'set seed to an integer such as 0');
  const { kind, corpus, vocabSize } = options.tokenizer;
  if (kind !== 'bytes' && kind !== 'bpe') throw invalid('tokenizer.kind', `"${String(kind)}" is not a tokenizer kind`, 'use "bytes" or "bpe"');
  if (kind === 'bpe') {
    if (!corpus || corpus.length === 0) throw invalid('tokenizer.corpus', 'a bpe tokenizer needs texts to learn merges from', 'pass tokenizer.corpus: the prompts and solutions the model will see');
    if (vocabSize === undefined || !Number.isInteger(vocabSize) || vocabSize <= 256 + SPECIAL_COUNT) {
      throw invalid('tokenizer.vocabSize', `expected an integer above ${256 + SPECIAL_COUNT}, got ${vocabSize}`, 'set tokenizer.vocabSize, e.g. 1024 (256 bytes + 3 special tokens + merges)');
    }
  }
}

// Written to a temporary name and renamed, so a killed run never leaves a half-written file.
async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  const file = join(dir, name);
  await writeFile(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/** Writes a freshly initialised model folder; see CreateTinyModelOptions for the knobs. */
export async function createTinyModel(options: CreateTinyModelOptions): Promise<CreatedTinyModel> {
  checkOptions(options);
  const { tokenizer } = options;
  const vocabulary =
    tokenizer.kind === 'bpe' ? learnBpe(tokenizer.corpus ?? [], { vocabSize: (tokenizer.vocabSize ?? 0) - SPECIAL_COUNT }) : learnBpe([], { vocabSize: 256 });
  const vocabSize = tokenizerSize(vocabulary);
  const ids = specialTokenIds(vocabulary);
  const shape = {
    vocabSize,
    hiddenSize: options.hiddenSize,
    numLayers: options.numLayers,
    numHeads: options.numHeads,
    numKvHeads: options.numKvHeads,
    intermediateSize: options.intermediateSize,
    tieWordEmbeddings: options.tieWordEmbeddings,
  };
  const initializerRange = options.initializerRange ?? 0.02;
  await mkdir(options.outputDir, { recursive: true });
  const config = {
    architectures: ['Qwen2ForCausalLM'],
    model_type: 'qwen2',
    vocab_size: vocabSize,
    hidden_size: options.hiddenSize,
    intermediate_size: options.intermediateSize,
    num_hidden_layers: options.numLayers,
    num_attention_heads: options.numHeads,
    num_key_value_heads: options.numKvHeads,
    hidden_act: 'silu',
    max_position_embeddings: options.maxPositionEmbeddings,
    initializer_range: initializerRange,
    rms_norm_eps: 1e-6,
    rope_theta: options.ropeTheta,
    rope_scaling: null,
    tie_word_embeddings: options.tieWordEmbeddings,
    use_cache: true,
    use_sliding_window: false,
    sliding_window: null,
    max_window_layers: options.numLayers,
    attention_dropout: 0,
    bos_token_id: ids['<|endoftext|>'],
    eos_token_id: ids['<|im_end|>'],
    pad_token_id: ids['<|endoftext|>'],
    torch_dtype: 'float32',
  };
  const weights = initQwen2Weights(shape, options.seed, initializerRange);
  const weightsFile = join(options.outputDir, 'model.safetensors');
  // The `.tmp.safetensors` suffix keeps the extension MLX's writer expects.
  mx.saveSafetensors(`${weightsFile}.tmp.safetensors`, weights, { format: 'pt' });
  await rename(`${weightsFile}.tmp.safetensors`, weightsFile);
  await writeJson(options.outputDir, 'config.json', config);
  await writeJson(options.outputDir, 'generation_config.json', {
    bos_token_id: ids['<|endoftext|>'],
    eos_token_id: [ids['<|im_end|>'], ids['<|endoftext|>']],
    pad_token_id: ids['<|endoftext|>'],
  });
  await writeJson(options.outputDir, 'tokenizer.json', tokenizerJson(vocabulary));
  await writeJson(options.outputDir, 'tokenizer_config.json', tokenizerConfigJson(vocabulary, options.chatTemplate ?? CHATML_TEMPLATE, options.maxPositionEmbeddings));
  return {
    outputDir: options.outputDir,
    vocabSize,
    mergeCount: vocabulary.merges.length,
    parameterCount: qwen2ParameterCount(shape),
    tokenIds: { eos: ids['<|im_end|>'], pad: ids['<|endoftext|>'], imStart: ids['<|im_start|>'] },
  };
}
