/**
 * Tolerant reading of a judge's reply: accepts bare JSON, fenced JSON or JSON followed by prose,
 * validates every sub-score, and turns it into contract Scores (overall = weighted mean).
 */
import type { Criterion, Score, ScoreBreakdown } from '../contracts/score.js';
import { CRITERIA } from '../contracts/score.js';
import type { RubricWeights } from './rubric.js';
import { MAX_SUBSCORE } from './rubric.js';

/** The reply could not be turned into scores; `message` is shown to the judge in the repair retry. */
export class JudgementParseError extends Error {
  override readonly name = 'JudgementParseError';
}

/** Result of parsing: scores by label, plus the labels whose evaluation was missing or invalid. */
export interface ParsedJudgement {
  readonly scores: ReadonlyMap<string, Score>;
  readonly problems: readonly string[];
}

/** Finds the first JSON value in `text`: whole text, a ```json fence, or the first balanced {...}. */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') throw new JudgementParseError('the reply was empty');
  try {
    return JSON.parse(trimmed);
  } catch {
    // fall through to the tolerant paths
  }
  for (const match of trimmed.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)) {
    try {
      return JSON.parse(match[1] ?? '');
    } catch {
      // try the next fence
    }
  }
  const start = trimmed.indexOf('{');
  if (start < 0) throw new JudgementParseError('no JSON object found in the reply');
  const end = balancedEnd(trimmed, start);
  if (end < 0) throw new JudgementParseError('the JSON object is truncated (unbalanced braces)');
  try {
    return JSON.parse(trimmed.slice(start, end + 1));
  } catch (error) {
    throw new JudgementParseError(`invalid JSON: ${(error as Error).message}`);
  }
}

/** Index of the brace closing the object opened at `start`, skipping strings; -1 if never closed. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * Parses a judge reply for the given labels. Throws JudgementParseError when the reply is unusable
 * as a whole; per-label problems (missing, out of range) are listed in `problems`.
 */
export function parseJudgement(reply: unknown, labels: readonly string[], weights: RubricWeights): ParsedJudgement {
  const json = typeof reply === 'string' ? extractJson(reply) : reply;
  const evaluations = Array.isArray(json) ? json : isRecord(json) ? json['evaluations'] : undefined;
  if (!Array.isArray(evaluations)) throw new JudgementParseError('expected an object with an "evaluations" array');
  const wanted = new Set(labels);
  const scores = new Map<string, Score>();
  const problems: string[] = [];
  for (const item of evaluations) {
    if (!isRecord(item) || typeof item['label'] !== 'string') {
      problems.push('an evaluation without a string "label"');
      continue;
    }
    const label = item['label'].trim().replace(/^Submission\s+/i, '');
    if (!wanted.has(label)) {
      problems.push(`unknown label "${label}"`);
      continue;
    }
    try {
      scores.set(label, toScore(item, weights));
    } catch (error) {
      problems.push(`label ${label}: ${(error as Error).message}`);
    }
  }
  for (const label of labels) if (!scores.has(label) && !problems.some((p) => p.startsWith(`label ${label}:`))) problems.push(`label ${label}: missing`);
  return { scores, problems };
}

function toScore(item: Record<string, unknown>, weights: RubricWeights): Score {
  const breakdown = {} as Record<Criterion, number>;
  const evidence: string[] = [];
  for (const criterion of CRITERIA) {
    const entry = item[criterion];
    // Accept both {score, rationale} and a bare number: some compatible servers flatten it.
    const raw = isRecord(entry) ? entry['score'] : entry;
    const value = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${criterion} score is not a number`);
    if (value < 0 || value > MAX_SUBSCORE) throw new Error(`${criterion} score ${value} is outside 0..${MAX_SUBSCORE}`);
    breakdown[criterion] = value / MAX_SUBSCORE;
    const rationale = isRecord(entry) && typeof entry['rationale'] === 'string' ? entry['rationale'].trim() : '';
    evidence.push(`${criterion} ${value}/${MAX_SUBSCORE}${rationale ? `: ${rationale}` : ''}`);
  }
  return { overall: weightedMean(breakdown, weights), breakdown, evidence: evidence.join('; ') };
}

/** The weighted mean of a breakdown under `weights`, in [0, 1]. */
export function weightedMean(breakdown: ScoreBreakdown, weights: RubricWeights): number {
  let total = 0;
  let weightSum = 0;
  for (const c of CRITERIA) {
    total += breakdown[c] * weights[c];
    weightSum += weights[c];
  }
  return Math.min(1, Math.max(0, total / weightSum));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
