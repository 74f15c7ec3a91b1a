/**
 * Turns HTTP failures into TeacherError with the retry decision made once for every provider:
 * 408/409/429/5xx/529, connection errors and timeouts retry; 400/401/403/404 and spend limits do not.
 */
import { TeacherError } from '../errors/rlaif-error.js';

/** Statuses worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Milliseconds to wait from `retry-after-ms` or `retry-after` (seconds or HTTP date); undefined if absent. */
export function parseRetryAfter(headers: Readonly<Record<string, string>> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && Number.isFinite(Number(ms)) && ms.trim() !== '') return Math.max(0, Number(ms));
  const value = headers['retry-after'];
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Lower-cases a Headers object or plain record. */
export function headerRecord(headers: Headers | Readonly<Record<string, string | undefined>> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((value, key) => (out[key.toLowerCase()] = value));
  } else {
    for (const [key, value] of Object.entries(headers)) if (typeof value === 'string') out[key.toLowerCase()] = value;
  }
  return out;
}

/** Replaces every occurrence of the given secrets (and anything shaped like an API key) with `[redacted]`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out.replace(/\b(sk-(?:ant-)?[A-Za-z0-9_-]{12,}|AIza[A-Za-z0-9_-]{20,})\b/g, '[redacted]');
}

/** What an adapter knows about a failed HTTP call. */
export interface HttpFailure {
  readonly provider: string;
  readonly status: number;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The provider said the account is out of credit or quota: retrying cannot help. */
  readonly spendLimit?: boolean;
  readonly secrets: readonly (string | undefined)[];
  readonly cause?: unknown;
}

const HINTS: Record<number, string> = {
  400: 'the request was rejected: check the model name and options in the teacher config',
  401: 'the API key was refused: set a valid key in the environment or the teacher `apiKey` option',
  403: 'the key lacks permission for this model: check the account and the `model` option',
  404: 'the model or endpoint was not found: check `model` and `baseURL` in the teacher config',
};

/** A TeacherError for an HTTP failure, with the retry decision, retry-after and a redacted message. */
export function teacherErrorFromHttp(failure: HttpFailure): TeacherError {
  const retryable = !failure.spendLimit && isRetryableStatus(failure.status);
  const hint = failure.spendLimit
    ? 'the provider reports the spend limit or quota is exhausted: raise it in the provider console or lower the run size'
    : (HINTS[failure.status] ?? (retryable ? 'the provider is overloaded or rate limiting; rlaif retried with backoff — lower maxConcurrency or retry later' : 'see the provider message above'));
  return new TeacherError(redact(`${failure.provider} HTTP ${failure.status}: ${failure.message}`, failure.secrets), failure.provider, retryable, {
    status: failure.status,
    retryAfterMs: parseRetryAfter(failure.headers),
    hint,
    cause: failure.cause === undefined ? undefined : redactCause(failure.cause, failure.secrets),
  });
}

/** A TeacherError for a connection failure or timeout (always retryable). */
export function teacherErrorFromNetwork(provider: string, error: unknown, secrets: readonly (string | undefined)[]): TeacherError {
  const message = error instanceof Error ? error.message : String(error);
  return new TeacherError(redact(`${provider} connection failed: ${message}`, secrets), provider, true, {
    hint: 'check the network and the teacher `baseURL`; rlaif retries connection errors with backoff',
  });
}

// The SDK error objects can hold request options (and so the key): keep only a redacted message.
function redactCause(cause: unknown, secrets: readonly (string | undefined)[]): Error {
  const message = cause instanceof Error ? cause.message : String(cause);
  const clean = new Error(redact(message, secrets));
  clean.name = cause instanceof Error ? cause.name : 'Error';
  return clean;
}
