import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/validate.js';
import type { Task } from '../contracts/task.js';
import type { ResolvedPlugins } from '../plugins/resolve.js';
import { planRun } from './prepare-run.js';

const tasks = (n: number, prefix: string): Task[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, language: 'python', prompt: 'p', extra: {} }));
const plugins = { teacher: { name: 'exec' } } as unknown as ResolvedPlugins;

describe('planRun', () => {
  it('counts capped RL batches, every held-out evaluation and their own sample count', () => {
    const config = validateConfig({
      training: { epochs: 2, batchSize: 4, maxBatchesPerEpoch: 3, sft: { enabled: true } },
      rlaif: { numSamplesPerPrompt: 8, evalSamplesPerPrompt: 2 },
      logging: { baselineEvalBatches: 0, evalBeforeTraining: true },
    });
    const plan = planRun(config, plugins, tasks(40, 't'), tasks(10, 'e'));
    expect(plan).toMatchObject({ batchesPerEpoch: 3, optimizerSteps: 6, sftExamples: 40 });
    // RL: 2 epochs × 12 tasks × 8 samples; evaluations: (before + sft + 2 epochs) × 10 tasks × 2 samples.
    expect(plan.samplesGenerated).toBe(2 * 12 * 8 + 4 * 10 * 2);
    expect(plan.teacherScoringCalls).toBe(2 * 12 + 4 * 10);
  });
});
