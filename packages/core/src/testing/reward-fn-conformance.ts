import { describe, expect, it } from 'vitest';
import type { RewardFn, RewardInput } from '../contracts/reward-fn.js';
import { sampleRollout, sampleTask, uniformScore } from './fixtures.js';

export interface RewardFnConformanceOptions {
  makeRewardFn(): RewardFn;
  /** A batch to compute on; defaults to three rollouts with high, low and no score. */
  batch?: readonly RewardInput[];
}

/** The RewardFn contract: batched, same length out, finite or null, pure. */
export function describeRewardFnConformance(name: string, options: RewardFnConformanceOptions): void {
  const task = sampleTask();
  const reference = { code: task.reference!, source: 'task' as const };
  const batch: readonly RewardInput[] = options.batch ?? [
    { rollout: sampleRollout(task, task.reference!, 0), score: uniformScore(0.9), reference, referenceScore: uniformScore(0.95) },
    { rollout: sampleRollout(task, 'def add(a, b):\n    return 0\n', 1), score: uniformScore(0.2), reference, referenceScore: uniformScore(0.95) },
    { rollout: sampleRollout(task, 'oops', 2), score: null, reference, referenceScore: null },
  ];

  describe(`RewardFn conformance: ${name}`, () => {
    const fn = options.makeRewardFn();
    const context = { step: 1, logMetric: () => undefined };

    it('declares the v1 reward contract', () => {
      expect(fn.specificationVersion).toBe('v1');
      expect(fn.kind).toBe('reward');
      expect(fn.name).toMatch(/\S/);
    });

    it('returns one finite number or null per input', async () => {
      const out = await fn.compute(batch, context);
      expect(out).toHaveLength(batch.length);
      for (const value of out) if (value !== null) expect(Number.isFinite(value)).toBe(true);
    });

    it('is pure: the same batch gives the same rewards', async () => {
      expect(await fn.compute(batch, context)).toEqual(await fn.compute(batch, context));
    });

    it('handles an empty batch', async () => {
      expect(await fn.compute([], context)).toEqual([]);
    });
  });
}
