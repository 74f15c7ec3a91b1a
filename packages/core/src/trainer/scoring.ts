import type { Rollout } from '../contracts/rollout.js';
import type { RewardInput } from '../contracts/reward-fn.js';
import type { Score, TeacherUsage } from '../contracts/score.js';
import { ZERO_USAGE, addUsage } from '../contracts/score.js';
import type { Task } from '../contracts/task.js';
import type { Candidate, Reference, ScoreResult, Teacher } from '../contracts/teacher.js';
import { RlaifError } from '../errors/index.js';
import type { Logger } from '../observability/logger.js';
import { mapWithConcurrency } from './concurrency.js';

/** One task's samples with the teacher's verdicts. */
export interface ScoredGroup {
  readonly rollouts: readonly Rollout[];
  /** `null` when the task has none and the teacher writes none: scored on its tests alone. */
  readonly reference: Reference | null;
  /** Same order as `rollouts`; `null` = unscored (excluded from the gradient, counted in metrics). */
  readonly scores: readonly (Score | null)[];
  /** Why each unscored rollout is unscored; `null` where it was scored. */
  readonly reasons: readonly (string | null)[];
  readonly referenceScore: Score | null;
}

export interface ScoredBatch {
  readonly groups: readonly ScoredGroup[];
  /** Teacher usage of this batch (reference and scoring calls). */
  readonly usage: TeacherUsage;
  readonly seconds: number;
}

/** The teacher's verdict on one task's candidates. */
export interface TaskVerdict {
  readonly reference: Reference | null;
  readonly scores: readonly (Score | null)[];
  /** Why each unscored candidate is unscored; `null` where it was scored. */
  readonly reasons: readonly (string | null)[];
  readonly referenceScore: Score | null;
  readonly usage: TeacherUsage;
}

/**
 * Asks the teacher for the task's reference, then scores `candidates` (without a reference when the
 * teacher writes none). Failed calls leave every candidate `null` with the reason (never a crash);
 * a budget stop or an abort propagates so the caller can stop cleanly.
 */
export async function scoreTask(
  teacher: Teacher,
  task: Task,
  candidates: readonly Candidate[],
  options: { readonly signal: AbortSignal; readonly logger: Logger },
): Promise<TaskVerdict> {
  const unscored = (reference: Reference | null, reason: string): TaskVerdict => ({
    reference,
    scores: candidates.map(() => null),
    reasons: candidates.map(() => reason),
    referenceScore: null,
    usage: ZERO_USAGE,
  });
  let reference: Reference | null;
  try {
    reference = await teacher.reference(task, { signal: options.signal });
  } catch (error) {
    if (isStop(error, options.signal)) throw error;
    options.logger.warn(`teacher '${teacher.name}' wrote no reference for task ${task.id}; its ${candidates.length} samples are unscored: ${(error as Error).message}`);
    return unscored(null, `${NO_REFERENCE}: ${(error as Error).message}`);
  }
  try {
    const result = await teacher.score(task, candidates, reference, { signal: options.signal });
    return { reference, ...checkedResult(teacher, result, candidates.length) };
  } catch (error) {
    // A budget stop or an abort ends the run; anything else only costs this task its scores.
    if (isStop(error, options.signal)) throw error;
    options.logger.warn(`teacher '${teacher.name}' failed on task ${task.id}; its ${candidates.length} samples are unscored: ${(error as Error).message}`);
    return unscored(reference, `teacher failed: ${(error as Error).message}`);
  }
}

/** A teacher's result with a reason for every null score; a wrong number of scores is a plugin bug. */
export function checkedResult(teacher: Teacher, result: ScoreResult, candidates: number): Omit<TaskVerdict, 'reference'> {
  if (result.scores.length !== candidates) {
    throw new RlaifError(`teacher '${teacher.name}' returned ${result.scores.length} scores for ${candidates} candidates`, {
      hint: 'this is a bug in the teacher plugin: report it to its author',
    });
  }
  const reasons = result.scores.map((score, i) => (score ? null : (result.reasons?.[i] ?? NO_REASON)));
  return { scores: result.scores, reasons, referenceScore: result.referenceScore, usage: result.usage };
}

/** Scores each group of rollouts (one task each) with `scoreTask`, `concurrency` groups at a time. */
export async function scoreGroups(
  teacher: Teacher,
  groups: readonly (readonly Rollout[])[],
  options: { readonly concurrency: number; readonly signal: AbortSignal; readonly logger: Logger },
): Promise<ScoredBatch> {
  const started = performance.now();
  let usage = ZERO_USAGE;
  const scored = await mapWithConcurrency(groups, options.concurrency, async (rollouts): Promise<ScoredGroup> => {
    const { usage: used, ...verdict } = await scoreTask(teacher, rollouts[0]!.task, rollouts.map((r) => ({ code: r.code, text: r.text })), options);
    usage = addUsage(usage, used);
    return { rollouts, ...verdict };
  });
  return { groups: scored, usage, seconds: (performance.now() - started) / 1000 };
}

/** The reason of a null score the teacher gave no reason for. */
export const NO_REASON = 'the teacher gave no score and no reason';

/** The reason of every row left unscored because no reference could be had. */
export const NO_REFERENCE = 'no reference and the teacher cannot write one';

/** A budget stop or an abort: these end the run instead of costing one task its scores. */
export const isStop = (error: unknown, signal: AbortSignal): boolean => signal.aborted || (RlaifError.isInstance(error) && error.code === 'RLAIF_STOPPED');

/** Every rollout of `groups` with its score and reference, in batch order, as reward functions take them. */
export function rewardInputs(groups: readonly ScoredGroup[]): RewardInput[] {
  return groups.flatMap((group) =>
    group.rollouts.map((rollout, i) => ({ rollout, score: group.scores[i] ?? null, reference: group.reference, referenceScore: group.referenceScore })),
  );
}

/** Share of executed scores whose every test passed; null when no score carries an execution. */
export function passRate(scores: readonly (Score | null)[]): number | null {
  const executed = scores.filter((s) => s?.execution !== undefined && s.execution.testsTotal > 0);
  if (executed.length === 0) return null;
  return executed.filter((s) => s!.execution!.testsPassed === s!.execution!.testsTotal).length / executed.length;
}
