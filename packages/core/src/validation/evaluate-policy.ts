/**
 * The one evaluation pipeline: generate every task's samples, score them with the teacher, combine
 * the rewards. The run's held-out evaluations and `rlaif validate` both call it with the same chunks
 * and seeds, so the same weights give the same numbers either way.
 */
import type { GenerationResult, Generator, SamplingParams } from '../contracts/generator.js';
import type { Task } from '../contracts/task.js';
import type { Teacher } from '../contracts/teacher.js';
import type { Logger } from '../observability/logger.js';
import { combineRewards, type WeightedRewardFn } from '../rewards/combine.js';
import { EVALUATION_SEED_EPOCH, batchSeed } from '../trainer/batch-seed.js';
import { rewardInputs, scoreGroups, type ScoredBatch, type ScoredGroup } from '../trainer/scoring.js';
import { modelResults, type ModelResults } from './model-results.js';

/** The settings that decide an evaluation's numbers; a run and `rlaif validate` derive them alike. */
export interface EvaluationSettings {
  readonly samplesPerTask: number;
  /** Tasks generated in one call: `evaluationChunkTasks` of the run's batch shape. */
  readonly chunkTasks: number;
  /** Sampling of every chunk; `seed` is the run's seed, each chunk derives its own from it. */
  readonly sampling: SamplingParams;
  readonly teacherConcurrency: number;
}

/** One generated and scored chunk, as `onChunk` sees it. */
export interface EvaluatedChunk {
  /** 0-based chunk number. */
  readonly index: number;
  readonly generation: GenerationResult;
  readonly scored: ScoredBatch;
  /** Combined reward of each sample, flat in group order; null = not applicable or unscored. */
  readonly rewards: readonly (number | null)[];
  /** Each reward function's values by name, in the same order. */
  readonly rewardsByFunction: Readonly<Record<string, readonly (number | null)[]>>;
}

/**
 * Tasks per evaluation chunk: as many sequences as a training batch (batchSize × numSamplesPerPrompt),
 * so fewer samples per task means more tasks at once.
 */
export function evaluationChunkTasks(batchSize: number, numSamplesPerPrompt: number, samplesPerTask: number): number {
  return Math.max(1, Math.floor((batchSize * numSamplesPerPrompt) / Math.max(1, samplesPerTask)));
}

export async function evaluatePolicy(options: {
  readonly generator: Generator;
  readonly teacher: Teacher;
  readonly rewards: readonly WeightedRewardFn[];
  readonly tasks: readonly Task[];
  readonly settings: EvaluationSettings;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The metric step passed to reward functions. */
  readonly step?: number;
  /** Throws to stop between chunks (the trainer's Ctrl-C); default: when `signal` is aborted. */
  readonly throwIfStopped?: () => void;
  /** Called after each chunk, in order (dataset rows, usage accounting). */
  readonly onChunk?: (chunk: EvaluatedChunk) => Promise<void>;
}): Promise<ModelResults> {
  const { generator, teacher, tasks, settings, signal, logger } = options;
  const size = settings.chunkTasks;
  const generateChunk = (start: number) =>
    generator.generate(tasks.slice(start, start + size), settings.samplesPerTask, {
      ...settings.sampling,
      seed: batchSeed(settings.sampling.seed, EVALUATION_SEED_EPOCH, start),
    });
  const groups: ScoredGroup[] = [];
  const rewards: (number | null)[] = [];
  let completionTokens = 0;
  let generationSeconds = 0;
  // The policy does not change during an evaluation, so chunk k+1 is generated while chunk k is scored.
  let next: Promise<GenerationResult> | undefined = generateChunk(0);
  for (let start = 0; start < tasks.length; start += size) {
    const generation = await next!;
    (options.throwIfStopped ?? (() => signal.throwIfAborted()))();
    const scoring = scoreGroups(teacher, generation.groups, { concurrency: settings.teacherConcurrency, signal, logger });
    next = start + size < tasks.length ? generateChunk(start + size) : undefined;
    // A failed scoring must not leave the next generation's rejection unobserved.
    const scored = await scoring.catch(async (error: unknown) => {
      await next?.catch(() => undefined);
      throw error;
    });
    const combined = await combineRewards(options.rewards, rewardInputs(scored.groups), { step: options.step ?? 0, logMetric: () => undefined, warn: (message) => logger.warn(message) });
    completionTokens += generation.completionTokens;
    generationSeconds += generation.seconds;
    groups.push(...scored.groups);
    rewards.push(...combined.rewards);
    await options.onChunk?.({ index: start / size, generation, scored, rewards: combined.rewards, rewardsByFunction: combined.perFunction });
  }
  return modelResults(groups, rewards, completionTokens, generationSeconds);
}
