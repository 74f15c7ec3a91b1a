/**
 * Generation throughput: the in-process MLX Generator against llama.cpp on the same random Qwen2
 * model, the same tasks and sampling settings, back to back in one process. Prints completion tok/s
 * of each, their ratio, and what one policy sync (save + GGUF export + reload) costs llama.cpp.
 * Run from the repo root after a build:
 *
 *   npx tsc -b && npx jiti packages/generator-llamacpp/bench/generation.ts [--shape small|qwen0.5b|quickstart] [--prompts 8] [--samples 8] [--tokens 256] [--threads n] [--sequences n] [--context n] [--skip-mlx]
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import { createModel, createTinyModel, mlx, writeMergedModel } from '@rlaif/backend-mlx';
import type { OptimizationSpec, PluginContext, SamplingParams, Task } from '@rlaif/core';
import { parseModelConfig } from '@rlaif/hf';
import { BENCH_OPTIMIZATION, BENCH_SHAPES, benchArg, silentLogger } from '@rlaif/core';
import { llamacpp } from '../src/index.js';

const arg = benchArg;
const shapeName = arg('shape', 'small');
const shape = BENCH_SHAPES[shapeName];
if (!shape) throw new Error(`unknown --shape ${shapeName}; use ${Object.keys(BENCH_SHAPES).join(', ')}`);
const prompts = Number(arg('prompts', '8'));
const samples = Number(arg('samples', '8'));
const tokens = Number(arg('tokens', '256'));
const threads = arg('threads', '');
const sequences = arg('sequences', '');
const contextSize = arg('context', '');
// --skip-mlx: llama.cpp alone (compare with an MLX run printed by the same command earlier).
const skipMlx = process.argv.includes('--skip-mlx');

/** A random model of `shape` as a Hugging Face folder with a byte-level tokenizer (the vocabulary padded to the shape's). */
async function randomModel(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'rlaif-bench-gen-'));
  const base = path.join(root, 'base');
  await createTinyModel({
    outputDir: base,
    architecture: 'qwen2',
    hiddenSize: shape.hidden_size!,
    numLayers: 1,
    numHeads: shape.num_attention_heads!,
    numKvHeads: shape.num_key_value_heads!,
    intermediateSize: 8,
    maxPositionEmbeddings: 4096,
    ropeTheta: 1e6,
    tieWordEmbeddings: true,
    seed: 0,
    tokenizer: { kind: 'bytes' },
  });
  const configFile = path.join(base, 'config.json');
  const config = { ...(JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>), ...shape, max_window_layers: shape.num_hidden_layers };
  await writeFile(configFile, JSON.stringify(config));
  mx.random.seed(0);
  const model = createModel(parseModelConfig(config, configFile));
  mx.eval(model.parameters());
  const dir = path.join(root, 'model');
  await writeMergedModel(model, base, dir, 'float32');
  return dir;
}

const optimization: OptimizationSpec = { ...BENCH_OPTIMIZATION, microBatchSize: 8 };
const tasks: Task[] = Array.from({ length: prompts }, (_, i) => ({ id: `t${i}`, language: 'python', prompt: `Write a Python function f${i}(xs) that returns the sum of the squares of xs.`, extra: {} }));
const sampling: SamplingParams = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: tokens, stop: [], seed: 1 };

const dir = await randomModel();
const model = { nameOrPath: dir, revision: 'main', dtype: 'float32' as const, quantizeBits: 0 as const, chatTemplate: true, systemPrompt: '' };
const runDir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-bench-run-'));
const context: PluginContext = { runDir, cacheDir: runDir, logger: silentLogger, seed: 1, signal: new AbortController().signal };
const backend = mlx();
const policy = await backend.load({ model, lora: undefined, optimization, context });
console.log(`shape ${shapeName}: ${(policy.info.parameters / 1e6).toFixed(1)} M parameters; ${prompts} prompts × ${samples} samples × ≤${tokens} tokens; ${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(1)}`);

let mlxRate = Number.NaN;
if (!skipMlx) {
  const mlxRun = await policy.generator.generate(tasks, samples, sampling);
  mlxRate = mlxRun.completionTokens / mlxRun.seconds;
  console.log(`mlx       ${mlxRun.completionTokens} tokens in ${mlxRun.seconds.toFixed(1)} s: ${mlxRate.toFixed(0)} tok/s`);
}

const generator = llamacpp({
  ...(threads ? { threads: Number(threads) } : {}),
  ...(sequences ? { sequences: Number(sequences) } : {}),
  ...(contextSize ? { contextSize: Number(contextSize) } : {}),
});
await generator.setup?.(context);
await generator.bindPolicy!({ model, lora: undefined, promptTokens: (task) => policy.promptTokens!(task), exportPolicy: backend.experimental_export!.bind(backend) });
const syncStarted = performance.now();
const saved = path.join(runDir, 'v0');
await mkdir(saved);
await policy.optimizer.save(saved);
const saveSeconds = (performance.now() - syncStarted) / 1000;
await generator.syncPolicy!(saved, 0);
const syncSeconds = (performance.now() - syncStarted) / 1000;
const llamaRun = await generator.generate(tasks, samples, sampling);
const llamaRate = llamaRun.completionTokens / llamaRun.seconds;
console.log(`llama.cpp ${llamaRun.completionTokens} tokens in ${llamaRun.seconds.toFixed(1)} s: ${llamaRate.toFixed(0)} tok/s (threads ${threads || 'default'}, sequences ${sequences || 'default'})`);
console.log(`ratio llama.cpp / mlx: ${(llamaRate / mlxRate).toFixed(2)}×; one full-model sync: save ${saveSeconds.toFixed(2)} s + export and load ${(syncSeconds - saveSeconds).toFixed(2)} s; load now ${os.loadavg()[0]!.toFixed(1)}`);
await generator.close?.();
await policy.close();
