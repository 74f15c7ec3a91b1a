/**
 * A PEFT LoRA adapter as a GGUF adapter file that llama.cpp applies at run time on top of the base
 * model's GGUF export (`general.type: adapter`, `adapter.type: lora`, `adapter.lora.alpha`): each
 * adapted projection's A [r, in] and B [out, r] under the base tensor's GGUF name with `.lora_a` /
 * `.lora_b`. llama.cpp scales B·A by alpha / r, as PEFT does; Llama's q/k B rows get the same RoPE
 * permutation as the base weights.
 */
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import { CheckpointError } from '@rlaif/core';
import type { ModelConfig } from '@rlaif/hf';
import { ADAPTER_WEIGHTS_FILE, readPeftAdapterConfig } from '../checkpoint/peft-adapter.js';
import { ggufTensorName, permuteForGgmlRope } from './gguf-model.js';
import type { GgufTensor, GgufValue } from './gguf-writer.js';
import { GgmlType, writeGguf } from './gguf-writer.js';
import { tensorBytes } from './tensor-bytes.js';

const PEFT_NAME = /^base_model\.model\.(.+)\.lora_([AB])\.weight$/;

/** Writes the adapter in `adapterDir` (PEFT layout) for the base described by `config` to `file`. */
export async function writeGgufLora(file: string, adapterDir: string, config: ModelConfig): Promise<void> {
  const adapter = await readPeftAdapterConfig(adapterDir);
  const arch = config.modelType === 'llama' ? 'llama' : config.modelType === 'qwen2' ? 'qwen2' : undefined;
  const weightsFile = path.join(adapterDir, ADAPTER_WEIGHTS_FILE);
  if (!arch) throw new CheckpointError(`GGUF LoRA export does not support model_type "${config.modelType}"`, weightsFile, { hint: "export with format 'gguf' (merged) instead" });
  const tensors = mx.load(weightsFile) as unknown as Record<string, mx.array>;
  const prepared: Record<string, mx.array> = {};
  for (const [name, value] of Object.entries(tensors)) {
    const match = PEFT_NAME.exec(name);
    const base = match ? ggufTensorName(`${match[1]}.weight`) : undefined;
    if (!match || !base) throw new CheckpointError(`adapter tensor ${name} has no llama.cpp counterpart`, weightsFile, { hint: 'adapt only the attention and MLP projections (model.lora.targetModules)' });
    let matrix = value.astype(mx.float32);
    if (arch === 'llama' && match[2] === 'B' && /attn_q\.weight$/.test(base)) matrix = permuteForGgmlRope(matrix, config.numAttentionHeads);
    if (arch === 'llama' && match[2] === 'B' && /attn_k\.weight$/.test(base)) matrix = permuteForGgmlRope(matrix, config.numKeyValueHeads);
    prepared[`${base}.lora_${match[2]!.toLowerCase()}`] = matrix;
  }
  const raw = await tensorBytes(prepared);
  const list: GgufTensor[] = [...raw.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([name, t]) => ({ name, shape: t.shape, type: GgmlType.F32, data: t.data }));
  const metadata = new Map<string, GgufValue>([
    ['general.architecture', { type: 'string', value: arch }],
    ['general.type', { type: 'string', value: 'adapter' }],
    ['general.name', { type: 'string', value: path.basename(path.resolve(adapterDir)) }],
    ['general.alignment', { type: 'uint32', value: 32 }],
    ['adapter.type', { type: 'string', value: 'lora' }],
    ['adapter.lora.alpha', { type: 'float32', value: adapter.lora_alpha }],
  ]);
  await writeGguf(file, metadata, list);
}
