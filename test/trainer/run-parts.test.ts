/**
 * An embedding application swaps any part of a run through `parts`, without touching the config:
 * the config below names plugin packages that are not installed, so any part resolved from it
 * instead of the supplied one would fail the run.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Backend, Generator } from '@rlaif/core';
import { prepareRun, ratioReward, runTraining, silentLogger, TOKENS } from '@rlaif/core';
import { FakePolicy, makeFakeTeacher, recordingSink } from './doubles.js';

async function project(): Promise<{ dir: string; configPath: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-parts-'));
  const tasks = Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `t${i}`, language: 'python', prompt: `task ${i}`, reference: 'REF' }));
  await writeFile(path.join(dir, 'train.jsonl'), `${tasks.join('\n')}\n`);
  const config = {
    backend: '@acme/not-installed-backend',
    teacher: '@acme/not-installed-teacher',
    sinks: ['@acme/not-installed-sink'],
    rewards: ['@acme/not-installed-reward'],
    data: { trainFile: './train.jsonl', evalSplit: 0 },
    training: { epochs: 1, batchSize: 2, outputDir: './run' },
    logging: { baselineEvalBatches: 0, progress: 'none', logFile: false },
  };
  const configPath = path.join(dir, 'rlaif.config.json');
  await writeFile(configPath, JSON.stringify(config));
  return { dir, configPath };
}

describe('run parts', () => {
  it('are taken from `parts` instead of the config: backend, generator, teacher, rewards, sinks, clock', async () => {
    const { dir, configPath } = await project();
    const policy = new FakePolicy();
    const backend: Backend = {
      specificationVersion: 'v1',
      kind: 'backend',
      name: 'embedded',
      load: async () => ({ generator: policy.generator, optimizer: policy.optimizer, info: { architecture: 'fake', parameters: 1, trainableParameters: 1, device: 'cpu', dtype: 'float32' }, close: async () => undefined }),
    };
    // A generator of the embedding application's own (e.g. a remote engine) beside the backend's optimizer.
    const remoteCalls: number[] = [];
    const generator: Generator = { ...policy.generator, name: 'remote', generate: (tasks, n, sampling) => (remoteCalls.push(tasks.length), policy.generator.generate(tasks, n, sampling)) };
    const sink = recordingSink();
    let seconds = 1000;
    const prepared = await prepareRun({
      configPath,
      cwd: dir,
      overrides: {},
      logger: silentLogger,
      parts: { backend, teacher: makeFakeTeacher(), rewards: [{ fn: ratioReward(), weight: 1 }], sinks: [sink] },
    });
    expect(prepared.plugins.backend).toBe(backend);
    const summary = await runTraining({
      prepared,
      logger: silentLogger,
      signal: new AbortController().signal,
      stream: new PassThrough(),
      parts: { generator, clock: { now: () => (seconds += 2) } },
    });
    // 6 tasks, batch 2 → 3 batches, all sampled by the supplied generator and trained by the backend's optimizer.
    expect(remoteCalls).toEqual([2, 2, 2]);
    expect(policy.steps).toHaveLength(3);
    expect(sink.scalars.get('Train/AvgReward')).toHaveLength(3);
    // The supplied clock measured the run: whole multiples of its 2-second ticks.
    expect(summary.durationSeconds % 2).toBe(0);
    expect(summary.durationSeconds).toBeGreaterThan(0);
    const run = JSON.parse(await readFile(path.join(dir, 'run', 'run.json'), 'utf8')) as { plan: { optimizerSteps: number } };
    expect(run.plan.optimizerSteps).toBe(3);
  });

  it('stop before training when carryOptimizerState: false meets an optimizer that cannot reset its state', async () => {
    const { dir, configPath } = await project();
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { training: Record<string, unknown> };
    config.training.sft = { enabled: true, epochs: 1, batchSize: 2, carryOptimizerState: false };
    await writeFile(configPath, JSON.stringify(config));
    const policy = new FakePolicy();
    const { resetOptimizerState: _dropped, ...optimizer } = policy.optimizer;
    const backend: Backend = {
      specificationVersion: 'v1',
      kind: 'backend',
      name: 'embedded',
      load: async () => ({ generator: policy.generator, optimizer, info: { architecture: 'fake', parameters: 1, trainableParameters: 1, device: 'cpu', dtype: 'float32' }, close: async () => undefined }),
    };
    const prepared = await prepareRun({ configPath, cwd: dir, overrides: {}, logger: silentLogger, parts: { backend, teacher: makeFakeTeacher(), rewards: [{ fn: ratioReward(), weight: 1 }], sinks: [recordingSink()] } });
    await expect(runTraining({ prepared, logger: silentLogger, signal: new AbortController().signal, stream: new PassThrough() })).rejects.toMatchObject({
      code: 'RLAIF_CONFIG',
      message: expect.stringContaining('training.sft.carryOptimizerState') as unknown,
    });
    expect(policy.supervised).toHaveLength(0);
  });

  it('are registered under tokens exported by core', () => {
    expect(TOKENS.Generator).toBe(Symbol.for('rlaif.Generator'));
    expect(TOKENS.Clock).toBe(Symbol.for('rlaif.Clock'));
  });
});
