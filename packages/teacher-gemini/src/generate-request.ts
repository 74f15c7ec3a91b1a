/** Translates kit requests to generateContent parameters and replies back. */
import type { GenerateContentParameters, GenerateContentResponse, Schema } from '@google/genai';
import type { ProviderRequest, ProviderResponse } from '@rlaif/core';

/**
 * Gemini's responseSchema is an OpenAPI subset: upper-case types, no additionalProperties. The API
 * enforces `enum`, `minItems` and `maxItems`, so a reply names only this request's labels.
 */
export function toGeminiSchema(schema: Readonly<Record<string, unknown>>): Schema {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'additionalProperties') continue;
    if (key === 'type' && typeof value === 'string') out['type'] = value.toUpperCase();
    else if (key === 'properties' && value && typeof value === 'object') {
      const properties = Object.entries(value as Record<string, Record<string, unknown>>);
      out['properties'] = Object.fromEntries(properties.map(([name, sub]) => [name, toGeminiSchema(sub)]));
      // Keeps the label first, so a truncated reply still names whom it was grading.
      out['propertyOrdering'] = properties.map(([name]) => name);
    } else if (key === 'items' && value && typeof value === 'object') out['items'] = toGeminiSchema(value as Record<string, unknown>);
    else out[key] = value;
  }
  return out as Schema;
}

/** Thinking settings: 2.5+ models count thinking tokens against maxOutputTokens. */
export interface ThinkingOptions {
  /** Tokens the model may think (0 = off, where the model allows it); undefined = model default. */
  readonly budget?: number;
  /** Output headroom added for thinking. */
  readonly extraTokens: number;
}

/** The generateContent parameters of a kit request. */
export function generateParams(request: ProviderRequest, model: string, signal: AbortSignal, thinking: ThinkingOptions = { extraTokens: 0 }): GenerateContentParameters {
  return {
    model,
    contents: request.messages.map((m) => ({ role: m.role === 'assistant' ? 'model' : 'user', parts: [{ text: m.content }] })),
    config: {
      systemInstruction: request.system,
      maxOutputTokens: request.maxOutputTokens + thinking.extraTokens,
      ...(thinking.budget === undefined ? {} : { thinkingConfig: { thinkingBudget: thinking.budget } }),
      temperature: request.temperature,
      abortSignal: signal,
      ...(request.purpose === 'score' && request.schema ? { responseMimeType: 'application/json', responseSchema: toGeminiSchema(request.schema) } : {}),
    },
  };
}

const BLOCKED = new Set(['SAFETY', 'RECITATION', 'PROHIBITED_CONTENT', 'BLOCKLIST', 'SPII', 'IMAGE_SAFETY']);

/** A kit reply from a generateContent response. */
export function fromGenerateResponse(response: GenerateContentResponse): ProviderResponse {
  const candidate = response.candidates?.[0];
  const text = (candidate?.content?.parts ?? []).map((p) => (p.thought ? '' : (p.text ?? ''))).join('');
  const usage = response.usageMetadata;
  const cached = usage?.cachedContentTokenCount ?? 0;
  const finish = String(candidate?.finishReason ?? '');
  const blocked = response.promptFeedback?.blockReason ?? (BLOCKED.has(finish) ? finish : undefined);
  return {
    text,
    usage: {
      inputTokens: Math.max(0, (usage?.promptTokenCount ?? 0) - cached),
      // Thinking tokens are billed as output.
      outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
      cachedInputTokens: cached,
      cacheWriteTokens: 0,
    },
    ...(blocked ? { refusal: `blocked: ${String(blocked)}` } : {}),
    ...(finish === 'MAX_TOKENS' ? { truncated: true } : {}),
    ...(response.sdkHttpResponse?.headers ? { headers: response.sdkHttpResponse.headers } : {}),
  };
}
