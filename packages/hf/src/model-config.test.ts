import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@rlaif/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readModelConfig } from './model-config.js';
import { findWeightFiles } from './weight-files.js';

const scratch = mkdtempSync(join(tmpdir(), 'rlaif-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function modelDir(files: Record<string, string | object>): string {
  const dir = join(scratch, `m${counter++}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

const qwen = {
  model_type: 'qwen2', hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14,
  num_key_value_heads: 2, rms_norm_eps: 1e-6, rope_theta: 1000000.0, vocab_size: 151936, tie_word_embeddings: true,
  max_position_embeddings: 32768, bos_token_id: 151643, eos_token_id: 151645, rope_scaling: null,
};

describe('readModelConfig', () => {
  it('reads a Qwen2.5-0.5B style config with defaults filled in', async () => {
    const config = await readModelConfig(modelDir({ 'config.json': qwen }));
    expect(config).toMatchObject({ modelType: 'qwen2', hiddenSize: 896, numKeyValueHeads: 2, headDim: 64, tieWordEmbeddings: true, ropeScaling: null, eosTokenIds: [151645], attentionBias: false });
  });

  it('reads Llama 3 rope_scaling and a list of EOS ids', async () => {
    const config = await readModelConfig(modelDir({
      'config.json': {
        ...qwen, model_type: 'llama', tie_word_embeddings: false, eos_token_id: [128001, 128009], head_dim: 32,
        rope_scaling: { rope_type: 'llama3', factor: 32.0, low_freq_factor: 1.0, high_freq_factor: 4.0, original_max_position_embeddings: 8192 },
      },
    }));
    expect(config.ropeScaling).toEqual({ ropeType: 'llama3', factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192 });
    expect(config.eosTokenIds).toEqual([128001, 128009]);
    expect(config.headDim).toBe(32);
  });

  it('reads the rope_parameters block that transformers 5 writes', async () => {
    const { rope_theta: _theta, rope_scaling: _scaling, ...rest } = qwen;
    const llama3 = await readModelConfig(modelDir({
      'config.json': { ...rest, dtype: 'bfloat16', rope_parameters: { rope_type: 'llama3', factor: 8.0, low_freq_factor: 1.0, high_freq_factor: 4.0, original_max_position_embeddings: 64, rope_theta: 500000.0 } },
    }));
    expect(llama3).toMatchObject({ ropeTheta: 500000, torchDtype: 'bfloat16', ropeScaling: { ropeType: 'llama3', factor: 8, originalMaxPositionEmbeddings: 64 } });
    const plain = await readModelConfig(modelDir({ 'config.json': { ...rest, rope_parameters: { rope_type: 'default', rope_theta: 1000000.0 } } }));
    expect(plain).toMatchObject({ ropeTheta: 1000000, ropeScaling: null });
    await expect(readModelConfig(modelDir({ 'config.json': { ...rest, rope_parameters: { rope_type: 'yarn', rope_theta: 1e6 } } }))).rejects.toThrow(/rope_parameters\.rope_type: unsupported/);
  });

  it('names the file and the key of a missing or bad value', async () => {
    const { hidden_size: _omitted, ...missing } = qwen;
    const dir = modelDir({ 'config.json': missing });
    await expect(readModelConfig(dir)).rejects.toThrow(DataError);
    await expect(readModelConfig(dir)).rejects.toThrow(`${join(dir, 'config.json')}: hidden_size: missing required key`);
    await expect(readModelConfig(modelDir({ 'config.json': { ...qwen, num_key_value_heads: 3 } }))).rejects.toThrow(/num_key_value_heads: 3 does not divide/);
    await expect(readModelConfig(modelDir({ 'config.json': { ...qwen, rope_scaling: { rope_type: 'yarn', factor: 4 } } }))).rejects.toThrow(/rope_scaling\.rope_type: unsupported/);
    await expect(readModelConfig(modelDir({ 'config.json': { ...qwen, model_type: 7 } }))).rejects.toThrow(/model_type: expected a non-empty string/);
  });

  it('reports a missing config.json', async () => {
    await expect(readModelConfig(modelDir({}))).rejects.toThrow(/config\.json: cannot read the file/);
  });
});

describe('findWeightFiles', () => {
  it('finds a single model.safetensors', async () => {
    const dir = modelDir({ 'model.safetensors': 'x' });
    expect(await findWeightFiles(dir)).toEqual({ files: [join(dir, 'model.safetensors')], weightMap: null });
  });

  it('finds every shard of a sharded checkpoint', async () => {
    const index = { metadata: {}, weight_map: { 'a.weight': 'model-00001-of-00002.safetensors', 'b.weight': 'model-00002-of-00002.safetensors', 'c.weight': 'model-00001-of-00002.safetensors' } };
    const dir = modelDir({ 'model.safetensors.index.json': index, 'model-00001-of-00002.safetensors': 'x', 'model-00002-of-00002.safetensors': 'y' });
    const found = await findWeightFiles(dir);
    expect(found.files).toEqual([join(dir, 'model-00001-of-00002.safetensors'), join(dir, 'model-00002-of-00002.safetensors')]);
    expect(found.weightMap?.['b.weight']).toBe(join(dir, 'model-00002-of-00002.safetensors'));
  });

  it('lists the missing shards', async () => {
    const index = { weight_map: { 'a.weight': 'model-00001-of-00002.safetensors', 'b.weight': 'model-00002-of-00002.safetensors' } };
    const dir = modelDir({ 'model.safetensors.index.json': index, 'model-00001-of-00002.safetensors': 'x' });
    await expect(findWeightFiles(dir)).rejects.toThrow(/1 shard\(s\) listed in the index are missing: .*model-00002-of-00002/);
  });

  it('explains that .bin checkpoints need converting', async () => {
    await expect(findWeightFiles(modelDir({ 'pytorch_model.bin': 'x' }))).rejects.toThrow(/safetensors/);
  });
});
