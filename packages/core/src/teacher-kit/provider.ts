/**
 * The narrow interface a provider package implements; everything else (rubric, caching, retries,
 * limits, accounting) lives in the teacher kit and is shared by all providers.
 */

/** One chat turn. */
export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** A provider-neutral request. */
export interface ProviderRequest {
  /** `score` wants JSON matching `schema`; `reference` wants free text with a code block. */
  readonly purpose: 'score' | 'reference';
  /** Shared instructions; identical across calls so providers can cache the prefix. */
  readonly system: string;
  readonly messages: readonly ChatMessage[];
  /** JSON schema of the expected reply (score requests only). */
  readonly schema?: Readonly<Record<string, unknown>>;
  readonly schemaName?: string;
  readonly maxOutputTokens: number;
  readonly temperature: number;
}

/** Token counts as the provider reported them. */
export interface ProviderTokenUsage {
  /** Input tokens billed at the full price (excludes cached reads and cache writes). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens read from the provider's prompt cache. */
  readonly cachedInputTokens: number;
  /** Input tokens written to the provider's prompt cache (Anthropic bills these at a premium). */
  readonly cacheWriteTokens: number;
}

/** A provider-neutral reply. */
export interface ProviderResponse {
  /** The reply text; for structured replies, the JSON text (or tool input serialised). */
  readonly text: string;
  readonly usage: ProviderTokenUsage;
  /** Set when the model declined to answer; the text is its explanation. */
  readonly refusal?: string;
  /** True when the reply was cut off by the output-token limit. */
  readonly truncated?: boolean;
  /** Response headers, lower-cased, for rate-limit adaptation. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A provider adapter: one request in, one reply out, errors as TeacherError. */
export interface ProviderAdapter {
  /** Provider id used in cache keys, prices and logs, e.g. `anthropic`. */
  readonly provider: string;
  readonly model: string;
  /**
   * Sends one request. Must throw TeacherError (status, retryable, retryAfterMs set) on failure,
   * with any API key redacted from the message.
   */
  complete(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse>;
}

/** One request inside a provider batch. */
export interface BatchItem {
  readonly customId: string;
  readonly request: ProviderRequest;
}

/** Where a submitted batch stands. */
export type BatchStatus = 'running' | 'ended' | 'failed';

/** Provider support for asynchronous, discounted batch processing. */
export interface BatchAdapter {
  readonly provider: string;
  readonly model: string;
  /** Submits the items; returns the provider's batch id. */
  submit(items: readonly BatchItem[], signal: AbortSignal): Promise<string>;
  poll(batchId: string, signal: AbortSignal): Promise<BatchStatus>;
  /** Results by custom id; an Error entry means that item failed. */
  results(batchId: string, signal: AbortSignal): Promise<ReadonlyMap<string, ProviderResponse | Error>>;
}
