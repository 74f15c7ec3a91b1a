import type { Rollout } from '../contracts/rollout.js';
import type { RewardInput } from '../contracts/reward-fn.js';
import type { Score, TeacherUsage } from '../contracts/score.js';
import { ZERO_USAGE, addUsage } from '../contracts/score.js';
import type { Reference, ScoreResult, Teacher } from '../contracts/teacher.js';
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

/**
 * Asks the teacher for each group's reference and scores, `concurrency` groups at a time.
 * A task without a reference is scored without one when the teacher writes none (`reference` null).
 * A group whose calls fail is kept with every score `null` and the reason (never a crash); a budget
 * stop or an abort propagates so the run can stop cleanly.
 */
export async function scoreGroups(
  teacher: Teacher,
  groups: readonly (readonly Rollout[])[],
  options: { readonly concurrency: number; readonly signal: AbortSignal; readonly logger: Logger },
): Promise<ScoredBatch> {
  const started = performance.now();
  let usage = ZERO_USAGE;
  const scored = await mapWithConcurrency(groups, options.concurrency, async (rollouts): Promise<ScoredGroup> => {
    const task = rollouts[0]!.task;
    const unscored = (reference: Reference | null, reason: string): ScoredGroup => ({ rollouts, reference, scores: rollouts.map(() => null), reasons: rollouts.map(() => reason), referenceScore: null });
    let reference: Reference | null;
    try {
      reference = await teacher.reference(task, { signal: options.signal });
    } catch (error) {
      if (isStop(error, options.signal)) throw error;
      options.logger.warn(`teacher '${teacher.name}' wrote no reference for task ${task.id}; its ${rollouts.length} samples are unscored: ${(error as Error).message}`);
      return unscored(null, `${NO_REFERENCE}: ${(error as Error).message}`);
    }
    try {
      const result = await teacher.score(task, rollouts.map((r) => ({ code: r.code, text: r.text })), reference, { signal: options.signal });
      usage = addUsage(usage, result.usage);
      if (result.scores.length !== rollouts.length) {
        throw new RlaifError(`teacher '${teacher.name}' returned ${result.scores.length} scores for ${rollouts.length} candidates`, {
          hint: 'this is a bug in the teacher plugin: report it to its author',
        });
      }
      return { rollouts, reference, scores: result.scores, reasons: reasonsOf(result), referenceScore: result.referenceScore };
    } catch (error) {
      // A budget stop or an abort ends the run; anything else only costs this group its scores.
      if (isStop(error, options.signal)) throw error;
      options.logger.warn(`teacher '${teacher.name}' failed on task ${task.id}; its ${rollouts.length} samples are unscored: ${(error as Error).message}`);
      return unscored(reference, `teacher failed: ${(error as Error).message}`);
    }
  });
  return { groups: scored, usage, seconds: (performance.now() - started) / 1000 };
}

/** The reason of every row left unscored because no reference could be had. */
export const NO_REFERENCE = 'no reference and the teacher cannot write one';

const isStop = (error: unknown, signal: AbortSignal) => signal.aborted || (RlaifError.isInstance(error) && error.code === 'RLAIF_STOPPED');

/** A reason for every null score of `result`: the teacher's own, else a generic one. */
export function reasonsOf(result: ScoreResult): (string | null)[] {
  return result.scores.map((score, i) => (score ? null : (result.reasons?.[i] ?? 'the teacher gave no score and no reason')));
}

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
