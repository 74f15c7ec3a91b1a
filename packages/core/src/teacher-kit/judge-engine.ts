/**
 * The machinery behind every LLM teacher: one `ask` path (response cache → budget → circuit breaker
 * → rate limiter → retries → accounting) and the listwise scoring steps that build on it.
 */
import { join } from 'node:path';
import type { TeacherUsage, Score } from '../contracts/score.js';
import { addUsage, ZERO_USAGE } from '../contracts/score.js';
import type { Task } from '../contracts/task.js';
import type { Candidate, Reference, ScoreResult } from '../contracts/teacher.js';
import type { PluginContext } from '../contracts/plugin.js';
import { RlaifError, TeacherError } from '../errors/rlaif-error.js';
import type { Logger } from '../observability/logger.js';
import { silentLogger } from '../observability/logger.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { redact } from './http-errors.js';
import { JudgementParseError, parseJudgement } from './judgement-parser.js';
import { findPrice } from './pricing.js';
import type { ProviderAdapter, ProviderRequest, ProviderResponse } from './provider.js';
import { RateLimiter } from './rate-limit.js';
import { ResponseCache } from './response-cache.js';
import type { RetryPolicy } from './retry.js';
import { DEFAULT_RETRY_POLICY, withRetry } from './retry.js';
import type { RubricWeights } from './rubric.js';
import {
  EVALUATIONS_SCHEMA_NAME,
  RUBRIC_VERSION,
  evaluationsSchema,
  repairPrompt,
  resolveWeights,
  scoringSystemPrompt,
  scoringUserPrompt,
  submissionLabel,
} from './rubric.js';
import { seedFrom, seededShuffle } from './seeded-shuffle.js';
import type { LlmTeacherOptions } from './teacher-options.js';
import { UsageMeter } from './usage-meter.js';

/** A reply with the usage it cost and its cache key. */
export interface Answer {
  readonly response: ProviderResponse;
  readonly usage: TeacherUsage;
  readonly key: string;
  readonly fromCache: boolean;
}

/** A listwise scoring request ready to send, with the label → candidate index map (-1 = reference). */
export interface PreparedScoring {
  readonly request: ProviderRequest;
  readonly labels: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly candidateCount: number;
}

/** Rough token count for budgeting before the provider tells us the real one. */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export class JudgeEngine {
  readonly weights: RubricWeights;
  readonly meter: UsageMeter;
  readonly policy: RetryPolicy;
  logger: Logger = silentLogger;
  private cache: ResponseCache = new ResponseCache(undefined);
  private readonly limiter: RateLimiter;
  private readonly breaker: CircuitBreaker;
  private seed: number;
  private cacheRoot: string | undefined;

  constructor(
    readonly adapter: ProviderAdapter,
    readonly options: LlmTeacherOptions,
    /** Secrets to scrub from every message (the API key). */
    readonly secrets: readonly (string | undefined)[],
  ) {
    this.weights = resolveWeights(options.weights);
    this.meter = new UsageMeter(adapter.provider, findPrice(adapter.provider, adapter.model, options.prices), options.maxCostUSD);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), ...options.retry };
    this.limiter = new RateLimiter({ maxConcurrency: options.maxConcurrency ?? 4, tokensPerMinute: options.tokensPerMinute });
    this.breaker = new CircuitBreaker(adapter.provider, options.circuitBreakerThreshold ?? 5, options.circuitBreakerCooldownMs ?? 30_000);
    this.seed = options.seed ?? 0;
    if (typeof options.cacheDir === 'string') this.useCacheDir(options.cacheDir);
  }

  /** Applies the run context: logger, seed and (unless overridden) the cache directory. */
  setup(context: PluginContext): void {
    this.logger = context.logger;
    if (!findPrice(this.adapter.provider, this.adapter.model, this.options.prices)) {
      const message = `no list price for ${this.adapter.provider} model ${this.adapter.model}: its cost is counted as $0; set the teacher option \`prices\` to track spend`;
      // Without a price the budget can never trigger: worth a warning, otherwise (a local server) just a note.
      if (this.options.maxCostUSD !== undefined) this.logger.warn(`${message} (maxCostUSD cannot take effect)`);
      else this.logger.info(message);
    }
    if (this.options.seed === undefined) this.seed = context.seed;
    if (this.options.cacheDir === undefined) this.useCacheDir(join(context.cacheDir, 'teacher-responses', this.adapter.provider));
  }

  private useCacheDir(dir: string): void {
    this.cacheRoot = dir;
    this.cache = new ResponseCache(dir);
  }

  /** Root of this teacher's persistent files, if any. */
  cacheDirectory(): string | undefined {
    return this.cacheRoot;
  }

  /** The cache key of a request under this provider, model and rubric. */
  keyOf(request: ProviderRequest): string {
    return this.cache.key({ provider: this.adapter.provider, model: this.adapter.model, rubricVersion: RUBRIC_VERSION, request });
  }

  /** A cached reply for `key` (counted as a cache hit), or undefined. */
  async cached(key: string): Promise<Answer | undefined> {
    const response = await this.cache.get(key);
    return response ? { response, usage: this.meter.recordCacheHit(), key, fromCache: true } : undefined;
  }

  /** Remembers a reply that proved usable. */
  async remember(key: string, response: ProviderResponse): Promise<void> {
    try {
      await this.cache.set(key, response);
    } catch (error) {
      this.logger.warn(`teacher response cache write failed: ${(error as Error).message}`, { provider: this.adapter.provider });
    }
  }

  /** Sends `request` (or answers it from the cache) with budget, breaker, limiter and retries. */
  async ask(request: ProviderRequest, signal: AbortSignal | undefined): Promise<Answer> {
    const key = this.keyOf(request);
    const hit = await this.cached(key);
    if (hit) return hit;
    this.meter.checkBudget();
    this.breaker.before();
    const estimate = approxTokens(request.system) + request.messages.reduce((n, m) => n + approxTokens(m.content), 0) + request.maxOutputTokens;
    try {
      const response = await withRetry(
        this.adapter.provider,
        async (attemptSignal) => {
          try {
            const reply = await this.adapter.complete(request, attemptSignal);
            this.limiter.observe(reply.headers);
            return reply;
          } catch (error) {
            if (error instanceof TeacherError && error.status === 429 && error.retryAfterMs !== undefined) this.limiter.pause(error.retryAfterMs);
            throw error;
          }
        },
        this.policy,
        signal,
        ({ attempt, delayMs, error }) =>
          this.logger.debug(`${this.adapter.provider} retry ${attempt} in ${Math.round(delayMs)} ms: ${redact(error.message, this.secrets)}`),
        Math.random,
        (admitSignal) => this.limiter.acquire(estimate, admitSignal),
      );
      this.breaker.success();
      return { response, usage: this.meter.recordCall(response.usage), key, fromCache: false };
    } catch (error) {
      if (error instanceof TeacherError) this.breaker.failure();
      else this.breaker.abandon();
      throw error;
    }
  }

  /** Builds the listwise request: candidates and the reference (if any), shuffled by seed, anonymously labelled. */
  prepareScoring(task: Task, candidates: readonly Candidate[], reference: Reference | null): PreparedScoring {
    const entries = candidates.map((c, index) => ({ index, code: c.code, context: c.context }));
    if (reference) entries.push({ index: -1, code: reference.code, context: reference.context });
    const shuffled = seededShuffle(entries, seedFrom(this.seed, task.id));
    const submissions = shuffled.map((entry, position) => ({ label: submissionLabel(position), code: entry.code, context: entry.context, index: entry.index }));
    const perSubmission = this.options.outputTokensPerSubmission ?? 220;
    const labels = submissions.map((s) => s.label);
    return {
      request: {
        purpose: 'score',
        system: scoringSystemPrompt(this.weights),
        messages: [{ role: 'user', content: scoringUserPrompt(task, submissions) }],
        schema: evaluationsSchema(labels),
        schemaName: EVALUATIONS_SCHEMA_NAME,
        maxOutputTokens: 200 + perSubmission * submissions.length,
        temperature: this.options.temperature ?? 0,
      },
      labels,
      indexOf: new Map(submissions.map((s) => [s.label, s.index])),
      candidateCount: candidates.length,
    };
  }

  /** Sends a prepared scoring request and turns the reply into a ScoreResult. */
  async score(prepared: PreparedScoring, task: Task, signal: AbortSignal | undefined): Promise<ScoreResult> {
    let first: Answer;
    try {
      first = await this.ask(prepared.request, signal);
    } catch (error) {
      return this.unscored(prepared, task, error, ZERO_USAGE);
    }
    return this.finish(prepared, task, first, signal);
  }

  /**
   * Parses a first answer; on a parse problem asks once more with the error (the repair retry).
   * Caches only replies that parsed completely.
   */
  async finish(prepared: PreparedScoring, task: Task, first: Answer, signal: AbortSignal | undefined): Promise<ScoreResult> {
    let usage = first.usage;
    if (first.response.refusal !== undefined) {
      const refusal = first.response.refusal.slice(0, 200);
      this.logger.warn(`${this.adapter.provider} refused to score task ${task.id}: ${refusal}`);
      return this.assemble(prepared, new Map(), usage, `judge refused: ${refusal}`);
    }
    const scores = new Map<string, Score>();
    let problem: string | undefined;
    try {
      const parsed = parseJudgement(first.response.text, prepared.labels, this.weights);
      for (const [label, score] of parsed.scores) scores.set(label, score);
      if (parsed.problems.length > 0) problem = parsed.problems.join('; ');
    } catch (error) {
      if (!(error instanceof JudgementParseError)) throw error;
      problem = error.message;
    }
    if (first.response.truncated) problem = `${problem ?? 'incomplete'} (the reply was cut off at the output limit: keep rationales shorter)`;
    if (problem === undefined) {
      if (!first.fromCache) await this.remember(first.key, first.response);
      return this.assemble(prepared, scores, usage, 'judge gave no evaluation');
    }
    const repair: ProviderRequest = {
      ...prepared.request,
      messages: [...prepared.request.messages, { role: 'assistant', content: first.response.text || '(empty)' }, { role: 'user', content: repairPrompt(problem) }],
    };
    let remaining = problem;
    try {
      const second = await this.ask(repair, signal);
      usage = addUsage(usage, second.usage);
      if (second.response.refusal === undefined) {
        const parsed = parseJudgement(second.response.text, prepared.labels, this.weights);
        for (const [label, score] of parsed.scores) scores.set(label, score);
        remaining = parsed.problems.join('; ');
        if (parsed.problems.length === 0 && !second.fromCache) await this.remember(second.key, second.response);
        else if (parsed.problems.length > 0) this.logger.warn(`${this.adapter.provider} task ${task.id}: unscored after repair: ${remaining}`);
      } else remaining = `the judge refused: ${second.response.refusal.slice(0, 200)}`;
    } catch (error) {
      if (!(error instanceof JudgementParseError || error instanceof TeacherError)) throw error;
      remaining = redact(error.message, this.secrets);
      this.logger.warn(`${this.adapter.provider} task ${task.id}: repair failed: ${remaining}`);
    }
    return this.assemble(prepared, scores, usage, `judge reply unusable after repair: ${remaining}`);
  }

  /** An all-null result after a call failure; rethrows stops, aborts and bugs. */
  unscored(prepared: PreparedScoring, task: Task, error: unknown, usage: TeacherUsage): ScoreResult {
    if (!(error instanceof TeacherError) && !(RlaifError.isInstance(error) && error.code === 'RLAIF_TEACHER')) throw error;
    const message = redact((error as Error).message, this.secrets);
    this.logger.warn(`${this.adapter.provider} task ${task.id}: ${prepared.candidateCount} candidates unscored: ${message}`);
    return this.assemble(prepared, new Map(), usage, `teacher call failed: ${message}`);
  }

  /** The result in candidate order; every candidate without a score gets `reason`. */
  private assemble(prepared: PreparedScoring, byLabel: ReadonlyMap<string, Score>, usage: TeacherUsage, reason: string): ScoreResult {
    const scores: (Score | null)[] = new Array<Score | null>(prepared.candidateCount).fill(null);
    let referenceScore: Score | null = null;
    for (const [label, index] of prepared.indexOf) {
      const score = byLabel.get(label) ?? null;
      if (index < 0) referenceScore = score;
      else scores[index] = score;
    }
    return { scores, reasons: scores.map((score) => (score ? null : reason)), referenceScore, usage };
  }
}
