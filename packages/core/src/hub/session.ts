/** Opens a hub session from the environment: endpoint, token (required), retrying fetch that logs its retries. */
import { ConfigError } from '../errors/rlaif-error.js';
import type { Logger } from '../observability/logger.js';
import { findHubToken, hubEndpoint, tokenHint, type HubEnv } from './credentials.js';
import type { HubSession } from './hub-client.js';
import { retryingFetch, type RetryingFetchOptions } from './retrying-fetch.js';

/** Options of `openHubSession`. */
export interface OpenHubSessionOptions {
  readonly env: HubEnv;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** The config key (or flag) that asked for the upload, named when there is no token. */
  readonly keyPath: string;
  /** Retry settings (tests shorten the waits). */
  readonly retry?: Pick<RetryingFetchOptions, 'policy' | 'random'>;
}

/** A session for uploads; a ConfigError naming `keyPath` and how to log in when no token is found. */
export async function openHubSession(options: OpenHubSessionOptions): Promise<HubSession> {
  const endpoint = hubEndpoint(options.env);
  const token = await findHubToken(options.env);
  if (!token) {
    throw new ConfigError(`uploading to the Hugging Face hub (${endpoint}) needs a token, and none was found`, options.keyPath, undefined, {
      hint: tokenHint(options.env),
    });
  }
  // @huggingface/hub refuses any other token before sending it; say where the odd one came from.
  if (!token.token.startsWith('hf_')) {
    throw new ConfigError(`the Hugging Face token from ${token.source} does not start with 'hf_', so it is not a hub access token`, options.keyPath, undefined, {
      hint: `put a hub access token (Settings → Access Tokens on the hub) in ${token.source}, or ${tokenHint(options.env)}`,
    });
  }
  const fetch = retryingFetch({
    ...options.retry,
    ...(options.signal ? { signal: options.signal } : {}),
    onRetry: ({ attempt, delayMs, method, url, reason }) =>
      options.logger.warn(`Hub: ${method} ${new URL(url).pathname} failed (${reason}); retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s`),
  });
  options.logger.debug(`Hub: ${endpoint}, token from ${token.source}`);
  return { endpoint, accessToken: token.token, fetch, ...(options.signal ? { signal: options.signal } : {}) };
}
