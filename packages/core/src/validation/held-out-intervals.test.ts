import { describe, expect, it } from 'vitest';
import { gainOverHalfWidth, heldOutIntervals, perTaskScores, type HeldOutEvaluation } from './held-out-intervals.js';

const tasks = (phase: string, rewards: readonly (number | undefined)[], passRates?: readonly number[]): HeldOutEvaluation => {
  const perTask = new Map(rewards.map((reward, i) => [`t${i}`, { reward, passRate: passRates?.[i] }]));
  const scored = rewards.filter((r): r is number => r !== undefined);
  const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;
  return { phase, meanReward: mean(scored), passRate: passRates ? mean(passRates) : undefined, perTask };
};

describe('heldOutIntervals', () => {
  const before = tasks('before', Array.from({ length: 40 }, () => 0), Array.from({ length: 40 }, () => 0));
  const sft = tasks('sft', Array.from({ length: 40 }, (_, i) => (i % 4) / 4), Array.from({ length: 40 }, (_, i) => (i % 8 === 0 ? 1 : 0)));
  // Every task gains 0.1 reward over after-SFT: a gain with no spread, far beyond its interval.
  const rl = tasks('epoch-1', Array.from({ length: 40 }, (_, i) => (i % 4) / 4 + 0.1), Array.from({ length: 40 }, (_, i) => (i % 8 === 0 || i % 8 === 1 ? 1 : 0)));

  it('pairs gains per task against after-SFT, and has none for the rows up to it', () => {
    const { reference, rows } = heldOutIntervals([before, sft, rl]);
    expect(reference).toBe('sft');
    expect(rows[0]!.rewardGain).toBeUndefined();
    expect(rows[1]!.rewardGain).toBeUndefined();
    expect(rows[2]!.rewardGain!.value).toBeCloseTo(0.1, 12);
    expect(rows[2]!.rewardGain!.interval!.low).toBeCloseTo(0.1, 12);
    expect(rows[2]!.rewardGain!.interval!.high).toBeCloseTo(0.1, 12);
    expect(rows[2]!.passRateGain!.value).toBeCloseTo(0.125, 12);
    expect(rows[2]!.passRateGain!.interval!.low).toBeGreaterThan(0);
    expect(rows[1]!.reward!.interval!.low).toBeLessThan(rows[1]!.reward!.value);
    expect(rows[1]!.reward!.interval!.high).toBeGreaterThan(rows[1]!.reward!.value);
  });

  it('measures against before training when there was no SFT warm-up, and is the same every time', () => {
    const first = heldOutIntervals([before, rl]);
    expect(first.reference).toBe('before');
    expect(first.rows[1]!.rewardGain!.value).toBeCloseTo(rl.meanReward!, 12);
    expect(heldOutIntervals([before, rl])).toEqual(first);
  });

  it('pairs only tasks both evaluations scored, and gives no intervals without per-task results', () => {
    const partial = tasks('epoch-1', [0.5, undefined, 1, 0.25]);
    const earlier = tasks('sft', [0.25, 0.75, 0.5, 0.25]);
    const gain = heldOutIntervals([earlier, partial]).rows[1]!.rewardGain!;
    // Paired over t0, t2, t3: differences 0.25, 0.5, 0; the interval lies within their range.
    expect(gain.interval!.low).toBeGreaterThanOrEqual(0);
    expect(gain.interval!.high).toBeLessThanOrEqual(0.5);
    const bare = heldOutIntervals([{ phase: 'sft', meanReward: 0.2, passRate: undefined, perTask: new Map() }, { phase: 'epoch-1', meanReward: 0.3, passRate: undefined, perTask: new Map() }]);
    expect(bare.rows[1]!.rewardGain!.value).toBeCloseTo(0.1, 12);
    expect(bare.rows[1]!.rewardGain!.interval).toBeUndefined();
    expect(gainOverHalfWidth(bare.rows[1]!.rewardGain)).toBeUndefined();
  });

  it('expresses a gain in half-widths of its interval', () => {
    expect(gainOverHalfWidth({ value: 0.03, interval: { mean: 0.03, low: 0.01, high: 0.05 } })).toBeCloseTo(1.5, 12);
    expect(gainOverHalfWidth({ value: 0.03, interval: { mean: 0.03, low: 0.03, high: 0.03 } })).toBeUndefined();
  });

  it('reads summary.json per-task rows, null meaning unscored', () => {
    expect([...perTaskScores([{ taskId: 'a', reward: null, passRate: 0 }, { taskId: 'b', reward: 0.5, passRate: null }])]).toEqual([
      ['a', { reward: undefined, passRate: 0 }],
      ['b', { reward: 0.5, passRate: undefined }],
    ]);
    expect(perTaskScores(undefined).size).toBe(0);
  });
});
