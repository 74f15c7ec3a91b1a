/**
 * Builds a contract Teacher from a provider adapter: references cached per task, listwise scoring
 * with the reference in the same request, usage and estimates, and optional batch scoring.
 */
import type { PluginContext } from '../contracts/plugin.js';
import type { TeacherUsage } from '../contracts/score.js';
import { ZERO_USAGE } from '../contracts/score.js';
import type { Task } from '../contracts/task.js';
import type { Reference, ScoreRequest, ScoreResult, Teacher, TeacherCallOptions } from '../contracts/teacher.js';
import { TeacherError } from '../errors/rlaif-error.js';
import { scoreThroughBatch } from './batch-scoring.js';
import { extractCode, looksLikeCode } from '../util/extract-code.js';
import { approxTokens, JudgeEngine } from './judge-engine.js';
import { costOf, findPrice } from './pricing.js';
import type { BatchAdapter, ProviderAdapter, ProviderRequest } from './provider.js';
import { contentHash } from './response-cache.js';
import { referenceRepairPrompt, referenceSystemPrompt, referenceUserPrompt, scoringSystemPrompt } from './rubric.js';
import type { LlmTeacherOptions } from './teacher-options.js';

/** A Teacher backed by an LLM provider. */
export interface LlmTeacher extends Teacher {
  estimate(task: Task, candidates: number): TeacherUsage;
  /** Scores many tasks through the provider's batch API (cheaper, slower); same results as `score`. */
  scoreBatch(requests: readonly ScoreRequest[], options?: TeacherCallOptions): Promise<ScoreResult[]>;
}

/** What a provider package hands to the kit. */
export interface LlmTeacherParts {
  readonly name: string;
  readonly adapter: ProviderAdapter;
  /** Batch support; when absent, `scoreBatch` scores with direct calls. */
  readonly batch?: BatchAdapter;
  readonly options: LlmTeacherOptions;
  /** Values never to appear in messages or files (the API key). */
  readonly secrets: readonly (string | undefined)[];
}

/** Assumed size of a candidate when estimating before any exist. */
const ESTIMATED_CANDIDATE_CHARS = 1600;
const ESTIMATED_REFERENCE_OUTPUT_TOKENS = 600;
const ESTIMATED_OUTPUT_TOKENS_PER_SUBMISSION = 150;

/** Creates the Teacher; providers call this from their factory. */
export function createLlmTeacher(parts: LlmTeacherParts): LlmTeacher {
  const engine = new JudgeEngine(parts.adapter, parts.options, parts.secrets);
  const references = new Map<string, Promise<Reference>>();

  /** The code of a reference reply, or '' when it holds none (a refusal, prose): a fenced block, or unfenced text that reads as code. */
  const codeOf = (task: Task, text: string, refusal: string | undefined): string => {
    const code = refusal === undefined ? extractCode(text, task.language) : '';
    return text.includes('```') || looksLikeCode(code, task.language) ? code : '';
  };

  /** Asks for reference code; a reply without code is rejected and asked for once more, never used. */
  async function writeReference(task: Task, signal: AbortSignal | undefined): Promise<Reference> {
    const request: ProviderRequest = {
      purpose: 'reference',
      system: referenceSystemPrompt(),
      messages: [{ role: 'user', content: referenceUserPrompt(task) }],
      maxOutputTokens: parts.options.referenceMaxOutputTokens ?? 2048,
      temperature: parts.options.temperature ?? 0,
    };
    let answer = await engine.ask(request, signal);
    let code = codeOf(task, answer.response.text, answer.response.refusal);
    if (code === '') {
      engine.logger.warn(`${parts.adapter.provider} wrote no reference code for task ${task.id}; asking once more`);
      const retry: ProviderRequest = {
        ...request,
        messages: [...request.messages, { role: 'assistant', content: answer.response.text || '(empty)' }, { role: 'user', content: referenceRepairPrompt() }],
      };
      answer = await engine.ask(retry, signal);
      code = codeOf(task, answer.response.text, answer.response.refusal);
    }
    if (code === '') {
      throw new TeacherError(`${parts.adapter.provider} wrote no reference code for task ${task.id} (asked twice)`, parts.adapter.provider, false, {
        hint: `add a \`reference\` field to task ${task.id} in the prompts file, or use a stronger teacher model`,
      });
    }
    if (!answer.fromCache) await engine.remember(answer.key, answer.response);
    return { code, source: 'teacher' };
  }

  return {
    specificationVersion: 'v1',
    kind: 'teacher',
    name: parts.name,

    async setup(context: PluginContext) {
      engine.setup(context);
    },

    reference(task, options) {
      if (task.reference !== undefined && task.reference.trim() !== '') return Promise.resolve({ code: task.reference, source: 'task' });
      const key = contentHash({ language: task.language, prompt: task.prompt, tests: task.tests });
      let pending = references.get(key);
      if (!pending) {
        pending = writeReference(task, options?.signal);
        references.set(key, pending);
        // A failed reference is not remembered, so the next call tries again.
        pending.catch(() => references.delete(key));
      }
      return pending;
    },

    score(task, candidates, reference, options) {
      if (candidates.length === 0) return Promise.resolve({ scores: [], referenceScore: null, usage: ZERO_USAGE });
      return engine.score(engine.prepareScoring(task, candidates, reference), task, options?.signal);
    },

    async scoreBatch(requests, options) {
      if (!parts.batch) return Promise.all(requests.map((r) => engine.score(engine.prepareScoring(r.task, r.candidates, r.reference), r.task, options?.signal)));
      return scoreThroughBatch(engine, parts.batch, requests, options?.signal);
    },

    usage() {
      return engine.meter.snapshot();
    },

    estimate(task, candidates) {
      const price = findPrice(parts.adapter.provider, parts.adapter.model, parts.options.prices);
      const candidateChars = Math.max(ESTIMATED_CANDIDATE_CHARS, (task.reference?.length ?? 0) * 1.5);
      let inputTokens = approxTokens(scoringSystemPrompt(engine.weights)) + approxTokens(task.prompt) + approxTokens(task.tests ?? '') + 40;
      inputTokens += (candidates + 1) * (approxTokens('x'.repeat(candidateChars)) + 12);
      let outputTokens = (candidates + 1) * ESTIMATED_OUTPUT_TOKENS_PER_SUBMISSION;
      let requests = 1;
      if (!task.reference) {
        inputTokens += approxTokens(referenceSystemPrompt() + referenceUserPrompt(task));
        outputTokens += ESTIMATED_REFERENCE_OUTPUT_TOKENS;
        requests++;
      }
      const costUSD = costOf({ inputTokens, outputTokens, cachedInputTokens: 0, cacheWriteTokens: 0 }, price);
      return { requests, inputTokens, outputTokens, cachedInputTokens: 0, cacheHits: 0, costUSD };
    },
  };
}
