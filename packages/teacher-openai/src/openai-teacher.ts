/**
 * `openai({ model })`: a Teacher on the OpenAI API, or on any OpenAI-compatible server (vLLM,
 * Ollama, llama.cpp) through `baseURL`. The key comes from OPENAI_API_KEY or `apiKey`.
 */
import OpenAI from 'openai';
import type { LlmTeacher, LlmTeacherOptions, ProviderConnectionOptions } from '@rlaif/core';
import { createLlmTeacher, PluginError } from '@rlaif/core';
import { OpenAIBatchAdapter } from './batch-adapter.js';
import { ChatAdapter } from './chat-adapter.js';
import type { StructuredOutputMode } from './chat-request.js';

/** Settings of the OpenAI teacher. */
export interface OpenAITeacherSettings extends LlmTeacherOptions, ProviderConnectionOptions {
  /** Model id, e.g. `gpt-4.1-mini`, or the name a compatible server serves. */
  readonly model: string;
  /** Structured output: `json_schema` (default), `json_object`, or `none` for servers with neither. */
  readonly structuredOutput?: StructuredOutputMode;
  /** Token-limit field; default `max_completion_tokens` on api.openai.com, `max_tokens` elsewhere. */
  readonly maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /** Reasoning effort for o-series and gpt-5 models (default `low`: judging needs little deliberation). */
  readonly reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
  /** Extra output tokens allowed for a reasoning model's hidden reasoning (default 4000). */
  readonly reasoningTokens?: number;
}

/** Reasoning models accept only the default temperature. */
function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model);
}

/** Creates the OpenAI teacher. */
export function openai(settings: OpenAITeacherSettings): LlmTeacher {
  const env = settings.env ?? process.env;
  const apiKey = settings.apiKey ?? env['OPENAI_API_KEY'];
  const official = settings.baseURL === undefined || /api\.openai\.com/.test(settings.baseURL);
  let client: OpenAI | undefined;
  const getClient = (): OpenAI => {
    if (client) return client;
    if (!apiKey && official) {
      throw new PluginError('no OpenAI API key', '@rlaif/teacher-openai', {
        hint: 'set OPENAI_API_KEY in the environment or `apiKey` in the teacher options (or point `baseURL` at a local server)',
      });
    }
    client = new OpenAI({
      // Local compatible servers usually ignore the key, but the SDK requires one.
      apiKey: apiKey ?? 'no-key',
      baseURL: settings.baseURL,
      defaultHeaders: settings.headers,
      fetch: settings.fetch,
      maxRetries: 0,
      timeout: settings.timeoutMs ?? 120_000,
    });
    return client;
  };
  const secrets = [apiKey];
  const reasoning = isReasoningModel(settings.model);
  const chat = new ChatAdapter(
    getClient,
    settings.model,
    {
      maxTokensField: settings.maxTokensField ?? (official ? 'max_completion_tokens' : 'max_tokens'),
      sendTemperature: !reasoning,
      ...(reasoning ? { reasoning: { effort: settings.reasoningEffort ?? 'low', extraTokens: settings.reasoningTokens ?? 4000 } } : {}),
    },
    settings.structuredOutput ?? 'json_schema',
    secrets,
  );
  return createLlmTeacher({
    name: 'openai',
    adapter: chat,
    batch: new OpenAIBatchAdapter(getClient, chat, secrets),
    options: settings,
    secrets,
  });
}
