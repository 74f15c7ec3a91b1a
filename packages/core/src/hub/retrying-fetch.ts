/**
 * A `fetch` for @huggingface/hub that retries what another attempt can fix — connection errors,
 * 408, 429 and 5xx — with the teachers' backoff (full jitter, honouring retry-after). Request bodies
 * from the hub client are strings and Blobs, so a retry sends the same bytes again.
 */
import { backoffDelay, sleep, type RetryPolicy } from '../teacher-kit/retry.js';
import { headerRecord, parseRetryAfter } from '../teacher-kit/http-errors.js';

/**
 * Retries of hub requests: an upload should fail in minutes, not hours. `timeoutMs` is not applied:
 * sending a large file takes as long as it takes, and a stalled connection ends in undici's own timeouts.
 */
export const HUB_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
  timeoutMs: 600_000,
});

/** Called before each wait: what failed and how long until the next attempt. */
export type HubRetryListener = (info: { attempt: number; delayMs: number; method: string; url: string; reason: string }) => void;

/** Options of `retryingFetch`. */
export interface RetryingFetchOptions {
  readonly policy?: RetryPolicy;
  readonly onRetry?: HubRetryListener;
  /** Aborts waits and requests (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** The underlying fetch (tests inject faults through a local server instead). */
  readonly fetch?: typeof fetch;
  /** Random source in [0, 1) for the jitter. */
  readonly random?: () => number;
}

/** Statuses a later attempt may get past; 409 is not one here (the hub means "exists" or "conflict"). */
export function isRetryableHubStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Wraps `fetch` so that transient failures are retried; the final response or error is returned as is. */
export function retryingFetch(options: RetryingFetchOptions = {}): typeof fetch {
  const policy = options.policy ?? HUB_RETRY_POLICY;
  const inner = options.fetch ?? globalThis.fetch;
  return async (input, init) => {
    const method = init?.method ?? 'GET';
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      let reason: string;
      let retryAfterMs: number | undefined;
      try {
        const signal = init?.signal && options.signal ? AbortSignal.any([init.signal, options.signal]) : (init?.signal ?? options.signal);
        const response = await inner(input, { ...init, ...(signal ? { signal } : {}) });
        if (!isRetryableHubStatus(response.status) || attempt >= policy.maxRetries) return response;
        retryAfterMs = parseRetryAfter(headerRecord(response.headers));
        if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return response;
        reason = `HTTP ${response.status}`;
        await response.body?.cancel().catch(() => undefined);
      } catch (error) {
        if (init?.signal?.aborted || options.signal?.aborted || attempt >= policy.maxRetries) throw error;
        reason = describeNetworkError(error);
      }
      const delayMs = backoffDelay(attempt, policy, retryAfterMs, options.random);
      options.onRetry?.({ attempt: attempt + 1, delayMs, method, url, reason });
      await sleep(delayMs, options.signal);
    }
  };
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}
