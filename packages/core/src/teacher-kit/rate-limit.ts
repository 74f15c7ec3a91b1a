/**
 * Per-provider admission control: a concurrency limit, a token-per-minute bucket, and pauses that
 * follow the provider's own rate-limit headers (anthropic-ratelimit-*, x-ratelimit-*) and 429s.
 */

/** Limiter settings. */
export interface RateLimitOptions {
  /** Requests in flight at once. */
  readonly maxConcurrency: number;
  /** Token budget per minute (input + output estimate); undefined = learn it from headers. */
  readonly tokensPerMinute?: number;
}

/** Milliseconds until a rate-limit reset given as an RFC 3339 date or a duration like `6m0s`, `1.5s`, `20ms`. */
export function parseReset(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const duration = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(trimmed);
  if (duration && trimmed !== '') {
    const [, h, m, s, ms] = duration;
    return Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + Number(s ?? 0) * 1000 + Number(ms ?? 0);
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export class RateLimiter {
  private active = 0;
  private pausedUntil = 0;
  private tokensPerMinute: number | undefined;
  private tokens: number;
  private refilledAt: number;
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.tokensPerMinute = options.tokensPerMinute;
    this.tokens = options.tokensPerMinute ?? Number.POSITIVE_INFINITY;
    this.refilledAt = now();
  }

  /** Requests currently in flight. */
  inFlight(): number {
    return this.active;
  }

  /**
   * Waits for a slot and `estimatedTokens` of budget; returns the release function. Waiters are
   * served first come, first served, and only the head of the queue is woken (no thundering herd).
   */
  async acquire(estimatedTokens: number, signal?: AbortSignal): Promise<() => void> {
    const ticket: Waiter = { wake: () => {} };
    this.queue.push(ticket);
    try {
      for (;;) {
        signal?.throwIfAborted();
        this.refill();
        const now = this.now();
        const need = Math.min(estimatedTokens, this.tokensPerMinute ?? Number.POSITIVE_INFINITY);
        const first = this.queue[0] === ticket;
        if (first && this.active < this.options.maxConcurrency && now >= this.pausedUntil && this.tokens >= need) {
          this.active++;
          this.tokens -= need;
          let released = false;
          return () => {
            if (released) return;
            released = true;
            this.active--;
            this.queue[0]?.wake();
          };
        }
        // Only the head waits on a clock (pause, token refill, or a 1 s re-check as a safety net);
        // the others just wait for their turn.
        let waitMs: number | undefined;
        if (first && now < this.pausedUntil) waitMs = this.pausedUntil - now;
        else if (first && this.tokens < need && this.tokensPerMinute) waitMs = ((need - this.tokens) / this.tokensPerMinute) * 60_000;
        else if (first) waitMs = 1000;
        await waitForWake(ticket, waitMs, signal);
      }
    } finally {
      const index = this.queue.indexOf(ticket);
      if (index >= 0) this.queue.splice(index, 1);
      // The next waiter may fit too (free slots remain, or this one gave up).
      this.queue[0]?.wake();
    }
  }

  /** Holds all new requests for `ms` (a 429's retry-after applies to the whole account). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** Adapts to the provider's rate-limit headers from any response. */
  observe(headers: Readonly<Record<string, string>> | undefined): void {
    if (!headers) return;
    const limit = first(headers, ['anthropic-ratelimit-input-tokens-limit', 'anthropic-ratelimit-tokens-limit', 'x-ratelimit-limit-tokens']);
    if (limit !== undefined && Number(limit) > 0 && this.options.tokensPerMinute === undefined) {
      const perMinute = Number(limit);
      if (this.tokensPerMinute === undefined) this.tokens = perMinute;
      this.tokensPerMinute = perMinute;
    }
    const remainingTokens = first(headers, ['anthropic-ratelimit-input-tokens-remaining', 'anthropic-ratelimit-tokens-remaining', 'x-ratelimit-remaining-tokens']);
    if (remainingTokens !== undefined && Number.isFinite(Number(remainingTokens))) {
      // Without a known per-minute rate there is no refill clock, so only a pause may follow.
      if (this.tokensPerMinute !== undefined) this.tokens = Math.min(this.tokens, Number(remainingTokens));
      if (Number(remainingTokens) <= 0) {
        const reset = parseReset(first(headers, ['anthropic-ratelimit-input-tokens-reset', 'anthropic-ratelimit-tokens-reset', 'x-ratelimit-reset-tokens']), this.now());
        if (reset !== undefined) this.pause(reset);
      }
    }
    const remainingRequests = first(headers, ['anthropic-ratelimit-requests-remaining', 'x-ratelimit-remaining-requests']);
    if (remainingRequests !== undefined && Number(remainingRequests) <= 0) {
      const reset = parseReset(first(headers, ['anthropic-ratelimit-requests-reset', 'x-ratelimit-reset-requests']), this.now());
      if (reset !== undefined) this.pause(reset);
    }
  }

  private refill(): void {
    const now = this.now();
    if (this.tokensPerMinute !== undefined) {
      this.tokens = Math.min(this.tokensPerMinute, this.tokens + ((now - this.refilledAt) / 60_000) * this.tokensPerMinute);
    }
    this.refilledAt = now;
  }
}

interface Waiter {
  wake: () => void;
}

/** Resolves when `ticket.wake()` is called or after `timeoutMs`; rejects when `signal` aborts. */
function waitForWake(ticket: Waiter, timeoutMs: number | undefined, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const finish = () => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      ticket.wake = () => {};
    };
    const onAbort = () => {
      finish();
      reject(signal?.reason);
    };
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => (finish(), resolve()), Math.max(1, Math.min(timeoutMs, 60_000)));
    ticket.wake = () => {
      finish();
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function first(headers: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  for (const name of names) if (headers[name] !== undefined) return headers[name];
  return undefined;
}
