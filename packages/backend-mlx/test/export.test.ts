import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { core as mx } from '@frost-beta/mlx';
import { silentLogger } from '@rlaif/core';
import { describe, expect, it } from 'vitest';
import { mlx } from '../src/backend.js';
import { exportCheckpoint } from '../src/export/export-checkpoint.js';
import { ggufTensorName, permuteForGgmlRope } from '../src/export/gguf-model.js';
import { readGguf } from '../src/export/gguf-reader.js';
import { parseSafetensors } from '../src/export/tensor-bytes.js';
import { loadModel } from '../src/load/load-model.js';
import { findPython } from './interop.js';
import { close } from './mx-assert.js';
import { OPT } from './options.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const tasks = [{ id: 'a', language: 'python' as const, prompt: 'Add two numbers.', extra: {} }];
const SAMPLING = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 6, stop: [], seed: 9 };

/** Trains two steps on a fixture and saves a checkpoint; returns it with the base model's logits. */
async function trainedCheckpoint(model: string) {
  const policy = await mlx().load({
    model: { nameOrPath: fixture(model), revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
    lora: { rank: 4, alpha: 16, dropout: 0, targetModules: [] },
    optimization: { ...OPT, learningRate: 5e-2, klPenalty: 0 },
    context: { runDir: os.tmpdir(), cacheDir: os.tmpdir(), logger: silentLogger, seed: 1, signal: new AbortController().signal },
  });
  for (let i = 0; i < 2; i++) {
    const { groups } = await policy.generator.generate(tasks, 4, { ...SAMPLING, seed: i });
    await policy.optimizer.step([{ rollouts: groups.flat(), advantages: [1, -1, 1, -1] }]);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-export-ckpt-'));
  await policy.optimizer.save(dir);
  const tokens = mx.array([[1, 5, 9, 20, 33, 7]], mx.int32);
  const base = await loadModel(fixture(model));
  await policy.close();
  return { dir, tokens, baseLogits: base.model.forward(tokens) };
}

describe('exportCheckpoint', () => {
  it('merged: a plain HF folder that reproduces base+adapter logits', async () => {
    const { dir, tokens, baseLogits } = await trainedCheckpoint('tiny-qwen2');
    const out = await mkdtemp(path.join(os.tmpdir(), 'rlaif-export-merged-'));
    const result = await exportCheckpoint({ checkpointDir: dir, format: 'merged', outputDir: out });
    expect((await readdir(out)).sort()).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']));
    expect(result.files.length).toBeGreaterThanOrEqual(4);
    const merged = await loadModel(out);
    const mergedLogits = merged.model.forward(tokens);
    expect(close(mergedLogits, baseLogits)).toBe(false);
    // Reference: base + adapter loaded the same way the backend does.
    const { applyLora } = await import('../src/lora/apply-lora.js');
    const { loadPeftAdapter } = await import('../src/checkpoint/peft-adapter.js');
    const reference = await loadModel(fixture('tiny-qwen2'));
    await loadPeftAdapter(dir, applyLora(reference.model, { rank: 4, alpha: 16, dropout: 0, targetModules: [] }));
    reference.model.eval();
    expect(close(mergedLogits, reference.model.forward(tokens), 1e-4, 1e-5)).toBe(true);
  });

  it('peft: copies the adapter files', async () => {
    const { dir } = await trainedCheckpoint('tiny-qwen2');
    const out = await mkdtemp(path.join(os.tmpdir(), 'rlaif-export-peft-'));
    await exportCheckpoint({ checkpointDir: dir, format: 'peft', outputDir: out });
    expect((await readdir(out)).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
  });

  for (const model of ['tiny-qwen2', 'tiny-llama']) {
    it(`gguf (${model}): header, metadata and tensors round-trip through the reader`, async () => {
      const { dir } = await trainedCheckpoint(model);
      const mergedDir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-export-ref-'));
      await exportCheckpoint({ checkpointDir: dir, format: 'merged', outputDir: mergedDir });
      const merged = parseSafetensors(await readFile(path.join(mergedDir, 'model.safetensors')));
      const out = await mkdtemp(path.join(os.tmpdir(), 'rlaif-export-gguf-'));
      await exportCheckpoint({ checkpointDir: dir, format: 'gguf', outputDir: out, ggufType: 'f32' });
      const gguf = await readGguf(path.join(out, 'model.gguf'));
      const config = JSON.parse(await readFile(path.join(fixture(model), 'config.json'), 'utf8')) as Record<string, number>;
      const arch = model === 'tiny-qwen2' ? 'qwen2' : 'llama';
      expect(gguf.version).toBe(3);
      expect(gguf.metadata.get('general.architecture')).toBe(arch);
      expect(gguf.metadata.get(`${arch}.block_count`)).toBe(config['num_hidden_layers']);
      expect(gguf.metadata.get(`${arch}.attention.head_count_kv`)).toBe(config['num_key_value_heads']);
      expect(gguf.metadata.get('tokenizer.ggml.model')).toBe('gpt2');
      // The fixtures split with ByteLevel's GPT-2 regex; the Llama 3 fixture prepends BOS by its post-processor.
      expect(gguf.metadata.get('tokenizer.ggml.pre')).toBe('gpt-2');
      expect(gguf.metadata.get('tokenizer.ggml.add_bos_token')).toBe(arch === 'llama');
      const tokens = gguf.metadata.get('tokenizer.ggml.tokens') as string[];
      expect(tokens).toHaveLength(config['vocab_size']!);
      expect(typeof gguf.metadata.get('tokenizer.chat_template')).toBe('string');
      const heads = { q: config['num_attention_heads']!, k: config['num_key_value_heads']! };
      let compared = 0;
      for (const [hfName, raw] of merged) {
        const name = ggufTensorName(hfName)!;
        const tensor = gguf.tensors.find((t) => t.name === name);
        expect(tensor, name).toBeDefined();
        expect(tensor!.shape).toEqual(raw.shape);
        let expected = new Float32Array(raw.data.buffer.slice(raw.data.byteOffset, raw.data.byteOffset + raw.data.byteLength));
        const kind = /attn_(q|k)\./.exec(name)?.[1] as 'q' | 'k' | undefined;
        if (arch === 'llama' && kind) {
          const permuted = permuteForGgmlRope(mx.array(Array.from(expected), mx.float32).reshape(raw.shape), heads[kind]);
          expected = Float32Array.from(permuted.flatten().tolist() as number[]);
        }
        const actual = new Float32Array(tensor!.data.buffer.slice(tensor!.data.byteOffset, tensor!.data.byteOffset + tensor!.data.byteLength));
        expect(Array.from(actual)).toEqual(Array.from(expected));
        compared += 1;
      }
      expect(compared).toBe(merged.size);
      if (arch === 'llama') expect(gguf.tensors.some((t) => t.name === 'rope_freqs.weight')).toBe(true);
    });
  }

  it('gguf f16 is readable by the python gguf package when it is installed', async (ctx) => {
    const python = findPython('gguf');
    if (python === undefined) return ctx.skip('no Python with the gguf package (RLAIF_PYTHON, ./.venv or python3)');
    const { dir } = await trainedCheckpoint('tiny-qwen2');
    const out = await mkdtemp(path.join(os.tmpdir(), 'rlaif-export-gguf16-'));
    await exportCheckpoint({ checkpointDir: dir, format: 'gguf', outputDir: out });
    const script = [
      'import sys, json, gguf',
      'r = gguf.GGUFReader(sys.argv[1])',
      'f = r.fields',
      'print(json.dumps({"arch": bytes(f["general.architecture"].parts[-1]).decode(), "tensors": len(r.tensors),',
      ' "types": sorted({t.tensor_type.name for t in r.tensors}), "emb": [int(x) for x in r.tensors[0].shape]}))',
    ].join('\n');
    const report = JSON.parse(execFileSync(python, ['-c', script, path.join(out, 'model.gguf')], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(report['arch']).toBe('qwen2');
    expect(report['types']).toEqual(['F16', 'F32']);
    // Per block: 2 norms, q/k/v weight+bias, o, gate, up, down; plus token_embd and output_norm (tied head).
    expect(report['tensors']).toBe(2 * 12 + 2);
  });
});
