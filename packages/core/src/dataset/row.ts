import type { Rollout } from '../contracts/rollout.js';
import type { Score, ScoreBreakdown } from '../contracts/score.js';
import type { Reference } from '../contracts/teacher.js';

/** The three dataset files a run records, as in the reference system. */
export type DatasetSplit = 'train' | 'validation' | 'evaluation';

/** Every split, in card order. */
export const DATASET_SPLITS: readonly DatasetSplit[] = ['train', 'validation', 'evaluation'];

/** What the trainer knows about one scored sample. */
export interface DatasetRowInput {
  readonly rollout: Rollout;
  /** The teacher's score of the sample, or null when scoring failed. */
  readonly score: Score | null;
  /** Why `score` is null (e.g. "judge reply unusable after repair: …"). */
  readonly unscored?: string | null;
  /** The teacher's (or task's) reference solution, when there is one. */
  readonly reference: Reference | null;
  /** The teacher's score of the reference solution. */
  readonly teacherScore: number | null;
  readonly reward: number | null;
  /** Each reward function's value by name (null = not applicable), before weighting. */
  readonly rewardsByFunction?: Readonly<Record<string, number | null>>;
  /** Null for evaluation samples, which are not trained on. */
  readonly advantage: number | null;
  /** Epoch counter; with `batch` it makes the row id, so pass the trainer's counters unchanged. */
  readonly epoch: number;
  readonly batch: number;
  /** Optimizer step count when the sample was recorded. */
  readonly step: number;
  /**
   * Which evaluation produced a validation/evaluation row (`baseline`, `before`, `sft`, `epoch`, …):
   * lower-case letters only; part of the row id, so the same task can be evaluated in several phases.
   */
  readonly phase?: string;
}

/** One line of `datasets/<split>.jsonl`; snake_case like the reference system's files. */
export interface DatasetRow {
  /** `<split>-e<epoch>-b<batch>-s<sample>-<task id>`: stable across resume, unique per run. */
  readonly id: string;
  readonly prompt: string;
  readonly language: string;
  readonly task_id: string;
  readonly sample_index: number;
  /** The student's full completion text. */
  readonly completion: string;
  /** The code extracted from the completion. */
  readonly code: string;
  /** The reference (teacher) code. */
  readonly reference: string | null;
  /** Where the reference came from: the task file or the teacher. */
  readonly reference_source: Reference['source'] | null;
  /** The teacher's overall score of the student's code, 0..1. */
  readonly score: number | null;
  readonly breakdown: ScoreBreakdown | null;
  /** The teacher's score of the reference code, 0..1. */
  readonly teacher_score: number | null;
  readonly reward: number | null;
  /** Each reward function's value by name before weighting; null where one does not apply. */
  readonly reward_functions: Readonly<Record<string, number | null>>;
  readonly advantage: number | null;
  readonly evidence: string | null;
  /** Why the sample has no score; null when it has one. */
  readonly unscored: string | null;
  readonly epoch: number;
  readonly batch: number;
  readonly step: number;
  readonly policy_version: number;
  /** Completion tokens sampled. */
  readonly tokens: number;
  readonly prompt_tokens: number;
  readonly finish_reason: Rollout['finishReason'];
  /** The task's extra JSONL fields. */
  readonly task_extra: Readonly<Record<string, unknown>>;
  /** The evaluation phase of a validation/evaluation row, null for training rows. */
  readonly phase: string | null;
  /** When the row was recorded (ISO 8601); the only field that differs after a resume. */
  readonly timestamp: string;
  // The reference system's field names, so its users' scripts and `load_dataset` columns keep working.
  /** = `code`. */
  readonly student_code: string;
  /** = `reference`. */
  readonly teacher_code: string | null;
  /** = `score`. */
  readonly student_score: number | null;
  /** = `breakdown` under the reference's criterion names (`quality` is `code_quality`). */
  readonly scoring_breakdown: ReferenceScoringBreakdown | null;
}

/** The teacher's per-criterion scores, 0..1, as the reference system names them. */
export interface ReferenceScoringBreakdown {
  readonly correctness: number;
  readonly code_quality: number;
  readonly efficiency: number;
  readonly documentation: number;
}

/**
 * The row id. Injective: the split, the optional phase (letters only), `e<n>`, `b<n>` and `s<n>`
 * parts contain no free text, and the task id (which may contain `-`) comes last, so distinct
 * inputs never share an id.
 */
export function datasetRowId(split: DatasetSplit, epoch: number, batch: number, sampleIndex: number, taskId: string, phase?: string): string {
  if (phase !== undefined && !/^[a-z]+$/.test(phase)) throw new RangeError(`dataset row phase must be lower-case letters, got '${phase}'`);
  return `${split}-${phase === undefined ? '' : `${phase}-`}e${epoch}-b${batch}-s${sampleIndex}-${taskId}`;
}

/** Builds the row for `input` in `split`, stamped with `timestamp`. */
export function buildDatasetRow(split: DatasetSplit, input: DatasetRowInput, timestamp: string): DatasetRow {
  const { rollout, score } = input;
  return {
    id: datasetRowId(split, input.epoch, input.batch, rollout.sampleIndex, rollout.task.id, input.phase),
    prompt: rollout.task.prompt,
    language: rollout.task.language,
    task_id: rollout.task.id,
    sample_index: rollout.sampleIndex,
    completion: rollout.text,
    code: rollout.code,
    reference: input.reference?.code ?? null,
    reference_source: input.reference?.source ?? null,
    score: score?.overall ?? null,
    breakdown: score?.breakdown ?? null,
    teacher_score: input.teacherScore,
    reward: input.reward,
    reward_functions: input.rewardsByFunction ?? {},
    advantage: input.advantage,
    evidence: score?.evidence ?? null,
    unscored: score ? null : (input.unscored ?? null),
    epoch: input.epoch,
    batch: input.batch,
    step: input.step,
    policy_version: rollout.policyVersion,
    tokens: rollout.completionTokens.length,
    prompt_tokens: rollout.promptTokens.length,
    finish_reason: rollout.finishReason,
    task_extra: rollout.task.extra,
    phase: input.phase ?? null,
    timestamp,
    student_code: rollout.code,
    teacher_code: input.reference?.code ?? null,
    student_score: score?.overall ?? null,
    scoring_breakdown: score
      ? { correctness: score.breakdown.correctness, code_quality: score.breakdown.quality, efficiency: score.breakdown.efficiency, documentation: score.breakdown.documentation }
      : null,
  };
}
