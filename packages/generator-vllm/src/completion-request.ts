/**
 * vLLM's `/v1/completions` wire format for token-in/token-out sampling: the prompt as a token-id
 * array, `n` samples, the sampled token's log-prob (`logprobs: 0`) and its id
 * (`return_tokens_as_token_ids`, which spells tokens as `token_id:<id>`).
 */
import type { FinishReason, SamplingParams } from '@rlaif/core';

/** The request body for one task's `n` samples of at most `maxTokens` tokens each. */
export function completionBody(model: string, prompt: readonly number[], n: number, sampling: SamplingParams, seed: number, maxTokens: number): Record<string, unknown> {
  return {
    model,
    prompt,
    n,
    max_tokens: maxTokens,
    temperature: sampling.temperature,
    top_p: sampling.topP,
    // vLLM's "off" is -1 for top_k and 0 for min_p.
    top_k: sampling.topK > 0 ? sampling.topK : -1,
    min_p: sampling.minP,
    stop: sampling.stop,
    seed,
    logprobs: 0,
    return_tokens_as_token_ids: true,
    skip_special_tokens: true,
    include_stop_str_in_output: false,
  };
}

/** One choice as vLLM returns it (the fields used). */
interface CompletionChoice {
  readonly index: number;
  readonly text: string;
  readonly logprobs: { readonly tokens: readonly string[]; readonly token_logprobs: readonly (number | null)[] } | null;
  readonly finish_reason: 'stop' | 'length' | 'abort' | null;
  /** null = end of sequence; a string = the stop string matched; a number = a stop token id. */
  readonly stop_reason?: string | number | null;
}

/** One sample parsed from a choice. */
export interface ParsedSample {
  readonly tokenIds: number[];
  readonly logprobs: number[];
  readonly finishReason: FinishReason;
  readonly text: string;
}

/** Parses the `n` choices of a response, in index order; throws Error naming what is malformed. */
export function parseCompletion(body: unknown, n: number): ParsedSample[] {
  const choices = (body as { choices?: CompletionChoice[] } | null)?.choices;
  if (!Array.isArray(choices) || choices.length !== n) throw new Error(`expected ${n} choices, got ${Array.isArray(choices) ? choices.length : 'none'}`);
  return [...choices].sort((a, b) => a.index - b.index).map((choice) => {
    if (!choice.logprobs) throw new Error('a choice has no logprobs: the request asked for them (logprobs: 0)');
    const tokenIds = choice.logprobs.tokens.map((token) => {
      const match = /^token_id:(\d+)$/.exec(token);
      if (!match) throw new Error(`token ${JSON.stringify(token)} is not spelled token_id:<id>: the server ignored return_tokens_as_token_ids`);
      return Number(match[1]);
    });
    const logprobs = choice.logprobs.token_logprobs.map((value) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`a token log-prob is ${String(value)}`);
      return value;
    });
    if (logprobs.length !== tokenIds.length) throw new Error(`${tokenIds.length} tokens but ${logprobs.length} log-probs`);
    const finishReason: FinishReason = choice.finish_reason === 'length' ? 'length' : choice.finish_reason === 'stop' && typeof choice.stop_reason === 'string' ? 'stop' : 'eos';
    if (choice.finish_reason !== 'stop' && choice.finish_reason !== 'length') throw new Error(`finish_reason ${String(choice.finish_reason)}`);
    return { tokenIds, logprobs, finishReason, text: choice.text };
  });
}
