/**
 * Translates kit requests to Messages API parameters (forced tool use for structured output,
 * cache_control on the shared prefix) and Messages API replies back.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ProviderRequest, ProviderResponse } from '@rlaif/core';

/** The Messages API body of a kit request (current Messages API versions take no temperature). */
export function messagesParams(request: ProviderRequest, model: string, promptCaching: boolean): Anthropic.MessageCreateParamsNonStreaming {
  const cache = promptCaching ? { cache_control: { type: 'ephemeral' as const } } : {};
  const params: Anthropic.MessageCreateParamsNonStreaming = {
    model,
    max_tokens: request.maxOutputTokens,
    // The rubric (and the tool below, for calls with as many submissions) is identical across calls: mark it as the cacheable prefix.
    system: [{ type: 'text', text: request.system, ...cache }],
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
  };
  if (request.purpose === 'score' && request.schema) {
    const name = request.schemaName ?? 'submit_evaluations';
    // Not `strict`: strict tool use rejects the schema's numeric ranges and maxItems, so the label enum
    // and item counts guide the model here and the kit's parser enforces them.
    params.tools = [
      {
        name,
        description: 'Submit the evaluation of every submission.',
        input_schema: request.schema as Anthropic.Tool.InputSchema,
        ...cache,
      },
    ];
    params.tool_choice = { type: 'tool', name };
  }
  return params;
}

/** The subset of a Message this package reads (also what batch results contain). */
export interface MessageLike {
  content: readonly ({ type: 'text'; text: string } | { type: 'tool_use'; input: unknown } | { type: string })[];
  stop_reason?: string | null;
  usage?: { input_tokens?: number; output_tokens?: number; cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null };
}

/** A kit reply from a Message. */
export function fromMessage(message: MessageLike, headers?: Record<string, string>): ProviderResponse {
  const tool = message.content.find((block): block is { type: 'tool_use'; input: unknown } => block.type === 'tool_use');
  const text = message.content
    .filter((block): block is { type: 'text'; text: string } => block.type === 'text')
    .map((block) => block.text)
    .join('');
  const usage = message.usage ?? {};
  return {
    text: tool ? JSON.stringify(tool.input) : text,
    usage: {
      inputTokens: usage.input_tokens ?? 0,
      outputTokens: usage.output_tokens ?? 0,
      cachedInputTokens: usage.cache_read_input_tokens ?? 0,
      cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    },
    ...(message.stop_reason === 'refusal' ? { refusal: text || 'the model declined to answer' } : {}),
    ...(message.stop_reason === 'max_tokens' ? { truncated: true } : {}),
    ...(headers ? { headers } : {}),
  };
}
