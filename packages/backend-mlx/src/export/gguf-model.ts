/**
 * Maps a Hugging Face Qwen2/Llama checkpoint (config.json, tokenizer.json, merged weights) to the
 * GGUF conventions llama.cpp loads: `{arch}.*` hyper-parameters, `tokenizer.ggml.*` BPE vocabulary,
 * and tensor names `token_embd`, `blk.N.attn_q`, …; Llama's q/k rows are permuted for GGML's RoPE.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import { BackendError } from '@rlaif/core';
import type { ModelConfig } from '@rlaif/hf';
import { llama3InverseFrequencies } from '../models/rotary-embedding.js';
import type { GgufTensor, GgufValue } from './gguf-writer.js';
import { GgmlType, writeGguf } from './gguf-writer.js';
import { tensorBytes } from './tensor-bytes.js';

/** Element type of exported weight matrices (norms and 1-D tensors are always f32, as llama.cpp does). */
export type GgufFileType = 'f32' | 'f16';

const ARCHITECTURES: Record<string, { arch: string; pre: string }> = {
  qwen2: { arch: 'qwen2', pre: 'qwen2' },
  llama: { arch: 'llama', pre: 'llama-bpe' },
};

const LAYER_NAMES: Record<string, string> = {
  'input_layernorm.weight': 'attn_norm.weight',
  'self_attn.q_proj.weight': 'attn_q.weight',
  'self_attn.q_proj.bias': 'attn_q.bias',
  'self_attn.k_proj.weight': 'attn_k.weight',
  'self_attn.k_proj.bias': 'attn_k.bias',
  'self_attn.v_proj.weight': 'attn_v.weight',
  'self_attn.v_proj.bias': 'attn_v.bias',
  'self_attn.o_proj.weight': 'attn_output.weight',
  'self_attn.o_proj.bias': 'attn_output.bias',
  'post_attention_layernorm.weight': 'ffn_norm.weight',
  'mlp.gate_proj.weight': 'ffn_gate.weight',
  'mlp.up_proj.weight': 'ffn_up.weight',
  'mlp.down_proj.weight': 'ffn_down.weight',
};

/** GGUF name of an HF tensor name, or undefined for tensors llama.cpp does not use. */
export function ggufTensorName(hfName: string): string | undefined {
  if (hfName === 'model.embed_tokens.weight') return 'token_embd.weight';
  if (hfName === 'model.norm.weight') return 'output_norm.weight';
  if (hfName === 'lm_head.weight') return 'output.weight';
  const match = /^model\.layers\.(\d+)\.(.+)$/.exec(hfName);
  const mapped = match ? LAYER_NAMES[match[2]!] : undefined;
  return match && mapped ? `blk.${match[1]}.${mapped}` : undefined;
}

/** Reorders q/k rows from HF's rotate-half RoPE layout to GGML's interleaved one (Llama only). */
export function permuteForGgmlRope(weight: mx.array, heads: number): mx.array {
  const rows = weight.shape[0]!;
  const rest = weight.shape.slice(1);
  return weight
    .reshape(heads, 2, rows / heads / 2, ...rest)
    .swapaxes(1, 2)
    .reshape(rows, ...rest);
}

interface TokenizerJson {
  model: { type: string; vocab: Record<string, number>; merges?: (string | [string, string])[]; byte_fallback?: boolean };
  added_tokens?: { id: number; content: string; special: boolean }[];
}

/** `tokenizer.ggml.*` metadata from a byte-level BPE tokenizer.json (Qwen2, Llama 3). */
async function tokenizerMetadata(modelDir: string, config: ModelConfig, pre: string): Promise<[string, GgufValue][]> {
  const file = path.join(modelDir, 'tokenizer.json');
  const json = JSON.parse(await readFile(file, 'utf8')) as TokenizerJson;
  if (json.model.type !== 'BPE' || json.model.byte_fallback) {
    throw new BackendError(`${file}: GGUF export supports byte-level BPE tokenizers (model.type "BPE"), found ${json.model.type}${json.model.byte_fallback ? ' with byte_fallback' : ''}`, {
      hint: 'export with format "merged" and convert with llama.cpp\'s convert_hf_to_gguf.py instead',
    });
  }
  const added = json.added_tokens ?? [];
  const maxId = Math.max(...Object.values(json.model.vocab), ...added.map((t) => t.id));
  const size = Math.max(config.vocabSize, maxId + 1);
  const tokens: string[] = Array.from({ length: size }, (_, i) => `[PAD${i}]`);
  // 1 normal, 3 control, 4 user-defined, 5 unused (llama.cpp's llama_token_type).
  const types: number[] = new Array<number>(size).fill(5);
  for (const [token, id] of Object.entries(json.model.vocab)) {
    tokens[id] = token;
    types[id] = 1;
  }
  for (const token of added) {
    tokens[token.id] = token.content;
    types[token.id] = token.special ? 3 : 4;
  }
  const merges = (json.model.merges ?? []).map((m) => (Array.isArray(m) ? m.join(' ') : m));
  const meta: [string, GgufValue][] = [
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: pre }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: tokens }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'int32', value: types }],
    ['tokenizer.ggml.merges', { type: 'array', itemType: 'string', value: merges }],
  ];
  const tokenizerConfig = await readJsonIfPresent(path.join(modelDir, 'tokenizer_config.json'));
  const idOf = (key: string): number | undefined => {
    const value = tokenizerConfig?.[key];
    const text = typeof value === 'string' ? value : (value as { content?: string } | undefined)?.content;
    return text === undefined ? undefined : (added.find((t) => t.content === text)?.id ?? json.model.vocab[text]);
  };
  const bos = idOf('bos_token') ?? config.bosTokenId ?? undefined;
  const eos = idOf('eos_token') ?? config.eosTokenIds[0];
  const pad = idOf('pad_token');
  if (bos !== undefined && bos !== null) meta.push(['tokenizer.ggml.bos_token_id', { type: 'uint32', value: bos }]);
  if (eos !== undefined) meta.push(['tokenizer.ggml.eos_token_id', { type: 'uint32', value: eos }]);
  if (pad !== undefined) meta.push(['tokenizer.ggml.padding_token_id', { type: 'uint32', value: pad }]);
  meta.push(['tokenizer.ggml.add_bos_token', { type: 'bool', value: tokenizerConfig?.['add_bos_token'] === true }]);
  const template = await chatTemplate(modelDir, tokenizerConfig);
  if (template) meta.push(['tokenizer.chat_template', { type: 'string', value: template }]);
  return meta;
}

async function readJsonIfPresent(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function chatTemplate(modelDir: string, tokenizerConfig: Record<string, unknown> | undefined): Promise<string | undefined> {
  try {
    return await readFile(path.join(modelDir, 'chat_template.jinja'), 'utf8');
  } catch {
    const value = tokenizerConfig?.['chat_template'];
    return typeof value === 'string' ? value : undefined;
  }
}

/** Everything needed to write one GGUF model file. */
export interface GgufModelInput {
  /** The base model folder: config.json and tokenizer files are read from here. */
  readonly modelDir: string;
  readonly config: ModelConfig;
  /** Merged weights by HF name (see `mergedParameters`). */
  readonly weights: Record<string, mx.array>;
  readonly fileType: GgufFileType;
  /** `general.name`. */
  readonly name: string;
}

/** Writes `input` as a GGUF v3 file at `file`. */
export async function writeGgufModel(file: string, input: GgufModelInput): Promise<void> {
  const { config } = input;
  const known = ARCHITECTURES[config.modelType];
  if (!known) {
    throw new BackendError(`GGUF export does not support model_type "${config.modelType}"`, {
      hint: `supported: ${Object.keys(ARCHITECTURES).join(', ')}; use format "merged" for other architectures`,
    });
  }
  const { arch, pre } = known;
  const matrixType = input.fileType === 'f16' ? mx.float16 : mx.float32;
  const prepared: Record<string, mx.array> = {};
  for (const [hfName, weight] of Object.entries(input.weights)) {
    const name = ggufTensorName(hfName);
    if (!name) continue;
    let value = weight.astype(mx.float32);
    if (arch === 'llama' && /attn_q\.(weight|bias)$/.test(name)) value = permuteForGgmlRope(value, config.numAttentionHeads);
    if (arch === 'llama' && /attn_k\.(weight|bias)$/.test(name)) value = permuteForGgmlRope(value, config.numKeyValueHeads);
    // llama.cpp keeps 1-D tensors (norms, biases) in f32 whatever the file type.
    prepared[name] = value.ndim >= 2 ? value.astype(matrixType) : value;
  }
  const scaling = config.ropeScaling;
  if (arch === 'llama' && scaling && scaling.ropeType === 'llama3') {
    const scaled = llama3InverseFrequencies(config.headDim, config.ropeTheta, scaling);
    const factors = scaled.map((f, i) => 1 / Math.pow(config.ropeTheta, (2 * i) / config.headDim) / f);
    prepared['rope_freqs.weight'] = mx.array(factors, mx.float32);
  }
  const raw = await tensorBytes(prepared);
  const tensors: GgufTensor[] = [...raw.entries()]
    .sort(([a], [b]) => tensorOrder(a) - tensorOrder(b) || a.localeCompare(b, 'en', { numeric: true }))
    .map(([name, t]) => ({ name, shape: t.shape, type: t.dtype === 'F16' ? GgmlType.F16 : GgmlType.F32, data: t.data }));
  const metadata = new Map<string, GgufValue>([
    ['general.architecture', { type: 'string', value: arch }],
    ['general.name', { type: 'string', value: input.name }],
    ['general.file_type', { type: 'uint32', value: input.fileType === 'f16' ? 1 : 0 }],
    ['general.alignment', { type: 'uint32', value: 32 }],
    [`${arch}.context_length`, { type: 'uint32', value: config.maxPositionEmbeddings }],
    [`${arch}.embedding_length`, { type: 'uint32', value: config.hiddenSize }],
    [`${arch}.block_count`, { type: 'uint32', value: config.numHiddenLayers }],
    [`${arch}.feed_forward_length`, { type: 'uint32', value: config.intermediateSize }],
    [`${arch}.attention.head_count`, { type: 'uint32', value: config.numAttentionHeads }],
    [`${arch}.attention.head_count_kv`, { type: 'uint32', value: config.numKeyValueHeads }],
    [`${arch}.attention.layer_norm_rms_epsilon`, { type: 'float32', value: config.rmsNormEps }],
    [`${arch}.rope.freq_base`, { type: 'float32', value: config.ropeTheta }],
    [`${arch}.rope.dimension_count`, { type: 'uint32', value: config.headDim }],
    [`${arch}.vocab_size`, { type: 'uint32', value: config.vocabSize }],
  ]);
  if (config.headDim * config.numAttentionHeads !== config.hiddenSize) {
    metadata.set(`${arch}.attention.key_length`, { type: 'uint32', value: config.headDim });
    metadata.set(`${arch}.attention.value_length`, { type: 'uint32', value: config.headDim });
  }
  if (scaling && scaling.ropeType === 'linear') {
    metadata.set(`${arch}.rope.scaling.type`, { type: 'string', value: 'linear' });
    metadata.set(`${arch}.rope.scaling.factor`, { type: 'float32', value: scaling.factor });
  }
  for (const [key, value] of await tokenizerMetadata(input.modelDir, config, pre)) metadata.set(key, value);
  await writeGguf(file, metadata, tensors);
}

/** Global tensors first, then blocks in numeric order (the order llama.cpp's converter uses). */
function tensorOrder(name: string): number {
  if (name === 'rope_freqs.weight') return -2;
  if (name === 'token_embd.weight') return -1;
  const block = /^blk\.(\d+)\./.exec(name);
  return block ? Number(block[1]) : 1e9;
}
