/**
 * `gemini({ model })`: a Teacher on Google's Gemini API through @google/genai. The key comes from
 * GEMINI_API_KEY, GOOGLE_API_KEY or `apiKey`. There is no batch support yet: `scoreBatch` makes direct calls.
 */
import { GoogleGenAI } from '@google/genai';
import type { LlmTeacher, LlmTeacherOptions, ProviderConnectionOptions } from '@rlaif/core';
import { createLlmTeacher, PluginError } from '@rlaif/core';
import { GenerateAdapter } from './generate-adapter.js';
import { geminiFetch } from './gemini-fetch.js';

/** Settings of the Gemini teacher. */
export interface GeminiTeacherSettings extends LlmTeacherOptions, ProviderConnectionOptions {
  /** Model id, e.g. `gemini-2.5-flash`. */
  readonly model: string;
  /** Thinking-token budget; default 0 (off) for flash models, the model's default otherwise. */
  readonly thinkingBudget?: number;
}

/** Creates the Gemini teacher. */
export function gemini(settings: GeminiTeacherSettings): LlmTeacher {
  const env = settings.env ?? process.env;
  const apiKey = settings.apiKey ?? env['GEMINI_API_KEY'] ?? env['GOOGLE_API_KEY'];
  const secrets = [apiKey];
  let client: GoogleGenAI | undefined;
  const getClient = (): GoogleGenAI => {
    if (client) return client;
    if (!apiKey) {
      throw new PluginError('no Gemini API key', '@rlaif/teacher-gemini', {
        hint: 'set GEMINI_API_KEY (or GOOGLE_API_KEY) in the environment or `apiKey` in the teacher options',
      });
    }
    client = new GoogleGenAI({
      apiKey,
      httpOptions: {
        ...(settings.baseURL ? { baseUrl: settings.baseURL } : {}),
        ...(settings.headers ? { headers: settings.headers } : {}),
        // One attempt: rlaif's retry policy owns retrying.
        retryOptions: { attempts: 1 },
        fetch: geminiFetch(settings.fetch ?? globalThis.fetch, secrets),
      },
    });
    return client;
  };
  // Judging needs little deliberation; thinking tokens would otherwise eat the JSON's output budget.
  const budget = settings.thinkingBudget ?? (/flash/.test(settings.model) ? 0 : undefined);
  const thinking = { ...(budget === undefined ? {} : { budget }), extraTokens: budget === 0 ? 0 : (budget ?? 4096) };
  return createLlmTeacher({ name: 'gemini', adapter: new GenerateAdapter(getClient, settings.model, thinking), options: settings, secrets });
}
