/**
 * `hybrid()`: correctness measured by running the tests (the exec teacher), quality, efficiency
 * and documentation judged by any other Teacher (an LLM). The judge sees the execution evidence:
 * it is passed to the judge as each submission's trusted `context`.
 */
import type { Candidate, Language, PluginContext, Reference, Score, ScoreBreakdown, ScoreResult, Task, Teacher, TeacherCallOptions } from '@rlaif/core';
import { ZERO_USAGE, addUsage } from '@rlaif/core';
import { overallOf, resolveWeights } from './scoring/rubric.js';
import type { RubricWeights } from './scoring/rubric.js';

/** Settings of the hybrid teacher. */
export interface HybridTeacherSettings {
  /** The executing teacher, usually `exec()`; its correctness is kept. */
  readonly execution: Teacher;
  /** The judge for quality, efficiency and documentation (any Teacher). */
  readonly judge: Teacher;
  /** Weights of the four dimensions in `overall`; default 0.3 / 0.3 / 0.2 / 0.2. */
  readonly weights?: Partial<RubricWeights>;
}

/** What running the code showed, as trusted context for the judge. */
function executionContext(score: Score | null): string {
  return `Sandboxed test run: ${score === null ? 'the code could not be executed' : score.evidence}`;
}

function combine(execution: Score | null, judged: Score | null, weights: RubricWeights): Score | null {
  if (execution === null) return null;
  if (judged === null) return { ...execution, evidence: `${execution.evidence}. Judge gave no score: other dimensions from execution` };
  const breakdown: ScoreBreakdown = {
    correctness: execution.breakdown.correctness,
    quality: judged.breakdown.quality,
    efficiency: judged.breakdown.efficiency,
    documentation: judged.breakdown.documentation,
  };
  const score: Score = { overall: overallOf(breakdown, weights), breakdown, evidence: `${execution.evidence}. Judge: ${judged.evidence}` };
  return execution.execution === undefined ? score : { ...score, execution: execution.execution };
}

/** Creates the hybrid teacher. */
export function hybrid(settings: HybridTeacherSettings): Teacher {
  const weights = resolveWeights(settings.weights, 'teacher.weights');
  const { execution, judge } = settings;
  return {
    specificationVersion: 'v1',
    kind: 'teacher',
    name: 'hybrid',

    async setup(context: PluginContext) {
      await execution.setup?.(context);
      await judge.setup?.(context);
    },

    async close() {
      await Promise.allSettled([execution.close?.(), judge.close?.()]);
    },

    /** The task's own reference when it has one, else the judge writes it. */
    reference(task: Task, options?: TeacherCallOptions): Promise<Reference | null> {
      return task.reference !== undefined && task.reference.trim() !== '' ? execution.reference(task, options) : judge.reference(task, options);
    },

    async score(task: Task, candidates: readonly Candidate[], reference: Reference | null, options?: TeacherCallOptions): Promise<ScoreResult> {
      const executed = await execution.score(task, candidates, reference, options);
      // Every submission, the reference included, carries its evidence, so none stands out to the judge.
      const shown = candidates.map((candidate, i) => ({ ...candidate, context: executionContext(executed.scores[i] ?? null) }));
      const judged = await judge.score(task, shown, reference && { ...reference, context: executionContext(executed.referenceScore) }, options);
      return {
        scores: executed.scores.map((score, i) => combine(score, judged.scores[i] ?? null, weights)),
        // Only execution decides whether a candidate is scored, so its reasons are the reasons.
        ...(executed.reasons ? { reasons: executed.reasons } : {}),
        referenceScore: combine(executed.referenceScore, judged.referenceScore, weights),
        usage: addUsage(executed.usage, judged.usage),
      };
    },

    usage() {
      return addUsage(execution.usage(), judge.usage());
    },

    // Execution is free, so the judge's estimate is the whole estimate.
    ...(judge.estimate ? { estimate: (task: Task, count: number) => judge.estimate?.(task, count) ?? ZERO_USAGE } : {}),
    // The executing teacher is the one that needs toolchains.
    ...(execution.toolchains ? { toolchains: (languages: readonly Language[]) => execution.toolchains?.(languages) ?? Promise.resolve([]) } : {}),
    ...(execution.metrics || judge.metrics ? { metrics: () => ({ ...judge.metrics?.(), ...execution.metrics?.() }) } : {}),
  };
}
