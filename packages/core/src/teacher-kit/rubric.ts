/**
 * The shared, versioned judging rubric: the reference-solution prompt, the listwise scoring prompt
 * and the JSON schema every provider is asked to fill. Bump RUBRIC_VERSION when any text changes,
 * so cached responses written under the old wording are not reused.
 */
import type { Criterion } from '../contracts/score.js';
import { CRITERIA } from '../contracts/score.js';
import type { Language, Task } from '../contracts/task.js';
import { ConfigError } from '../errors/rlaif-error.js';

/** Changes whenever the prompts or the schema change; part of every response-cache key. */
export const RUBRIC_VERSION = 'rubric-v1';

/** Highest integer sub-score the judge may give; sub-scores are divided by it to land in [0, 1]. */
export const MAX_SUBSCORE = 10;

/** Relative weight of each criterion in `overall`. */
export type RubricWeights = Readonly<Record<Criterion, number>>;

/** The reference system's weighting. */
export const DEFAULT_WEIGHTS: RubricWeights = Object.freeze({ correctness: 0.3, quality: 0.3, efficiency: 0.2, documentation: 0.2 });

const LANGUAGE_NAMES: Record<Language, string> = { python: 'Python', cpp: 'C++', rust: 'Rust' };

const CRITERION_HELP: Record<Criterion, string> = {
  correctness: 'does it solve the task for all valid inputs, including edge cases, and would it compile/run',
  quality: 'readability, idiomatic use of the language, naming, structure, error handling',
  efficiency: 'time and memory complexity relative to the best reasonable approach',
  documentation: 'useful docstrings/comments and clear explanation of non-obvious choices',
};

/** Checks user weights (non-negative, finite, not all zero) and fills missing ones with defaults. */
export function resolveWeights(weights: Partial<Record<Criterion, number>> | undefined, keyPath = 'teacher.weights'): RubricWeights {
  const merged = { ...DEFAULT_WEIGHTS, ...(weights ?? {}) };
  for (const key of Object.keys(merged)) {
    if (!(CRITERIA as readonly string[]).includes(key)) {
      throw new ConfigError(`unknown rubric criterion "${key}"`, `${keyPath}.${key}`, undefined, { hint: `use only ${CRITERIA.join(', ')}` });
    }
    const value = merged[key as Criterion];
    if (!Number.isFinite(value) || value < 0) {
      throw new ConfigError(`weight must be a finite number >= 0, got ${String(value)}`, `${keyPath}.${key}`, undefined, { hint: 'use e.g. 0.3' });
    }
  }
  if (CRITERIA.every((c) => merged[c] === 0)) {
    throw new ConfigError('all rubric weights are 0', keyPath, undefined, { hint: 'give at least one criterion a positive weight' });
  }
  return Object.freeze(merged);
}

/** The system prompt shared by every scoring call (identical text, so providers can cache it). */
export function scoringSystemPrompt(weights: RubricWeights): string {
  const lines = CRITERIA.map((c) => `- ${c} (weight ${weights[c]}): ${CRITERION_HELP[c]}`);
  return [
    'You are a strict, consistent senior engineer grading code submissions for a programming task.',
    'Grade every submission independently on these criteria, each as an integer from 0 (worst) to ' + `${MAX_SUBSCORE} (best):`,
    ...lines,
    'Submissions are labelled anonymously and listed in random order; their order and labels carry no meaning.',
    'For each criterion give the integer score and a one-line rationale (at most 25 words).',
    'Reply with JSON only, no prose and no markdown, of this shape:',
    '{"evaluations":[{"label":"A","correctness":{"score":7,"rationale":"..."},"quality":{"score":6,"rationale":"..."},' +
      '"efficiency":{"score":8,"rationale":"..."},"documentation":{"score":5,"rationale":"..."}}]}',
    'Include exactly one evaluation per submission label.',
  ].join('\n');
}

/** One anonymous submission shown to the judge. */
export interface LabelledCode {
  readonly label: string;
  readonly code: string;
  /** Trusted notes shown after the code (execution results from the hybrid teacher). */
  readonly context?: string;
}

/** The task-specific part of a listwise scoring request. */
export function scoringUserPrompt(task: Task, submissions: readonly LabelledCode[]): string {
  const language = LANGUAGE_NAMES[task.language];
  const parts = [`Task (${language}):`, task.prompt.trim()];
  if (task.tests) parts.push('', 'Tests the code should pass:', fence(task.language, task.tests));
  parts.push('', `There are ${submissions.length} submissions: ${submissions.map((s) => s.label).join(', ')}.`);
  for (const s of submissions) {
    parts.push('', `Submission ${s.label}:`, fence(task.language, s.code));
    if (s.context) parts.push(`Notes on submission ${s.label} (from running it; trusted):`, s.context.trim());
  }
  return parts.join('\n');
}

/** The system prompt for writing a reference solution. */
export function referenceSystemPrompt(): string {
  return [
    'You are an expert programmer writing a reference solution for a programming task.',
    'Write correct, idiomatic, efficient and well-documented code in the requested language.',
    'Reply with exactly one fenced code block containing the complete solution and nothing else.',
  ].join('\n');
}

/** The user prompt asking for reference code in the task's language. */
export function referenceUserPrompt(task: Task): string {
  const language = LANGUAGE_NAMES[task.language];
  const parts = [`Write a reference solution in ${language} for this task:`, task.prompt.trim()];
  if (task.tests) parts.push('', 'It must pass these tests:', fence(task.language, task.tests));
  return parts.join('\n');
}

/** The message sent after a reference reply that held no code (a refusal or prose). */
export function referenceRepairPrompt(): string {
  return 'Your reply contained no code. Reply again with exactly one fenced code block containing the complete solution.';
}

/** The message sent after an unparseable reply, asking for a corrected one. */
export function repairPrompt(error: string): string {
  return `Your reply could not be used: ${error}\nReply again with only the JSON object described above, covering every submission label.`;
}

/** Labels A..Z, then AA, AB, ...: short, anonymous and unambiguous. */
export function submissionLabel(index: number): string {
  let label = '';
  let n = index;
  do {
    label = String.fromCharCode(65 + (n % 26)) + label;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return label;
}

const criterionSchema = {
  type: 'object',
  properties: {
    score: { type: 'integer', minimum: 0, maximum: MAX_SUBSCORE },
    rationale: { type: 'string' },
  },
  required: ['score', 'rationale'],
  additionalProperties: false,
} as const;

/**
 * JSON schema of the judge's reply to one request (strict-mode compatible: every property required,
 * no extras). `label` is an enum of this request's labels and the array holds exactly one evaluation
 * per label, so a provider that enforces schemas cannot name a submission that does not exist.
 */
export function evaluationsSchema(labels: readonly string[]): Readonly<Record<string, unknown>> {
  return {
    type: 'object',
    properties: {
      evaluations: {
        type: 'array',
        minItems: labels.length,
        maxItems: labels.length,
        items: {
          type: 'object',
          properties: {
            label: { type: 'string', enum: [...labels] },
            correctness: criterionSchema,
            quality: criterionSchema,
            efficiency: criterionSchema,
            documentation: criterionSchema,
          },
          required: ['label', 'correctness', 'quality', 'efficiency', 'documentation'],
          additionalProperties: false,
        },
      },
    },
    required: ['evaluations'],
    additionalProperties: false,
  };
}

/** Name used for the schema in tool / response-format declarations. */
export const EVALUATIONS_SCHEMA_NAME = 'submit_evaluations';

function fence(language: Language, code: string): string {
  const tag = language === 'cpp' ? 'cpp' : language;
  // A longer fence than any run of backticks inside keeps the code block intact.
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${tag}\n${code.replace(/\s+$/, '')}\n${ticks}`;
}
