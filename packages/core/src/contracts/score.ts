/** The four rubric dimensions, each a number in [0, 1]. */
export interface ScoreBreakdown {
  readonly correctness: number;
  readonly quality: number;
  readonly efficiency: number;
  readonly documentation: number;
}

export type Criterion = keyof ScoreBreakdown;

export const CRITERIA: readonly Criterion[] = ['correctness', 'quality', 'efficiency', 'documentation'];

/** What running a candidate against the task's tests showed (executing teachers only). */
export interface ExecutionResult {
  /** False when compilation (or Python's syntax check) failed. */
  readonly compiled: boolean;
  readonly testsPassed: number;
  readonly testsTotal: number;
  readonly timedOut: boolean;
  /** Total wall time of the test runs, in milliseconds. */
  readonly runtimeMs: number;
  /** Per-test verdicts, in the order the tests were given. */
  readonly tests: readonly { readonly name: string; readonly passed: boolean; readonly ms: number; readonly detail?: string }[];
}

/**
 * A teacher's judgement of one piece of code.
 * Invariant: every number is finite and in [0, 1]; `overall` is the weighted mean of `breakdown`
 * under the teacher's rubric weights.
 */
export interface Score {
  readonly overall: number;
  readonly breakdown: ScoreBreakdown;
  /** Short human-readable justification: failing tests, compiler errors, the judge's rationale. */
  readonly evidence: string;
  readonly execution?: ExecutionResult;
}

/** Teacher resource use, cumulative or per call. Tokens are provider-reported counts. */
export interface TeacherUsage {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens served from the provider's prompt cache (billed at a discount). */
  readonly cachedInputTokens: number;
  /** Calls answered from rlaif's on-disk response cache (no tokens spent). */
  readonly cacheHits: number;
  /** Estimated spend in US dollars from the price table. */
  readonly costUSD: number;
}

export const ZERO_USAGE: TeacherUsage = Object.freeze({
  requests: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheHits: 0,
  costUSD: 0,
});

export function addUsage(a: TeacherUsage, b: TeacherUsage): TeacherUsage {
  return {
    requests: a.requests + b.requests,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheHits: a.cacheHits + b.cacheHits,
    costUSD: a.costUSD + b.costUSD,
  };
}
