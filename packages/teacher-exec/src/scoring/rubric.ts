/**
 * The exec teacher's rubric: turns what running the code showed into the four-part Score.
 *
 *   correctness   = testsPassed / testsTotal; 0 if it does not compile or any test times out
 *   quality       = max(0, 1 − 0.15 · findings); findings = compiler warnings in the candidate's
 *                   own lines (+ lint for Python); 0 if it does not compile
 *   efficiency    = clamp((ref + 1 ms) / (cand + 1 ms), 0, 1) over the tests both passed, with
 *                   in-harness run times; 0 if correctness is 0; 1 if nothing is comparable
 *   documentation = see documentation.ts
 *   overall       = Σ weightᵢ · dimensionᵢ / Σ weightᵢ   (default weights 0.3 / 0.3 / 0.2 / 0.2)
 */
import type { Score, ScoreBreakdown } from '@rlaif/core';
import { ConfigError } from '@rlaif/core';
import type { ExecutionOutcome } from '../runner/executor.js';
import type { DocumentationFacts } from './documentation.js';

/** Weight of each dimension in `overall`. */
export type RubricWeights = ScoreBreakdown;

export const DEFAULT_WEIGHTS: RubricWeights = Object.freeze({ correctness: 0.3, quality: 0.3, efficiency: 0.2, documentation: 0.2 });

/** Quality lost per warning or lint finding. */
export const WARNING_PENALTY = 0.15;

/** Added to both run times so sub-millisecond noise does not decide efficiency. */
const EFFICIENCY_SLACK_NS = 1_000_000;

/** Checks and completes user-given weights. */
export function resolveWeights(weights: Partial<RubricWeights> | undefined, keyPath = 'teacher.weights'): RubricWeights {
  const merged = { ...DEFAULT_WEIGHTS, ...weights };
  for (const [key, value] of Object.entries(merged)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new ConfigError(`weight ${key} must be a finite number ≥ 0, got ${String(value)}`, `${keyPath}.${key}`, undefined, { hint: `set ${keyPath}.${key} to a number such as ${DEFAULT_WEIGHTS[key as keyof RubricWeights]}` });
    }
  }
  if (Object.values(merged).reduce((a, b) => a + b, 0) <= 0) {
    throw new ConfigError('at least one weight must be positive', keyPath, undefined, { hint: 'e.g. { correctness: 0.3, quality: 0.3, efficiency: 0.2, documentation: 0.2 }' });
  }
  return merged;
}

const clamp = (value: number) => Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));

/** Weighted mean of a breakdown. */
export function overallOf(breakdown: ScoreBreakdown, weights: RubricWeights): number {
  const total = weights.correctness + weights.quality + weights.efficiency + weights.documentation;
  return clamp((breakdown.correctness * weights.correctness + breakdown.quality * weights.quality + breakdown.efficiency * weights.efficiency + breakdown.documentation * weights.documentation) / total);
}

/** Efficiency of `candidate` against `reference` (see the module doc). */
export function efficiencyOf(candidate: ExecutionOutcome, reference: ExecutionOutcome | undefined, correctness: number): number {
  if (correctness === 0) return 0;
  if (reference === undefined) return 1;
  let candidateNs = 0;
  let referenceNs = 0;
  let shared = 0;
  for (const [name, ns] of Object.entries(candidate.testNs)) {
    const referenceTime = reference.testNs[name];
    if (referenceTime === undefined) continue;
    candidateNs += ns;
    referenceNs += referenceTime;
    shared++;
  }
  if (shared === 0) return 1;
  return clamp((referenceNs + EFFICIENCY_SLACK_NS) / (candidateNs + EFFICIENCY_SLACK_NS));
}

function evidenceOf(outcome: ExecutionOutcome, documentation: DocumentationFacts): string {
  const { execution } = outcome;
  const parts: string[] = [];
  if (!execution.compiled) {
    parts.push(`does not compile: ${outcome.compileErrors.join(' | ') || 'compiler failed'}`);
  } else {
    parts.push(`tests ${execution.testsPassed}/${execution.testsTotal} passed`);
    const failed = execution.tests.filter((test) => !test.passed && test.detail !== 'skipped after a timeout');
    if (failed.length > 0) parts.push(`failed: ${failed.slice(0, 3).map((test) => `${test.name} (${test.detail ?? 'failed'})`).join('; ')}${failed.length > 3 ? `; +${failed.length - 3} more` : ''}`);
    if (execution.timedOut) parts.push('timed out: correctness 0');
  }
  if (outcome.warnings.length > 0) parts.push(`${outcome.warnings.length} warning(s): ${outcome.warnings.slice(0, 2).join('; ')}`);
  parts.push(`documented ${documentation.documented}/${documentation.definitions} definitions, ${documentation.commentLines} comment lines`);
  return parts.join('. ');
}

/** The Score of one executed piece of code. */
export function scoreOutcome(outcome: ExecutionOutcome, documentation: DocumentationFacts, reference: ExecutionOutcome | undefined, weights: RubricWeights): Score {
  const { execution } = outcome;
  const correctness = !execution.compiled || execution.timedOut || execution.testsTotal === 0 ? 0 : execution.testsPassed / execution.testsTotal;
  const breakdown: ScoreBreakdown = {
    correctness: clamp(correctness),
    quality: execution.compiled ? clamp(1 - WARNING_PENALTY * outcome.warnings.length) : 0,
    efficiency: efficiencyOf(outcome, reference, correctness),
    documentation: clamp(documentation.score),
  };
  return { overall: overallOf(breakdown, weights), breakdown, evidence: evidenceOf(outcome, documentation), execution };
}
