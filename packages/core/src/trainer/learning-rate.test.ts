import { describe, expect, it } from 'vitest';
import { learningRateAt } from './learning-rate.js';
import { closesUpdate, planSteps } from './step-plan.js';

describe('learningRateAt', () => {
  const spec = { learningRate: 1, warmupSteps: 10, totalSteps: 110 };
  it('warms up linearly, then follows the schedule towards zero', () => {
    expect(learningRateAt({ ...spec, schedule: 'constant' }, 0)).toBeCloseTo(0.1);
    expect(learningRateAt({ ...spec, schedule: 'constant' }, 9)).toBeCloseTo(1);
    expect(learningRateAt({ ...spec, schedule: 'constant' }, 100)).toBe(1);
    expect(learningRateAt({ ...spec, schedule: 'linear' }, 60)).toBeCloseTo(0.5);
    expect(learningRateAt({ ...spec, schedule: 'linear' }, 110)).toBeCloseTo(0);
    expect(learningRateAt({ ...spec, schedule: 'cosine' }, 60)).toBeCloseTo(0.5);
    expect(learningRateAt({ ...spec, schedule: 'cosine' }, 10)).toBeCloseTo(1);
    expect(learningRateAt({ ...spec, schedule: 'cosine' }, 110)).toBeCloseTo(0);
  });

  it('gives every planned update a positive rate, the smallest at the last', () => {
    for (const schedule of ['linear', 'cosine'] as const) {
      const rates = Array.from({ length: 8 }, (_, k) => learningRateAt({ learningRate: 1, warmupSteps: 0, totalSteps: 8, schedule }, k));
      expect(Math.min(...rates)).toBeGreaterThan(0);
      expect(rates.indexOf(Math.min(...rates))).toBe(7);
    }
  });
});

describe('planSteps', () => {
  it('closes an update every `accumulation` batches and at the end of each epoch', () => {
    // 4 batches per epoch, accumulating 3: updates after batches 3 and 4 of each epoch.
    const plan = planSteps({ epochs: 2, batchesPerEpoch: 4, gradientAccumulationSteps: 3 });
    expect(plan.policyUpdates).toBe(4);
    expect(plan.batches).toBe(8);
    expect([0, 1, 2, 3].map((i) => closesUpdate(plan, i))).toEqual([false, false, true, true]);
  });

  it('makes one update per batch without accumulation', () => {
    const plan = planSteps({ epochs: 3, batchesPerEpoch: 5, gradientAccumulationSteps: 1 });
    expect(plan.policyUpdates).toBe(15);
  });

  it('refuses an accumulation below 1', () => {
    expect(() => planSteps({ epochs: 1, batchesPerEpoch: 1, gradientAccumulationSteps: 0 })).toThrow(/gradientAccumulationSteps/);
  });
});
