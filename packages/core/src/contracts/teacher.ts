import type { Scalars } from './metrics-sink.js';
import type { PluginBase } from './plugin.js';
import type { Score, TeacherUsage } from './score.js';
import type { Language, Task } from './task.js';
import type { ToolchainStatus } from './toolchain.js';

/** A reference solution for a task. */
export interface Reference {
  readonly code: string;
  /** Where the code came from: the task's own `reference` field, or written by the teacher. */
  readonly source: 'task' | 'teacher';
  /** Trusted notes a judge should see with the code (e.g. execution results); see Candidate.context. */
  readonly context?: string;
}

/** A piece of code to score, with the raw text it came from. */
export interface Candidate {
  /** The code to judge (already extracted from any markdown fences). */
  readonly code: string;
  /** The full completion text, when different from `code`. */
  readonly text?: string;
  /**
   * Trusted notes about the code that a judge should weigh, such as what running it showed.
   * Written by rlaif (e.g. the hybrid teacher), never taken from the candidate's own output.
   */
  readonly context?: string;
}

/** Result of scoring one task's candidates. */
export interface ScoreResult {
  /** One entry per candidate, in input order; `null` = could not be scored (excluded from the gradient). */
  readonly scores: readonly (Score | null)[];
  /** Why each `null` score is null (e.g. "judge reply unusable after repair: …"), same order as `scores`. */
  readonly reasons?: readonly (string | null)[];
  /** The reference scored by the same rubric in the same call; `null` if that failed or there was no reference. */
  readonly referenceScore: Score | null;
  /** Resources this call used. */
  readonly usage: TeacherUsage;
}

/** Per-call options. */
export interface TeacherCallOptions {
  readonly signal?: AbortSignal;
}

/** One task's scoring job, for batch scoring. */
export interface ScoreRequest {
  readonly task: Task;
  readonly candidates: readonly Candidate[];
  readonly reference: Reference | null;
}

/**
 * Writes reference code and scores candidates on correctness, quality, efficiency and documentation.
 * Scores of different teachers are comparable: same four dimensions, same [0, 1] scale.
 */
export interface Teacher extends PluginBase {
  readonly specificationVersion: 'v1';
  readonly kind: 'teacher';
  /**
   * A reference solution for the task (the task's own `reference` when it has one). Implementations cache it.
   * `null` when the task has none and this teacher does not write references (it scores without one).
   */
  reference(task: Task, options?: TeacherCallOptions): Promise<Reference | null>;
  /**
   * Scores `candidates` (and `reference`, when there is one) for `task`. Never throws for a single bad
   * candidate: it is `null`, with its reason in `reasons`.
   */
  score(task: Task, candidates: readonly Candidate[], reference: Reference | null, options?: TeacherCallOptions): Promise<ScoreResult>;
  /** Scores many tasks at once through the provider's batch API (cheaper, slower); same results as `score`. */
  scoreBatch?(requests: readonly ScoreRequest[], options?: TeacherCallOptions): Promise<ScoreResult[]>;
  /** Cumulative resource use since setup. */
  usage(): TeacherUsage;
  /** Estimated usage of scoring `candidates` candidates for one task, for `--dry-run` planning; undefined if free. */
  estimate?(task: Task, candidates: number): TeacherUsage;
  /** Teachers that run code: which of `languages` they can run here, checked before a run starts. Absent = runs no code. */
  toolchains?(languages: readonly Language[]): Promise<readonly ToolchainStatus[]>;
  /** The teacher's own cumulative scalars (e.g. the exec teacher's `Sandbox/*`), recorded with every training batch. */
  metrics?(): Scalars;
}
