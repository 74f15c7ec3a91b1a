import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prepareRun, silentLogger } from '@rlaif/core';
import { describeRewardFnConformance, sampleRollout, sampleTask, uniformScore } from '@rlaif/core/testing';
import brevity from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const exampleDir = path.resolve(here, '..');

describeRewardFnConformance('brevity (example plugin)', { makeRewardFn: () => brevity() });

describe('rlaif-reward-brevity', () => {
  it('rewards code up to maxRatio × the reference length fully, then falls off', async () => {
    const task = sampleTask();
    const reference = { code: 'x'.repeat(100), source: 'task' as const };
    const input = (length: number) => ({ rollout: sampleRollout(task, 'y'.repeat(length)), score: uniformScore(1), reference, referenceScore: null });
    const metrics: number[] = [];
    const out = await brevity({ maxRatio: 2 }).compute([input(150), input(400)], { step: 1, logMetric: (_n, v) => metrics.push(v) });
    expect(out).toEqual([1, 0.5]);
    expect(metrics).toEqual([1.5, 4]);
  });

  for (const file of ['rlaif.config.json', 'rlaif.config.ts']) {
    it(`is found from ${file} (by package name or by import)`, async () => {
      const prepared = await prepareRun({ configPath: file, cwd: exampleDir, overrides: {}, logger: silentLogger, env: {} });
      expect(prepared.plugins.rewards.map((r) => [r.fn.name, r.weight])).toEqual([
        ['ratio', 0.8],
        ['brevity', 0.2],
      ]);
    });
  }
});
