/**
 * The teacher kit: what every LLM teacher package shares — the rubric, the tolerant judgement
 * parser, retries, rate limits, circuit breaker, response cache, prices, budget and batch scoring.
 */
export { createLlmTeacher } from './llm-teacher.js';
export type { LlmTeacher, LlmTeacherParts } from './llm-teacher.js';
export type { LlmTeacherOptions, ProviderConnectionOptions } from './teacher-options.js';
export type {
  BatchAdapter,
  BatchItem,
  BatchStatus,
  ChatMessage,
  ProviderAdapter,
  ProviderRequest,
  ProviderResponse,
  ProviderTokenUsage,
} from './provider.js';
export {
  DEFAULT_WEIGHTS,
  EVALUATIONS_SCHEMA_NAME,
  evaluationsSchema,
  MAX_SUBSCORE,
  RUBRIC_VERSION,
  referenceSystemPrompt,
  referenceUserPrompt,
  repairPrompt,
  resolveWeights,
  scoringSystemPrompt,
  scoringUserPrompt,
  submissionLabel,
} from './rubric.js';
export type { LabelledCode, RubricWeights } from './rubric.js';
export { extractJson, JudgementParseError, parseJudgement, weightedMean } from './judgement-parser.js';
export type { ParsedJudgement } from './judgement-parser.js';
export { headerRecord, isRetryableStatus, parseRetryAfter, redact, teacherErrorFromHttp, teacherErrorFromNetwork } from './http-errors.js';
export type { HttpFailure } from './http-errors.js';
export { backoffDelay, DEFAULT_RETRY_POLICY, sleep, withRetry } from './retry.js';
export type { RandomSource, RetryListener, RetryPolicy } from './retry.js';
export { parseReset, RateLimiter } from './rate-limit.js';
export type { RateLimitOptions } from './rate-limit.js';
export { CircuitBreaker } from './circuit-breaker.js';
export type { CircuitState } from './circuit-breaker.js';
export { contentHash, ResponseCache } from './response-cache.js';
export type { CacheKeyParts } from './response-cache.js';
export { costOf, DEFAULT_PRICES, findPrice } from './pricing.js';
export type { ModelPrice, PriceTable } from './pricing.js';
export { UsageMeter } from './usage-meter.js';
export { seededShuffle, seedFrom } from './seeded-shuffle.js';
