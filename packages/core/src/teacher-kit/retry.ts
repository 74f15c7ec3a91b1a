/**
 * The one retry policy of every LLM teacher: exponential backoff with full jitter, honouring the
 * server's retry-after, a per-attempt timeout, and no retry for errors another attempt cannot fix.
 */
import { RlaifError, TeacherError } from '../errors/rlaif-error.js';

/** Retry settings; all times in milliseconds. */
export interface RetryPolicy {
  /** Attempts after the first one. */
  readonly maxRetries: number;
  /** Backoff base: attempt k waits up to base·2^k (full jitter). */
  readonly baseDelayMs: number;
  /** Cap on one backoff wait (a longer retry-after is still honoured up to maxRetryAfterMs). */
  readonly maxDelayMs: number;
  /** Longest retry-after the policy will wait before giving up on the call. */
  readonly maxRetryAfterMs: number;
  /** Per-attempt timeout. */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxRetries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  timeoutMs: 120_000,
});

/** Called before each wait, for logging and rate-limit adaptation. */
export type RetryListener = (info: { attempt: number; delayMs: number; error: TeacherError }) => void;

/** Random source in [0, 1); injectable so tests are deterministic. */
export type RandomSource = () => number;

/** The wait before retry number `attempt` (0-based): full jitter, at least the retry-after. */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: RandomSource = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = random() * ceiling;
  return retryAfterMs === undefined ? jittered : Math.max(retryAfterMs, jittered);
}

/** Waits for permission to send (a rate limiter); resolves to the release function. */
export type Admission = (signal: AbortSignal | undefined) => Promise<() => void>;

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs or retries run out. Each attempt
 * first passes `admit` (queueing does not count against the timeout), then gets a signal that
 * aborts at the timeout or when `signal` aborts. Non-TeacherErrors are rethrown.
 */
export async function withRetry<T>(
  provider: string,
  attempt: (signal: AbortSignal) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  onRetry?: RetryListener,
  random: RandomSource = Math.random,
  admit?: Admission,
): Promise<T> {
  for (let n = 0; ; n++) {
    signal?.throwIfAborted();
    const release = admit ? await admit(signal) : undefined;
    // A plain controller (not AbortSignal.any/timeout): cheaper per call and no listener build-up on Node 20.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${policy.timeoutMs} ms`));
    }, policy.timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let error: TeacherError;
    try {
      return await attempt(controller.signal);
    } catch (caught) {
      if (signal?.aborted) throw signal.reason;
      if (timedOut) {
        error = new TeacherError(`${provider} request timed out after ${policy.timeoutMs} ms`, provider, true, {
          hint: 'raise the teacher `timeoutMs` option or lower `maxConcurrency`',
        });
      } else if (caught instanceof TeacherError || (RlaifError.isInstance(caught) && caught.code === 'RLAIF_TEACHER')) {
        error = caught as TeacherError;
      } else {
        throw caught;
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      release?.();
    }
    const tooLong = error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs;
    if (!error.retryable || n >= policy.maxRetries || tooLong) throw error;
    const delayMs = backoffDelay(n, policy, error.retryAfterMs, random);
    onRetry?.({ attempt: n + 1, delayMs, error });
    await sleep(delayMs, signal);
  }
}

/** Resolves after `ms`, or rejects with the abort reason when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
