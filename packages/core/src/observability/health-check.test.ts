import { describe, expect, it } from 'vitest';
import { HealthCheck, type HealthInput } from './health-check.js';

const batch = (step: number, overrides: Partial<HealthInput> = {}): HealthInput => ({
  epoch: 1, batch: step, step, rewardMean: 0.5, loss: 0.1, kl: 0.01, generationSeconds: 1, scoringSeconds: 1, trainingSeconds: 1,
  rawTokensPerSec: 100, keptTokensPerSec: 100, diversity: 1, fracZeroStdGroups: 0, ...overrides,
});

describe('HealthCheck', () => {
  it('warns when an update was skipped for a non-finite gradient, with the running count', () => {
    const health = new HealthCheck();
    expect(health.observe(batch(1)).status).toBe('OK');
    const first = health.observe(batch(2, { skippedUpdates: 1 }));
    expect(first.status).toBe('WARN');
    expect(first.issues).toEqual([expect.stringMatching(/^1 update\(s\) skipped: the gradient was not finite \(1 so far\)/)]);
    expect(health.observe(batch(3, { skippedUpdates: 0 })).status).toBe('OK');
    expect(health.observe(batch(4, { skippedUpdates: 2 })).line).toMatch(/2 update\(s\) skipped: the gradient was not finite \(3 so far\)/);
  });
});
