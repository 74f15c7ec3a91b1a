import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Generator, SamplingParams } from '../contracts/generator.js';
import type { Optimizer, StepStats } from '../contracts/optimizer.js';
import type { Task } from '../contracts/task.js';
import { sampleTask } from './fixtures.js';
import { temporaryPluginContext } from './plugin-context.js';

export interface OptimizerConformanceOptions {
  /** A generator and optimizer over one shared policy (a fresh one per call). */
  makePolicy(): Promise<{ generator: Generator; optimizer: Optimizer; close?(): Promise<void> }>;
  tasks?: readonly Task[];
  maxNewTokens?: number;
}

function expectFiniteStats(stats: StepStats): void {
  for (const key of ['loss', 'policyLoss', 'kl', 'gradNorm', 'learningRate', 'seconds', 'clipFraction'] as const) {
    expect(Number.isFinite(stats[key]), `${key} is finite`).toBe(true);
  }
  expect(stats.tokens).toBeGreaterThan(0);
}

/** The Optimizer contract, as every implementation must honour it. */
export function describeOptimizerConformance(name: string, options: OptimizerConformanceOptions): void {
  const tasks = options.tasks ?? [sampleTask()];
  const sampling: SamplingParams = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: options.maxNewTokens ?? 8, stop: [], seed: 3 };

  describe(`Optimizer conformance: ${name}`, () => {
    let policy: Awaited<ReturnType<OptimizerConformanceOptions['makePolicy']>>;
    beforeAll(async () => {
      policy = await options.makePolicy();
      const context = await temporaryPluginContext();
      await policy.generator.setup?.(context);
      await policy.optimizer.setup?.(context);
    });
    afterAll(async () => {
      await policy?.close?.();
    });

    it('declares the v1 optimizer contract and starts at version 0', () => {
      expect(policy.optimizer.specificationVersion).toBe('v1');
      expect(policy.optimizer.kind).toBe('optimizer');
      expect(policy.optimizer.version).toBe(0);
    });

    it('makes one update per step with finite statistics and ~zero KL at the start', async () => {
      const { groups } = await policy.generator.generate(tasks, 2, sampling);
      const rollouts = groups.flat();
      const stats = await policy.optimizer.step([{ rollouts, advantages: rollouts.map((_, i) => (i % 2 ? 1 : -1)) }]);
      expectFiniteStats(stats);
      expect(Math.abs(stats.kl)).toBeLessThan(1e-3);
      expect(policy.optimizer.version).toBe(1);
    });

    it('accumulates several batches into a single update', async () => {
      const { groups } = await policy.generator.generate(tasks, 2, sampling);
      const rollouts = groups.flat();
      const before = policy.optimizer.version;
      const half = Math.max(1, Math.floor(rollouts.length / 2));
      const stats = await policy.optimizer.step([
        { rollouts: rollouts.slice(0, half), advantages: rollouts.slice(0, half).map(() => 1) },
        { rollouts: rollouts.slice(half), advantages: rollouts.slice(half).map(() => -1) },
      ]);
      expectFiniteStats(stats);
      expect(policy.optimizer.version).toBe(before + 1);
    });

    it('lowers the supervised loss on repeated steps over the same example', async () => {
      const example = { task: tasks[0]!, completion: tasks[0]!.reference ?? 'return 1' };
      const first = await policy.optimizer.supervisedStep([[example]]);
      let last = first;
      for (let i = 0; i < 5; i++) last = await policy.optimizer.supervisedStep([[example]]);
      expectFiniteStats(first);
      expect(last.loss).toBeLessThan(first.loss);
    });

    it('makes a supervised update at the rate it is passed, reporting it (0 keeps the weights)', async () => {
      const example = { task: tasks[0]!, completion: tasks[0]!.reference ?? 'return 1' };
      const frozen = await policy.optimizer.supervisedStep([[example]], 0);
      expect(frozen.learningRate).toBe(0);
      const again = await policy.optimizer.supervisedStep([[example]], 0);
      expect(again.loss).toBeCloseTo(frozen.loss, 6);
      const moved = await policy.optimizer.supervisedStep([[example]], 1e-2);
      expect(moved.learningRate).toBe(1e-2);
      expect(moved.loss).toBeCloseTo(again.loss, 6);
      const after = await policy.optimizer.supervisedStep([[example]], 0);
      expect(after.loss).toBeLessThan(moved.loss);
      await expect(policy.optimizer.supervisedStep([[example]], -1)).rejects.toThrow(/learningRate/);
    });

    it('resetOptimizerState (when implemented) changes the next update but not the weights or the version', async () => {
      if (!policy.optimizer.resetOptimizerState) return;
      const example = { task: tasks[0]!, completion: tasks[0]!.reference ?? 'return 1' };
      for (let i = 0; i < 3; i++) await policy.optimizer.supervisedStep([[example]]);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-optimizer-reset-'));
      await policy.optimizer.save(dir);
      const twin = await options.makePolicy();
      try {
        await twin.optimizer.load(dir);
        const version = twin.optimizer.version;
        twin.optimizer.resetOptimizerState!();
        expect(twin.optimizer.version).toBe(version);
        // Same weights: the same loss before the next update; different optimiser state: a different update.
        const [kept, reset] = [await policy.optimizer.supervisedStep([[example]]), await twin.optimizer.supervisedStep([[example]])];
        expect(reset.loss).toBeCloseTo(kept.loss, 5);
        const [keptAfter, resetAfter] = [await policy.optimizer.supervisedStep([[example]]), await twin.optimizer.supervisedStep([[example]])];
        expect(Math.abs(resetAfter.loss - keptAfter.loss)).toBeGreaterThan(1e-6);
      } finally {
        await twin.close?.();
      }
    });

    it('restores its version and state from save → load', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-optimizer-'));
      await policy.optimizer.save(dir);
      const savedVersion = policy.optimizer.version;
      const fresh = await options.makePolicy();
      try {
        await fresh.optimizer.load(dir);
        expect(fresh.optimizer.version).toBe(savedVersion);
        const greedy = { ...sampling, temperature: 0 };
        const a = await policy.generator.generate(tasks, 1, greedy);
        const b = await fresh.generator.generate(tasks, 1, greedy);
        expect(b.groups[0]![0]!.completionTokens).toEqual(a.groups[0]![0]!.completionTokens);
      } finally {
        await fresh.close?.();
      }
    });
  });
}
