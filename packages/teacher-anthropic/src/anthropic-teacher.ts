/**
 * `anthropic({ model })`: a Teacher on Claude through the official SDK. The key comes from
 * ANTHROPIC_API_KEY or `apiKey`; the shared rubric prefix is marked for prompt caching.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { LlmTeacher, LlmTeacherOptions, ProviderConnectionOptions } from '@rlaif/core';
import { createLlmTeacher, PluginError } from '@rlaif/core';
import { MessageBatchesAdapter } from './message-batches.js';
import { MessagesAdapter } from './messages-adapter.js';

/** Settings of the Anthropic teacher. */
export interface AnthropicTeacherSettings extends LlmTeacherOptions, ProviderConnectionOptions {
  /** Model id, e.g. `claude-sonnet-4-6`. */
  readonly model: string;
  /** Mark the rubric prefix with cache_control (default true). */
  readonly promptCaching?: boolean;
}

/** Creates the Anthropic teacher. */
export function anthropic(settings: AnthropicTeacherSettings): LlmTeacher {
  const apiKey = settings.apiKey ?? (settings.env ?? process.env)['ANTHROPIC_API_KEY'];
  let client: Anthropic | undefined;
  const getClient = (): Anthropic => {
    if (client) return client;
    if (!apiKey) {
      throw new PluginError('no Anthropic API key', '@rlaif/teacher-anthropic', {
        hint: 'set ANTHROPIC_API_KEY in the environment or `apiKey` in the teacher options',
      });
    }
    client = new Anthropic({
      apiKey,
      baseURL: settings.baseURL,
      defaultHeaders: settings.headers,
      fetch: settings.fetch,
      maxRetries: 0,
      timeout: settings.timeoutMs ?? 120_000,
    });
    return client;
  };
  const secrets = [apiKey];
  const caching = settings.promptCaching ?? true;
  const teacher = createLlmTeacher({
    name: 'anthropic',
    adapter: new MessagesAdapter(getClient, settings.model, caching, secrets),
    batch: new MessageBatchesAdapter(getClient, settings.model, caching, secrets),
    options: settings,
    secrets,
  });
  if (settings.temperature === undefined) return teacher;
  return {
    ...teacher,
    async setup(context) {
      context.logger.warn('teacher.temperature is not supported by the Anthropic Messages API and is ignored', { plugin: 'anthropic' });
      await teacher.setup?.(context);
    },
  };
}
