import { describe, expect, it } from 'vitest';
import { ADVANTAGE_ESTIMATORS, grpo, rloo, drGrpo, reinforce } from './index.js';

describe('advantage estimators', () => {
  const rewards = [0.2, 0.5, 0.9, 0.4];

  it('none passes rewards through', () => {
    expect(reinforce.groupAdvantages(rewards)).toEqual(rewards);
  });

  it('rloo subtracts the mean of the other samples', () => {
    const advantages = rloo.groupAdvantages(rewards);
    const othersMean = (0.5 + 0.9 + 0.4) / 3;
    expect(advantages[0]).toBeCloseTo(0.2 - othersMean, 12);
    expect(advantages.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });

  it('grpo normalises by the sample std and is scale-free', () => {
    const advantages = grpo.groupAdvantages(rewards);
    const scaled = grpo.groupAdvantages(rewards.map((r) => r * 3));
    advantages.forEach((a, i) => expect(scaled[i]).toBeCloseTo(a, 3));
    const m = advantages.reduce((a, b) => a + b, 0) / advantages.length;
    const std = Math.sqrt(advantages.reduce((s, a) => s + (a - m) ** 2, 0) / (advantages.length - 1));
    expect(std).toBeCloseTo(1, 3);
  });

  it('dr_grpo only centres', () => {
    expect(drGrpo.groupAdvantages([1, 0]).map((a) => Number(a.toFixed(12)))).toEqual([0.5, -0.5]);
  });

  it('all-equal groups give zero advantage for every baseline estimator', () => {
    for (const name of ['rloo', 'grpo', 'dr_grpo'] as const) {
      expect(ADVANTAGE_ESTIMATORS[name].groupAdvantages([0.7, 0.7, 0.7]).every((a) => Math.abs(a) < 1e-9)).toBe(true);
    }
  });
});
