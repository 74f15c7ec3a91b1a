import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { core as mx, nn } from '@frost-beta/mlx';
import { DataError } from '@rlaif/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseModelConfig } from '@rlaif/hf';
import { createModel } from '../models/registry.js';
import { loadModel, type LoadProgress } from './load-model.js';
import { quantizeLinearLayers } from './quantize.js';

// Wide enough for MLX 0.13's quantisation minimum (256 inputs at 4 bits).
const wideConfig = {
  model_type: 'qwen2', hidden_size: 256, intermediate_size: 512, num_hidden_layers: 2, num_attention_heads: 4,
  num_key_value_heads: 2, vocab_size: 128, rms_norm_eps: 1e-6, tie_word_embeddings: true,
};

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'rlaif-load-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('loadModel', () => {
  it('returns the tokenizer, configs and the union of EOS ids', async () => {
    const loaded = await loadModel(fixture('tiny-qwen2'));
    expect(loaded.config.modelType).toBe('qwen2');
    expect(loaded.tokenizer.eosToken).toBe('<|im_end|>');
    const imEnd = loaded.tokenizer.tokenToId('<|im_end|>')!;
    const endOfText = loaded.tokenizer.tokenToId('<|endoftext|>')!;
    expect(new Set(loaded.eosTokenIds)).toEqual(new Set([imEnd, endOfText]));
    expect(loaded.parameterCount).toBeGreaterThan(50_000);
  });

  it('reads large weights a chunk at a time with progress, to the same model, and still refuses a NaN weight', async () => {
    const progress: LoadProgress[] = [];
    const chunked = await loadModel(fixture('tiny-qwen2'), { progressMinBytes: 0, onProgress: (p) => void progress.push(p) });
    const plain = await loadModel(fixture('tiny-qwen2'));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ loadedBytes: chunked.weightBytes, totalBytes: chunked.weightBytes });
    expect(chunked.weightBytes).toBe(plain.weightBytes);
    const golden = JSON.parse(readFileSync(`${fixture('tiny-qwen2')}/golden.json`, 'utf8')) as { promptIds: number[] };
    const logits = (loaded: typeof plain) => (loaded.model.forward(mx.array([golden.promptIds], mx.int32)).index(0, -1).tolist() as number[]);
    expect(maxDiff(logits(chunked), logits(plain))).toBe(0);

    const damaged = join(scratch, 'nan-qwen2');
    cpSync(fixture('tiny-qwen2'), damaged, { recursive: true });
    // Read from the fixture, not the copy being rewritten: mx.load is lazy, and saving over the file it
    // still reads from corrupted other tensors now and then.
    const weights = mx.load(join(fixture('tiny-qwen2'), 'model.safetensors')) as unknown as Record<string, mx.array>;
    weights['model.norm.weight'] = mx.full(weights['model.norm.weight']!.shape, Number.NaN, mx.float32);
    mx.saveSafetensors(join(damaged, 'model.safetensors'), weights);
    await expect(loadModel(damaged, { progressMinBytes: 0, onProgress: () => undefined })).rejects.toThrow(/tensor model\.norm\.weight hold\(s\) NaN or infinite values/);
  });

  it('keeps fp16 storage and still computes in float32', async () => {
    const { model } = await loadModel(fixture('tiny-llama'), { dtype: 'float16' });
    expect(model.layers[1]!.mlp.upProj.weight.dtype).toBe(mx.float16);
    const llamaGolden = JSON.parse(readFileSync(`${fixture('tiny-llama')}/golden.json`, 'utf8')) as { promptIds: number[]; logits: number[][] };
    const logits = model.forward(mx.array([llamaGolden.promptIds], mx.int32));
    expect(logits.dtype).toBe(mx.float32);
    expect(maxDiff(logits.index(0, -1).tolist() as number[], llamaGolden.logits.at(-1)!)).toBeLessThan(0.05);
  });

  it.each([8, 4] as const)('quantises the block projections to %i bits and stays close to full precision', (bits) => {
    const model = createModel(parseModelConfig({ ...wideConfig }, 'wide/config.json'));
    mx.eval(model.parameters());
    const tokens = mx.array([[1, 5, 9, 42, 7]], mx.int32);
    const reference = model.forward(tokens);
    const report = quantizeLinearLayers(model, bits);
    expect(report.quantized).toHaveLength(2 * 7);
    expect(report.skipped).toEqual([]);
    expect(model.layers[0]!.selfAttn.qProj).toBeInstanceOf(nn.QuantizedLinear);
    const diff = mx.max(mx.abs(mx.subtract(model.forward(tokens), reference))).item() as number;
    const scale = mx.max(mx.abs(reference)).item() as number;
    expect(diff).toBeGreaterThan(0);
    expect(diff / scale).toBeLessThan(bits === 8 ? 0.02 : 0.2);
  });

  it('skips layers too narrow or not a multiple of the group size, saying why', async () => {
    const { quantization } = await loadModel(fixture('tiny-llama'), { quantizeBits: 8 });
    expect(quantization?.quantized).toEqual([]);
    expect(quantization?.skipped.find((s) => s.name === 'model.layers.0.mlp.down_proj')?.reason).toMatch(/160.*group size 64/);
    expect(quantization?.skipped.find((s) => s.name === 'model.layers.1.self_attn.q_proj')?.reason).toMatch(/64 is below 128/);
  });

  it('lets gradients flow through a quantised layer to its input (for LoRA on top)', () => {
    const model = createModel(parseModelConfig({ ...wideConfig }, 'wide/config.json'));
    quantizeLinearLayers(model, 4);
    const layer = model.layers[0]!.selfAttn.qProj as unknown as nn.QuantizedLinear;
    const x = mx.random.normal([2, 256], undefined, undefined, undefined, mx.random.key(1));
    const gradient = mx.grad((input: mx.array) => mx.sum(layer.forward(input) as mx.array))(x);
    const dense = mx.dequantize(layer.weight, layer.scales, layer.biases, layer.groupSize, layer.bits);
    const expected = mx.broadcastTo(mx.sum(dense, 0, true), [2, 256]);
    expect(mx.allclose(gradient, expected, 1e-4, 1e-4).item()).toBe(true);
    expect(mx.max(mx.abs(gradient)).item()).toBeGreaterThan(0);
  });

  it('reports weights that do not fit the config as a DataError naming the tensor and both shapes', async () => {
    const dir = join(scratch, 'mismatch');
    cpSync(fixture('tiny-qwen2'), dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, intermediate_size: 96 }));
    await expect(loadModel(dir)).rejects.toThrow(DataError);
    await expect(loadModel(dir)).rejects.toThrow(/gate_proj\.weight: config\.json implies shape \[96, 64\], the file has \[128, 64\] \(and 5 more/);
  });

  it('reports a folder without safetensors as a DataError', async () => {
    const dir = join(scratch, 'no-weights');
    cpSync(fixture('tiny-qwen2'), dir, { recursive: true });
    rmSync(join(dir, 'model.safetensors'));
    await expect(loadModel(dir)).rejects.toThrow(DataError);
  });
});
