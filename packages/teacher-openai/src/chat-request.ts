/** Translates kit requests to Chat Completions bodies and Chat Completions replies back. */
import type { ProviderRequest, ProviderResponse } from '@rlaif/core';

/** How the reply's JSON shape is enforced: strict schema, plain JSON mode, or prompt only. */
export type StructuredOutputMode = 'json_schema' | 'json_object' | 'none';

/** The parts of the chat body this package sets. */
export interface ChatBody {
  model: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  temperature?: number;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';
  max_tokens?: number;
  max_completion_tokens?: number;
  response_format?:
    | { type: 'json_schema'; json_schema: { name: string; strict: boolean; schema: Record<string, unknown> } }
    | { type: 'json_object' };
}

/** Body settings that depend on the server. */
export interface ChatBodyOptions {
  readonly model: string;
  readonly mode: StructuredOutputMode;
  /** OpenAI's own API wants max_completion_tokens; many compatible servers only know max_tokens. */
  readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Reasoning models (o-series, gpt-5) reject a temperature. */
  readonly sendTemperature: boolean;
  /** For reasoning models: the effort to ask for, and output headroom for the hidden reasoning tokens. */
  readonly reasoning?: { readonly effort: 'minimal' | 'low' | 'medium' | 'high'; readonly extraTokens: number };
}

/** The Chat Completions body of a kit request. */
export function chatBody(request: ProviderRequest, options: ChatBodyOptions): ChatBody {
  const body: ChatBody = {
    model: options.model,
    messages: [{ role: 'system', content: request.system }, ...request.messages.map((m) => ({ role: m.role, content: m.content }))],
  };
  body[options.maxTokensField] = request.maxOutputTokens + (options.reasoning?.extraTokens ?? 0);
  if (options.sendTemperature) body.temperature = request.temperature;
  if (options.reasoning) body.reasoning_effort = options.reasoning.effort;
  if (request.purpose === 'score' && request.schema) {
    if (options.mode === 'json_schema') {
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: request.schemaName ?? 'evaluations', strict: true, schema: { ...request.schema } },
      };
    } else if (options.mode === 'json_object') {
      body.response_format = { type: 'json_object' };
    }
  }
  return body;
}

/** The subset of a chat completion this package reads (also what batch output lines contain). */
export interface ChatCompletionLike {
  choices?: { message?: { content?: string | null; refusal?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | null;
}

/** A kit reply from a chat completion. */
export function fromChatCompletion(completion: ChatCompletionLike, headers?: Record<string, string>): ProviderResponse {
  const choice = completion.choices?.[0];
  const prompt = completion.usage?.prompt_tokens ?? 0;
  const cached = completion.usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const refusal = choice?.message?.refusal ?? (choice?.finish_reason === 'content_filter' ? 'blocked by the content filter' : undefined);
  return {
    text: choice?.message?.content ?? '',
    usage: { inputTokens: Math.max(0, prompt - cached), outputTokens: completion.usage?.completion_tokens ?? 0, cachedInputTokens: cached, cacheWriteTokens: 0 },
    ...(refusal ? { refusal } : {}),
    ...(choice?.finish_reason === 'length' ? { truncated: true } : {}),
    ...(headers ? { headers } : {}),
  };
}
