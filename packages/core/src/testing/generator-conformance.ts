import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Generator, SamplingParams } from '../contracts/generator.js';
import type { Task } from '../contracts/task.js';
import { sampleTask } from './fixtures.js';
import { temporaryPluginContext } from './plugin-context.js';

export interface GeneratorConformanceOptions {
  makeGenerator(): Generator | Promise<Generator>;
  /** Tasks to sample for; defaults to two small tasks in different languages. */
  tasks?: readonly Task[];
  /** Small enough to keep the suite fast. */
  maxNewTokens?: number;
  capabilities?: {
    /** Same seed and policy → the same samples. */
    deterministic?: boolean;
  };
}

/** The Generator contract, as every implementation must honour it. */
export function describeGeneratorConformance(name: string, options: GeneratorConformanceOptions): void {
  const tasks = options.tasks ?? [sampleTask(), sampleTask({ id: 'max-rust', language: 'rust', prompt: 'Write a Rust function `max(a: i32, b: i32) -> i32`.' })];
  const sampling: SamplingParams = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: options.maxNewTokens ?? 8, stop: [], seed: 7 };

  describe(`Generator conformance: ${name}`, () => {
    let generator: Generator;
    beforeAll(async () => {
      generator = await options.makeGenerator();
      await generator.setup?.(await temporaryPluginContext());
    });
    afterAll(async () => {
      await generator?.close?.();
    });

    it('declares the v1 generator contract', () => {
      expect(generator.specificationVersion).toBe('v1');
      expect(generator.kind).toBe('generator');
      expect(generator.name).toMatch(/\S/);
    });

    it('returns n rollouts per task, in order, with one log-prob per token', async () => {
      const n = 3;
      const result = await generator.generate(tasks, n, sampling);
      expect(result.groups).toHaveLength(tasks.length);
      let tokens = 0;
      result.groups.forEach((group, g) => {
        expect(group).toHaveLength(n);
        group.forEach((rollout, i) => {
          expect(rollout.task.id).toBe(tasks[g]!.id);
          expect(rollout.sampleIndex).toBe(i);
          expect(rollout.completionTokens.length).toBe(rollout.behaviourLogprobs.length);
          expect(rollout.completionTokens.length).toBeGreaterThan(0);
          expect(rollout.completionTokens.length).toBeLessThanOrEqual(sampling.maxNewTokens);
          expect(rollout.promptTokens.length).toBeGreaterThan(0);
          for (const logprob of rollout.behaviourLogprobs) {
            expect(Number.isFinite(logprob)).toBe(true);
            expect(logprob).toBeLessThanOrEqual(1e-6);
          }
          expect(['eos', 'stop', 'length']).toContain(rollout.finishReason);
          if (rollout.finishReason === 'length') expect(rollout.completionTokens.length).toBe(sampling.maxNewTokens);
          expect(typeof rollout.text).toBe('string');
          expect(typeof rollout.code).toBe('string');
          expect(Number.isInteger(rollout.policyVersion)).toBe(true);
          tokens += rollout.completionTokens.length;
        });
      });
      expect(result.completionTokens).toBe(tokens);
      expect(result.seconds).toBeGreaterThan(0);
    });

    it('gives identical samples within a group when greedy', async () => {
      const result = await generator.generate(tasks.slice(0, 1), 2, { ...sampling, temperature: 0 });
      const [first, second] = result.groups[0]!;
      expect(second!.completionTokens).toEqual(first!.completionTokens);
    });

    if (options.capabilities?.deterministic) {
      it('reproduces samples from the same seed', async () => {
        const a = await generator.generate(tasks, 2, sampling);
        const b = await generator.generate(tasks, 2, sampling);
        expect(b.groups.map((g) => g.map((r) => r.completionTokens))).toEqual(a.groups.map((g) => g.map((r) => r.completionTokens)));
      });
    }
  });
}
