import { describe, expect, it } from 'vitest';
import { bootstrapMean } from './bootstrap.js';

describe('bootstrapMean', () => {
  it('gives the mean with a 95 % interval that narrows with more tasks, the same every time', () => {
    const few = Array.from({ length: 10 }, (_, i) => (i % 3) / 2);
    const many = Array.from({ length: 200 }, (_, i) => (i % 3) / 2);
    const a = bootstrapMean(few);
    expect(a?.mean).toBeCloseTo(few.reduce((s, v) => s + v, 0) / few.length, 12);
    expect(a!.low).toBeLessThan(a!.mean);
    expect(a!.high).toBeGreaterThan(a!.mean);
    expect(bootstrapMean(few)).toEqual(a);
    const b = bootstrapMean(many)!;
    expect(b.high - b.low).toBeLessThan((a!.high - a!.low) / 3);
  });

  it('covers the true mean about 95 % of the time', () => {
    let covered = 0;
    for (let trial = 0; trial < 200; trial++) {
      // Bernoulli(0.3) tasks from a fixed generator; the true mean is 0.3.
      let state = trial * 7919 + 1;
      const values = Array.from({ length: 60 }, () => ((state = (state * 48271) % 2147483647) / 2147483647 < 0.3 ? 1 : 0));
      const interval = bootstrapMean(values, trial + 1)!;
      if (interval.low <= 0.3 && interval.high >= 0.3) covered++;
    }
    expect(covered / 200).toBeGreaterThan(0.88);
    expect(covered / 200).toBeLessThan(0.99);
  });

  it('has no interval for fewer than two values', () => {
    expect(bootstrapMean([0.5])).toBeUndefined();
    expect(bootstrapMean([])).toBeUndefined();
  });
});
