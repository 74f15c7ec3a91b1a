/**
 * The OpenAI provider adapter: one Chat Completions call per kit request, structured output by JSON
 * schema, falling back to JSON mode once for compatible servers that reject `json_schema`.
 */
import type OpenAI from 'openai';
import type { ProviderAdapter, ProviderRequest, ProviderResponse } from '@rlaif/core';
import { headerRecord, TeacherError } from '@rlaif/core';
import type { ChatBodyOptions, StructuredOutputMode } from './chat-request.js';
import { chatBody, fromChatCompletion } from './chat-request.js';
import { toTeacherError } from './openai-errors.js';

/** A chat adapter over an OpenAI client. */
export class ChatAdapter implements ProviderAdapter {
  readonly provider = 'openai';
  private mode: StructuredOutputMode;

  constructor(
    private readonly client: () => OpenAI,
    readonly model: string,
    private readonly body: Omit<ChatBodyOptions, 'mode' | 'model'>,
    mode: StructuredOutputMode,
    private readonly secrets: readonly (string | undefined)[],
  ) {
    this.mode = mode;
  }

  /** The structured-output mode in use (changes after a fallback). */
  structuredOutput(): StructuredOutputMode {
    return this.mode;
  }

  /** The body this adapter would send for `request`; used by batch submission too. */
  bodyFor(request: ProviderRequest): ReturnType<typeof chatBody> {
    return chatBody(request, { ...this.body, model: this.model, mode: this.mode });
  }

  async complete(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse> {
    try {
      return await this.send(request, signal);
    } catch (error) {
      // Compatible servers (older vLLM, llama.cpp, Ollama) may not know json_schema: use JSON mode.
      if (error instanceof TeacherError && error.status === 400 && this.mode === 'json_schema' && request.schema && /response_format|json_schema|schema/i.test(error.message)) {
        this.mode = 'json_object';
        return this.send(request, signal);
      }
      throw error;
    }
  }

  private async send(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse> {
    try {
      const { data, response } = await this.client()
        .chat.completions.create(this.bodyFor(request) as OpenAI.ChatCompletionCreateParamsNonStreaming, { signal })
        .withResponse();
      return fromChatCompletion(data, headerRecord(response.headers));
    } catch (error) {
      throw toTeacherError(error, this.secrets);
    }
  }
}
