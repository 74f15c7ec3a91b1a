/**
 * The servers a vLLM generator talks to: each request goes to the server with the fewest requests
 * in flight that has a free slot (`maxConcurrency` per server); when none has, it waits for one
 * (back-pressure instead of piling requests on a busy server). A failed attempt (network error,
 * timeout, 408/429/5xx) is retried on another server after a backoff; anything else fails at once
 * with the server's message. Per-server tokens and busy time give each server's throughput.
 */
import { BackendError } from '@rlaif/core';
import { errorMessage, isRetryableStatus } from './server-errors.js';

export interface ServerPoolOptions {
  readonly maxConcurrency: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly apiKey: string | undefined;
  readonly fetch: typeof fetch;
  /** First retry delay; doubles each attempt. */
  readonly backoffMs: number;
}

/** What one server did so far. */
export interface ServerStats {
  readonly baseURL: string;
  requests: number;
  failures: number;
  completionTokens: number;
  /** Summed wall time of its successful requests, in seconds. */
  seconds: number;
}

/** A failed HTTP answer, kept apart from network errors for the retry decision. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly serverMessage: string,
    readonly baseURL: string,
  ) {
    super(`${baseURL} answered ${status}: ${serverMessage}`);
  }
}

interface Server {
  readonly stats: ServerStats;
  inFlight: number;
}

export class ServerPool {
  private readonly servers: Server[];
  private readonly waiting: (() => void)[] = [];

  constructor(
    baseURLs: readonly string[],
    private readonly options: ServerPoolOptions,
  ) {
    this.servers = baseURLs.map((url) => ({ stats: { baseURL: url.replace(/\/+$/, ''), requests: 0, failures: 0, completionTokens: 0, seconds: 0 }, inFlight: 0 }));
  }

  /** Per-server statistics. */
  stats(): readonly ServerStats[] {
    return this.servers.map((s) => s.stats);
  }

  /** Posts `body` to one server, retrying elsewhere on transient failures; `tokens` counts what a response produced. */
  async post<T>(path: string, body: unknown, parse: (json: unknown) => T, tokens: (value: T) => number, signal?: AbortSignal): Promise<T> {
    let lastError: unknown;
    let avoid: Server | undefined;
    for (let attempt = 0; attempt <= this.options.maxRetries; attempt++) {
      if (attempt > 0) await delay(this.options.backoffMs * 2 ** (attempt - 1), signal);
      const server = await this.acquire(avoid, signal);
      const started = performance.now();
      try {
        const json = await this.request(server, path, body, signal);
        const value = parse(json);
        server.stats.requests += 1;
        server.stats.completionTokens += tokens(value);
        server.stats.seconds += (performance.now() - started) / 1000;
        return value;
      } catch (error) {
        server.stats.failures += 1;
        if (signal?.aborted) throw error;
        if (error instanceof HttpError && !isRetryableStatus(error.status)) throw error;
        lastError = error;
        avoid = this.servers.length > 1 ? server : undefined;
      } finally {
        this.release(server);
      }
    }
    throw new BackendError(`vLLM: ${path} failed after ${this.options.maxRetries + 1} attempts: ${(lastError as Error).message}`, {
      hint: 'check that the servers are up and reachable (generator.baseURLs), or raise generator.timeoutMs / generator.maxRetries',
      cause: lastError,
    });
  }

  /** Posts `body` to every server in turn (no retry: adapter loading must succeed everywhere). */
  async postEach(path: string, body: unknown, signal?: AbortSignal): Promise<void> {
    for (const server of this.servers) await this.request(server, path, body, signal);
  }

  private async request(server: Server, path: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const response = await this.options.fetch(`${server.stats.baseURL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await response.text();
    if (!response.ok) throw new HttpError(response.status, errorMessage(text), server.stats.baseURL);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // vLLM answers the LoRA endpoints with a plain success sentence.
      return text;
    }
  }

  /** The least busy server with a free slot (other than `avoid` when possible); waits while all are full. */
  private async acquire(avoid: Server | undefined, signal: AbortSignal | undefined): Promise<Server> {
    for (;;) {
      const free = this.servers.filter((s) => s.inFlight < this.options.maxConcurrency);
      const preferred = free.filter((s) => s !== avoid);
      const pick = (preferred.length > 0 ? preferred : free).sort((a, b) => a.inFlight - b.inFlight)[0];
      if (pick) {
        pick.inFlight += 1;
        return pick;
      }
      signal?.throwIfAborted();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(server: Server): void {
    server.inFlight -= 1;
    this.waiting.shift()?.();
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason as Error)), { once: true });
  });
}
