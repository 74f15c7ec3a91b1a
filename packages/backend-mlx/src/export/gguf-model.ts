/**
 * Maps a Hugging Face Qwen2/Llama checkpoint (config.json, tokenizer.json, merged weights) to the
 * GGUF conventions llama.cpp loads: `{arch}.*` hyper-parameters, `tokenizer.ggml.*` BPE vocabulary,
 * and tensor names `token_embd`, `blk.N.attn_q`, …; Llama's q/k rows are permuted for GGML's RoPE.
 */
import { core as mx } from '@frost-beta/mlx';
import { BackendError } from '@rlaif/core';
import type { ModelConfig } from '@rlaif/hf';
import { llama3InverseFrequencies } from '../models/rotary-embedding.js';
import { tokenizerMetadata } from './gguf-tokenizer.js';
import type { GgufTensor, GgufValue } from './gguf-writer.js';
import { GgmlType, writeGguf } from './gguf-writer.js';
import { tensorBytes } from './tensor-bytes.js';

/** Element type of exported weight matrices (norms and 1-D tensors are always f32, as llama.cpp does). */
export type GgufFileType = 'f32' | 'f16';

const ARCHITECTURES: Record<string, string> = { qwen2: 'qwen2', llama: 'llama' };

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
  const arch = ARCHITECTURES[config.modelType];
  if (!arch) {
    throw new BackendError(`GGUF export does not support model_type "${config.modelType}"`, {
      hint: `supported: ${Object.keys(ARCHITECTURES).join(', ')}; use format "merged" for other architectures`,
    });
  }
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
  for (const [key, value] of await tokenizerMetadata(input.modelDir, config)) metadata.set(key, value);
  await writeGguf(file, metadata, tensors);
}

/** Global tensors first, then blocks in numeric order (the order llama.cpp's converter uses). */
function tensorOrder(name: string): number {
  if (name === 'rope_freqs.weight') return -2;
  if (name === 'token_embd.weight') return -1;
  const block = /^blk\.(\d+)\./.exec(name);
  return block ? Number(block[1]) : 1e9;
}
