/** The Gemini provider adapter: one generateContent call per kit request. */
import type { GoogleGenAI } from '@google/genai';
import type { ProviderAdapter, ProviderRequest, ProviderResponse } from '@rlaif/core';
import type { ThinkingOptions } from './generate-request.js';
import { fromGenerateResponse, generateParams } from './generate-request.js';

export class GenerateAdapter implements ProviderAdapter {
  readonly provider = 'gemini';

  constructor(
    private readonly client: () => GoogleGenAI,
    readonly model: string,
    private readonly thinking: ThinkingOptions,
  ) {}

  async complete(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse> {
    // HTTP and connection failures already arrive as TeacherError from geminiFetch.
    return fromGenerateResponse(await this.client().models.generateContent(generateParams(request, this.model, signal, this.thinking)));
  }
}
