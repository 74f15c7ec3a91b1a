import { DataError } from '@rlaif/core';
import { describe, expect, it } from 'vitest';
import { checkCheckpointTensors, isIgnoredTensor, type ExpectedTensors } from './checkpoint-tensors.js';
import { parseModelConfig } from './model-config.js';
import type { SafetensorsHeader } from './safetensors-header.js';

const tied = parseModelConfig(
  { model_type: 'qwen2', hidden_size: 8, intermediate_size: 16, num_hidden_layers: 1, num_attention_heads: 2, vocab_size: 10, tie_word_embeddings: true },
  '/m/config.json',
);
const untied = { ...tied, tieWordEmbeddings: false };

const expected: ExpectedTensors = new Map([
  ['model.embed_tokens.weight', [10, 8]],
  ['model.layers.0.mlp.up_proj.weight', [16, 8]],
  ['model.norm.weight', [8]],
]);

function header(file: string, shapes: Record<string, number[]>): SafetensorsHeader {
  let offset = 0;
  const tensors = new Map(
    Object.entries(shapes).map(([name, shape]) => {
      const bytes = shape.reduce((n, d) => n * d, 4);
      offset += bytes;
      return [name, { dtype: 'F32', shape, dataOffsets: [offset - bytes, offset] as [number, number] }];
    }),
  );
  return { file, fileSize: 8 + offset, tensors, metadata: {} };
}

const sound = { 'model.embed_tokens.weight': [10, 8], 'model.layers.0.mlp.up_proj.weight': [16, 8], 'model.norm.weight': [8] };

function failure(run: () => void): DataError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}

describe('checkCheckpointTensors', () => {
  it('accepts the expected tensors, sharded or not, plus the documented ignore list', () => {
    checkCheckpointTensors([header('/m/model.safetensors', { ...sound, 'model.layers.0.self_attn.rotary_emb.inv_freq': [4] })], expected, tied);
    const { 'model.norm.weight': norm, ...rest } = sound;
    checkCheckpointTensors([header('/m/a.safetensors', rest), header('/m/b.safetensors', { 'model.norm.weight': norm, 'lm_head.weight': [10, 8] })], expected, tied);
    expect(isIgnoredTensor('lm_head.weight', untied)).toBe(false);
  });

  it('names the file, the tensor and both shapes when config.json implies another shape', () => {
    const error = failure(() => checkCheckpointTensors([header('/m/model.safetensors', { ...sound, 'model.layers.0.mlp.up_proj.weight': [32, 8] })], expected, tied));
    expect(error.file).toBe('/m/model.safetensors');
    expect(error.message).toMatch(/tensor model\.layers\.0\.mlp\.up_proj\.weight: config\.json implies shape \[16, 8\], the file has \[32, 8\]/);
    expect(error.message).toMatch(/\/m\/config\.json does not describe these weights/);
  });

  it('lists missing tensors, with a tie_word_embeddings hint when the head is missing', () => {
    const { 'model.norm.weight': _, ...rest } = sound;
    expect(failure(() => checkCheckpointTensors([header('/m/model.safetensors', rest)], expected, tied)).message).toMatch(/missing 1 tensor\(s\) the qwen2 architecture needs: model\.norm\.weight/);
    const withHead = new Map([...expected, ['lm_head.weight', [10, 8]]]);
    const error = failure(() => checkCheckpointTensors([header('/m/model.safetensors', sound)], withHead, untied));
    expect(error.message).toMatch(/missing 1 tensor\(s\).*lm_head\.weight/);
    expect(error.message).toMatch(/tie_word_embeddings: false/);
  });

  it('rejects tensors the architecture does not have, a tied head of the wrong shape, and duplicates', () => {
    const extra = failure(() => checkCheckpointTensors([header('/m/model.safetensors', { ...sound, 'model.layers.1.mlp.up_proj.weight': [16, 8] })], expected, tied));
    expect(extra.message).toMatch(/1 tensor\(s\) the qwen2 architecture does not have: model\.layers\.1\.mlp\.up_proj\.weight/);
    const head = failure(() => checkCheckpointTensors([header('/m/model.safetensors', { ...sound, 'lm_head.weight': [12, 8] })], expected, tied));
    expect(head.message).toMatch(/lm_head\.weight: the embeddings are tied.*\[10, 8\].*\[12, 8\]/);
    const twice = failure(() => checkCheckpointTensors([header('/m/a.safetensors', sound), header('/m/b.safetensors', { 'model.norm.weight': [8] })], expected, tied));
    expect(twice.file).toBe('/m/b.safetensors');
    expect(twice.message).toMatch(/model\.norm\.weight is stored twice \(also in \/m\/a\.safetensors\)/);
  });
});
