/**
 * A config swap moves sampling to llama.cpp: a real run with the MLX backend (full fine-tuning or LoRA
 * on the tiny fixture) and `generator: '@rlaif/generator-llamacpp'`, resolved from the config like any
 * plugin. The generator is synced to each new policy version and the optimizer's mismatch metrics
 * show how far llama.cpp's log-probs are from MLX's.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Logger } from '@rlaif/core';
import { prepareRun, runTraining, silentLogger } from '@rlaif/core';
import { describe, expect, it } from 'vitest';
import { makeFakeTeacher, recordingSink } from '../../../test/trainer/doubles.js';
import { FIXTURE } from './bound-generator.js';

describe('generator: @rlaif/generator-llamacpp in a run', () => {
  it.each(['full', 'lora'] as const)('samples every batch on llama.cpp, synced to each policy version, while MLX trains (%s fine-tuning)', async (finetuning) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-llamacpp-run-'));
    const tasks = Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `t${i}`, language: 'python', prompt: `Write add${i}(a, b).`, reference: 'def f(a, b):\n    return a + b\n' }));
    await writeFile(path.join(dir, 'train.jsonl'), `${tasks.join('\n')}\n`);
    const config = {
      model: { name: FIXTURE, dtype: 'float32', chatTemplate: true, finetuning, lora: { rank: 4, alpha: 8 } },
      backend: '@rlaif/backend-mlx',
      generator: { use: '@rlaif/generator-llamacpp', threads: 1, sequences: 4 },
      rewards: ['ratio'],
      data: { trainFile: './train.jsonl', evalSplit: 0 },
      training: { epochs: 1, batchSize: 2, learningRate: 1e-3, outputDir: './run' },
      rlaif: { numSamplesPerPrompt: 2, maxNewTokens: 16 },
      logging: { baselineEvalBatches: 0, progress: 'none', logFile: false },
    };
    const configPath = path.join(dir, 'rlaif.config.json');
    await writeFile(configPath, JSON.stringify(config));
    const synced: number[] = [];
    const logger: Logger = { ...silentLogger, info: (message: string, fields?: Record<string, unknown>) => void (/^generator llamacpp: policy version/.test(message) && synced.push(fields!['version'] as number)) };
    const sink = recordingSink();
    const prepared = await prepareRun({ configPath, cwd: dir, overrides: {}, logger, parts: { teacher: makeFakeTeacher(), sinks: [sink] } });
    expect(prepared.plugins.generator?.name).toBe('llamacpp');
    await runTraining({ prepared, logger, signal: new AbortController().signal, stream: new PassThrough() });
    // Three batches with an off-policy lag of 1: batches 1 and 2 sample version 0, batch 3 version 1.
    expect(synced).toEqual([0, 1]);
    const mismatch = sink.scalars.get('Train/LogprobMismatch_Mean')!.map(([, v]) => v);
    expect(mismatch).toHaveLength(3);
    // f16 GGUF against float32 MLX on the version that sampled (or one update behind): small, nonzero.
    for (const value of mismatch) expect(value).toBeLessThan(0.1);
    expect(sink.scalars.get('Train/Loss')).toHaveLength(3);
  }, 180_000);
});
