/** Test doubles for the trainer loop: deterministic, in memory, with call records. */
import type {
  Generator,
  GenerationResult,
  MetricsSink,
  Optimizer,
  PolicyBatch,
  Rollout,
  SamplingParams,
  StepStats,
  SupervisedExample,
  Task,
  Teacher,
  TeacherUsage,
} from '@rlaif/core';
import { ZERO_USAGE, addUsage } from '@rlaif/core';
import { uniformScore } from '@rlaif/core/testing';

export class FakePolicy {
  version = 0;
  readonly steps: PolicyBatch[][] = [];
  readonly supervised: SupervisedExample[][][] = [];
  /** The policy version at each `resetOptimizerState` call. */
  readonly optimizerResets: number[] = [];
  readonly generateCalls: { tasks: string[]; n: number; seed: number; version: number }[] = [];

  readonly generator: Generator = {
    specificationVersion: 'v1',
    kind: 'generator',
    name: 'fake',
    generate: async (tasks: readonly Task[], n: number, sampling: SamplingParams): Promise<GenerationResult> => {
      this.generateCalls.push({ tasks: tasks.map((t) => t.id), n, seed: sampling.seed, version: this.version });
      const groups = tasks.map((task) =>
        Array.from({ length: n }, (_, i): Rollout => {
          const good = (sampling.seed + i) % 2 === 0;
          const code = good ? 'GOOD' : 'BAD';
          return {
            task,
            sampleIndex: i,
            text: `${code} ${task.id} ${i}`,
            code,
            promptTokens: [1, 2],
            completionTokens: [3, 4, 5],
            behaviourLogprobs: [-1, -1, -1],
            finishReason: 'eos',
            policyVersion: this.version,
            generationMs: 1,
          };
        }),
      );
      return { groups, completionTokens: tasks.length * n * 3, seconds: 0.01 };
    },
  };

  readonly optimizer: Optimizer = {
    specificationVersion: 'v1',
    kind: 'optimizer',
    name: 'fake',
    version: 0,
    step: async (batches: readonly PolicyBatch[]): Promise<StepStats> => {
      this.steps.push([...batches]);
      this.version++;
      (this.optimizer as { version: number }).version = this.version;
      return stats(batches.reduce((s, b) => s + b.rollouts.length * 3, 0));
    },
    supervisedStep: async (batches) => {
      this.supervised.push(batches.map((b) => [...b]));
      // Like every real optimizer: an SFT update is an update of the policy.
      this.version++;
      (this.optimizer as { version: number }).version = this.version;
      return stats(10);
    },
    resetOptimizerState: () => {
      this.optimizerResets.push(this.version);
    },
    save: async () => undefined,
    load: async () => undefined,
  };
}

function stats(tokens: number): StepStats {
  return { loss: 0.5, policyLoss: 0.4, kl: 0.02, entropy: 1, clipFraction: 0, gradNorm: 1, learningRate: 1e-5, tokens, seconds: 0.01 };
}

/** Scores GOOD code 0.9 and BAD code 0.1; the reference 1.0. Optionally fails on chosen tasks. */
export function makeFakeTeacher(options: { failTasks?: Set<string> } = {}): Teacher & { calls: number } {
  let usage: TeacherUsage = ZERO_USAGE;
  const perCall: TeacherUsage = { ...ZERO_USAGE, requests: 1, inputTokens: 100, outputTokens: 10, costUSD: 0.001 };
  const teacher = {
    specificationVersion: 'v1' as const,
    kind: 'teacher' as const,
    name: 'fake-teacher',
    calls: 0,
    reference: async (task: Task) => ({ code: task.reference ?? 'REF', source: task.reference ? ('task' as const) : ('teacher' as const) }),
    score: async (task: Task, candidates: readonly { code: string }[]) => {
      teacher.calls++;
      if (options.failTasks?.has(task.id)) throw new Error('provider unavailable');
      usage = addUsage(usage, perCall);
      return {
        scores: candidates.map((c) => uniformScore(c.code === 'GOOD' ? 0.9 : 0.1, c.code)),
        referenceScore: uniformScore(1),
        usage: perCall,
      };
    },
    usage: () => usage,
  };
  return teacher;
}

export function recordingSink(): MetricsSink & { scalars: Map<string, [number, number][]>; summaries: unknown[] } {
  const scalars = new Map<string, [number, number][]>();
  const summaries: unknown[] = [];
  return {
    specificationVersion: 'v1',
    kind: 'sink',
    name: 'recording',
    scalars,
    summaries,
    write(step, values) {
      for (const [tag, value] of Object.entries(values)) {
        if (!scalars.has(tag)) scalars.set(tag, []);
        scalars.get(tag)!.push([step, value]);
      }
    },
    writeSummary(record) {
      summaries.push(record);
    },
    flush: async () => undefined,
  };
}
