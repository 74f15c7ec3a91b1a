/** The settings every LLM teacher shares, with their defaults. */
import type { Criterion } from '../contracts/score.js';
import type { PriceTable } from './pricing.js';
import type { RetryPolicy } from './retry.js';

export interface LlmTeacherOptions {
  /** Requests in flight at once to this provider (default 4). */
  readonly maxConcurrency?: number;
  /** Token budget per minute; default: learned from the provider's rate-limit headers. */
  readonly tokensPerMinute?: number;
  /** Rubric weights (default 0.3/0.3/0.2/0.2 for correctness/quality/efficiency/documentation). */
  readonly weights?: Partial<Record<Criterion, number>>;
  /** Sampling temperature of the judge (default 0). */
  readonly temperature?: number;
  /** Output-token cap of a reference-writing call (default 2048). */
  readonly referenceMaxOutputTokens?: number;
  /** Output tokens allowed per judged submission (default 220). */
  readonly outputTokensPerSubmission?: number;
  /** Retry policy overrides (tests use tiny delays). */
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request timeout in ms (default 120000). */
  readonly timeoutMs?: number;
  /** Consecutive failed calls before the circuit opens (default 5). */
  readonly circuitBreakerThreshold?: number;
  /** Cool-down before a trial call once the circuit is open, in ms (default 30000). */
  readonly circuitBreakerCooldownMs?: number;
  /** Price overrides by model prefix, dollars per million tokens. */
  readonly prices?: PriceTable;
  /** Stop the run (RunStoppedError 'budget') once this much has been spent. */
  readonly maxCostUSD?: number;
  /** Response cache directory; default `<cacheDir>/teacher-responses/<provider>`; `false` disables the disk cache. */
  readonly cacheDir?: string | false;
  /** Seed for the listwise shuffle; default the run seed. */
  readonly seed?: number;
  /** Polling interval of batch jobs in ms (default 30000). */
  readonly batchPollIntervalMs?: number;
}

/** How a provider package reaches its API; every provider's settings extend this. */
export interface ProviderConnectionOptions {
  /** API key; default from the provider's environment variable. Never logged or cached. */
  readonly apiKey?: string;
  /** API root (a proxy, or a compatible server); default the provider's public endpoint. */
  readonly baseURL?: string;
  /** Extra HTTP headers sent with every request. */
  readonly headers?: Record<string, string>;
  /** A fetch implementation (proxies, tests). */
  readonly fetch?: typeof globalThis.fetch;
  /** Environment to read the key from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
