import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import { ConfigError } from '@rlaif/core';
import { Tokenizer, readModelConfig } from '@rlaif/hf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../load/load-model.js';
import { createTinyModel, type CreateTinyModelOptions } from './create-tiny-model.js';

const CORPUS = [
  'def calc(xs: list[int]) -> int:\n    return sum(x * 3 for x in xs if x > 2)\n',
  'def score(xs: list[int]) -> list[int]:\n    return [x + 1 for x in xs if x % 2 == 0]\n',
  'fn calc(xs: &[i64]) -> i64 {\n    xs.iter().filter(|&&x| x > 2).map(|&x| x * 3).sum()\n}\n',
  'int calc(const std::vector<int>& xs) {\n    int total = 0;\n    for (int x : xs) if (x > 2) total += x * 3;\n    return total;\n}\n',
];

const base = (outputDir: string, seed = 1): CreateTinyModelOptions => ({
  outputDir,
  architecture: 'qwen2',
  hiddenSize: 32,
  numLayers: 2,
  numHeads: 4,
  numKvHeads: 2,
  intermediateSize: 48,
  maxPositionEmbeddings: 128,
  ropeTheta: 10000,
  tieWordEmbeddings: true,
  seed,
  tokenizer: { kind: 'bpe', corpus: CORPUS, vocabSize: 320 },
});

function tensors(dir: string): Record<string, mx.array> {
  return mx.load(join(dir, 'model.safetensors')) as unknown as Record<string, mx.array>;
}

function sameWeights(a: Record<string, mx.array>, b: Record<string, mx.array>): boolean {
  return Object.keys(a).every((name) => mx.arrayEqual(a[name] as mx.array, b[name] as mx.array).item() === true);
}

describe('createTinyModel', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rlaif-create-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes a complete Hugging Face folder whose config matches the options', async () => {
    const dir = join(root, 'complete');
    const created = await createTinyModel(base(dir));
    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json']) {
      expect((await stat(join(dir, file))).size).toBeGreaterThan(0);
    }
    const config = await readModelConfig(dir);
    expect(config).toMatchObject({ modelType: 'qwen2', hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, intermediateSize: 48, ropeTheta: 10000, tieWordEmbeddings: true, maxPositionEmbeddings: 128, hiddenAct: 'silu' });
    expect(config.vocabSize).toBe(created.vocabSize);
    expect(config.eosTokenIds).toEqual([created.tokenIds.eos]);
    const raw = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(raw['architectures']).toEqual(['Qwen2ForCausalLM']);
    const weights = tensors(dir);
    expect(weights['model.embed_tokens.weight']?.shape).toEqual([created.vocabSize, 32]);
    expect(weights['model.layers.1.self_attn.k_proj.weight']?.shape).toEqual([16, 32]);
    expect(weights['lm_head.weight']).toBeUndefined();
    const count = Object.values(weights).reduce((total, tensor) => total + tensor.size, 0);
    expect(count).toBe(created.parameterCount);
  });

  it('initialises like transformers: normal(0, 0.02) matrices, zero biases, unit norms', async () => {
    const dir = join(root, 'init');
    await createTinyModel({ ...base(dir), hiddenSize: 64, intermediateSize: 128 });
    const weights = tensors(dir);
    const gate = weights['model.layers.0.mlp.gate_proj.weight'] as mx.array;
    const std = Math.sqrt(mx.mean(mx.square(gate)).item() as number);
    expect(std).toBeGreaterThan(0.018);
    expect(std).toBeLessThan(0.022);
    expect(mx.all(mx.equal(weights['model.layers.0.self_attn.q_proj.bias'] as mx.array, 0)).item()).toBe(true);
    expect(mx.all(mx.equal(weights['model.norm.weight'] as mx.array, 1)).item()).toBe(true);
  });

  it('gives identical weights for the same seed and different ones for another seed', async () => {
    await createTinyModel(base(join(root, 'seed1a'), 1));
    await createTinyModel(base(join(root, 'seed1b'), 1));
    await createTinyModel(base(join(root, 'seed2'), 2));
    expect(sameWeights(tensors(join(root, 'seed1a')), tensors(join(root, 'seed1b')))).toBe(true);
    expect(sameWeights(tensors(join(root, 'seed1a')), tensors(join(root, 'seed2')))).toBe(false);
  });

  it('writes a BPE tokenizer that round-trips text, uses its merges and knows the special tokens', async () => {
    const dir = join(root, 'tokenizer');
    const created = await createTinyModel(base(dir));
    expect(created.mergeCount).toBeGreaterThan(0);
    expect(created.vocabSize).toBeLessThanOrEqual(320);
    const tokenizer = await Tokenizer.fromDirectory(dir);
    expect(tokenizer.vocabSize).toBe(created.vocabSize);
    for (const text of [...CORPUS, 'héllo wörld → ✓\n\ttabs  and  spaces']) {
      expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    }
    // Text seen in the corpus compresses well below one token per byte.
    const seen = CORPUS[0] as string;
    expect(tokenizer.encode(seen).length).toBeLessThan(new TextEncoder().encode(seen).length / 2);
    expect(tokenizer.eosTokenId).toBe(created.tokenIds.eos);
    expect(tokenizer.padTokenId).toBe(created.tokenIds.pad);
    const chat = tokenizer.encodeChat([{ role: 'user', content: 'hi' }], { addGenerationPrompt: true });
    expect(chat[0]).toBe(created.tokenIds.imStart);
    expect(tokenizer.decode(chat)).toBe('<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n');
  });

  it('writes a plain byte tokenizer: one token per byte, 259 ids', async () => {
    const dir = join(root, 'bytes');
    const created = await createTinyModel({ ...base(dir), tokenizer: { kind: 'bytes' } });
    expect(created).toMatchObject({ vocabSize: 259, mergeCount: 0 });
    const tokenizer = await Tokenizer.fromDirectory(dir);
    const text = 'x * 3 — é';
    expect(tokenizer.encode(text)).toHaveLength(new TextEncoder().encode(text).length);
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });

  it('loads with loadModel: weights fit the qwen2 architecture and the forward pass gives finite logits', async () => {
    const dir = join(root, 'load');
    const created = await createTinyModel({ ...base(dir), tieWordEmbeddings: false });
    const loaded = await loadModel(dir);
    expect(loaded.parameterCount).toBe(created.parameterCount);
    expect(loaded.eosTokenIds).toContain(created.tokenIds.eos);
    const ids = loaded.tokenizer.encode(CORPUS[0] as string);
    const logits = loaded.model.forward(mx.array([ids], mx.int32));
    expect(logits.shape).toEqual([1, ids.length, created.vocabSize]);
    const values = (logits.reshape([-1]).tolist() as number[]);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values.some((v) => v !== 0)).toBe(true);
  });

  it('rejects impossible shapes with a ConfigError naming the key', async () => {
    await expect(createTinyModel({ ...base(join(root, 'bad')), numKvHeads: 3 })).rejects.toSatisfy((error: unknown) => error instanceof ConfigError && error.keyPath === 'numKvHeads');
    await expect(createTinyModel({ ...base(join(root, 'bad')), tokenizer: { kind: 'bpe', vocabSize: 512 } })).rejects.toThrow(/tokenizer\.corpus/);
  });
});
