import { describe, expect, it } from 'vitest';
import { sampleRollout, sampleTask, uniformScore } from '../testing/fixtures.js';
import { combineRewards, defineRewardFn, differenceReward, passRateReward, ratioReward } from './index.js';

const task = sampleTask();
const reference = { code: task.reference!, source: 'task' as const };
const input = (student: number | null, teacher: number | null) => ({
  rollout: sampleRollout(task, 'x'),
  score: student === null ? null : uniformScore(student),
  reference,
  referenceScore: teacher === null ? null : uniformScore(teacher),
});
const context = { step: 1, logMetric: () => undefined };

describe('built-in rewards', () => {
  it('ratio divides by the teacher score and clamps to [0, 1]', async () => {
    const out = await ratioReward().compute([input(0.4, 0.8), input(0.9, 0.5), input(null, 0.5)], context);
    expect(out[0]).toBeCloseTo(0.5, 5);
    expect(out[1]).toBe(1);
    expect(out[2]).toBeNull();
  });

  it('difference keeps rewarding samples that beat the teacher', async () => {
    const out = await differenceReward().compute([input(0.9, 0.5), input(0.3, 0.5)], context);
    expect(out[0]).toBeCloseTo(0.4, 10);
    expect(out[1]).toBeCloseTo(-0.2, 10);
  });

  it('ratio and difference skip samples without a reference and say so once', async () => {
    const warnings: string[] = [];
    const warning = { step: 1, logMetric: () => undefined, warn: (message: string) => warnings.push(message) };
    const testOnly = { ...input(0.6, null), reference: null };
    const ratio = ratioReward();
    expect(await ratio.compute([testOnly, testOnly, input(0.4, 0.8)], warning)).toEqual([null, null, expect.closeTo(0.5, 5)]);
    expect(await ratio.compute([testOnly], warning)).toEqual([null]);
    expect(await differenceReward().compute([testOnly, input(0.9, 0.5)], warning)).toEqual([null, expect.closeTo(0.4, 10)]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/reward 'ratio' needs a reference.*pass_rate/);
    expect(warnings[1]).toMatch(/reward 'difference' needs a reference/);
  });

  it('pass_rate is null without an execution result', async () => {
    const executed = {
      ...input(0.5, 1),
      score: { ...uniformScore(0.5), execution: { compiled: true, testsPassed: 3, testsTotal: 4, timedOut: false, runtimeMs: 1, tests: [] } },
    };
    expect(await passRateReward().compute([executed, input(0.5, 1)], context)).toEqual([0.75, null]);
  });
});

describe('combineRewards', () => {
  it('takes the weighted mean over the functions that apply', async () => {
    const constant = (name: string, value: number | null) => defineRewardFn({ name, compute: (batch) => batch.map(() => value) });
    const result = await combineRewards(
      [
        { fn: constant('a', 1), weight: 3 },
        { fn: constant('b', 0), weight: 1 },
        { fn: constant('c', null), weight: 10 },
      ],
      [input(0.5, 0.5), input(null, 0.5)],
      context,
    );
    expect(result.rewards[0]).toBeCloseTo(0.75, 10);
    expect(result.rewards[1]).toBeNull();
    expect(Object.keys(result.perFunction)).toEqual(['a', 'b', 'c']);
  });

  it('rejects a reward function that returns the wrong number of values or NaN', async () => {
    const short = defineRewardFn({ name: 'short', compute: () => [1] });
    await expect(combineRewards([{ fn: short, weight: 1 }], [input(1, 1), input(1, 1)], context)).rejects.toThrow(/returned 1 values for a batch of 2/);
    const nan = defineRewardFn({ name: 'nan', compute: (b) => b.map(() => Number.NaN) });
    await expect(combineRewards([{ fn: nan, weight: 1 }], [input(1, 1)], context)).rejects.toThrow(/finite numbers or null/);
  });
});
