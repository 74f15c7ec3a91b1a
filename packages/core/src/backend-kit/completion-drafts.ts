/**
 * The engine-independent half of a backend's sampler: the checks on a request, the token budget of
 * each completion, what each sampled token does to its completion (end of generation, a stop
 * string, the budget) and the finished samples. The engine half computes logits and picks the ids.
 */
import type { SamplingParams } from '../contracts/generator.js';
import type { FinishReason } from '../contracts/rollout.js';
import { BackendError, ConfigError } from '../errors/index.js';
import type { EngineSample } from './engine-rollouts.js';
import { findStopString } from './stop-strings.js';

/** What finishing a completion needs of a tokenizer. */
export interface TokenDecoder {
  decode(ids: readonly number[]): string;
}

/** One completion while it is being sampled. */
export interface CompletionDraft {
  readonly tokenIds: number[];
  readonly logprobs: number[];
  finishReason: FinishReason | undefined;
  /** The decoded text so far; kept up to date only when there are stop strings. */
  text: string;
}

/**
 * Which sample each batch row decodes (`rows[r]` is row r's draft, of `samples` drafts in all), so a
 * sampler can draw each sample's random numbers by its draft rather than by its row: a sample then gets
 * the same draws at every step whichever others have finished, and two models sampled with one seed
 * pick the same token wherever their distributions allow (common random numbers, which make paired
 * comparisons of two checkpoints differ only where the models do).
 */
export interface SampleRows {
  readonly rows: readonly number[];
  readonly samples: number;
}

/** How completions end besides their budget. */
export interface CompletionEnding {
  readonly eosTokenIds: ReadonlySet<number>;
  /** Stop strings (the sampling's); empty = none. */
  readonly stop: readonly string[];
  readonly tokenizer: TokenDecoder;
}

/**
 * Refuses a request no sampler can serve, naming the config key: bad sampling parameters or `n`, an
 * empty prompt, or a prompt that leaves no room for a completion within `maxLength` (model.maxLength).
 */
export function checkSamplingRequest(prompts: readonly (readonly number[])[], n: number, sampling: SamplingParams, maxLength: number | undefined): void {
  const fail = (key: string, message: string, hint: string) => new ConfigError(message, `rlaif.${key}`, undefined, { hint });
  if (!Number.isInteger(n) || n < 1) throw fail('numSamplesPerPrompt', `must be a positive integer, got ${n}`, 'set rlaif.numSamplesPerPrompt to 1 or more');
  if (!(sampling.temperature >= 0) || !Number.isFinite(sampling.temperature)) throw fail('temperature', `must be ≥ 0, got ${sampling.temperature}`, 'use 0 for greedy, ~0.7–1.0 to sample');
  if (!(sampling.topP > 0 && sampling.topP <= 1)) throw fail('topP', `must be in (0, 1], got ${sampling.topP}`, 'use 1 to disable nucleus sampling');
  if (!(Number.isInteger(sampling.topK) && sampling.topK >= 0)) throw fail('topK', `must be an integer ≥ 0, got ${sampling.topK}`, 'use 0 to disable top-k');
  if (!(sampling.minP >= 0 && sampling.minP < 1)) throw fail('minP', `must be in [0, 1), got ${sampling.minP}`, 'use 0 to disable min-p');
  if (!(Number.isInteger(sampling.maxNewTokens) && sampling.maxNewTokens >= 1)) throw fail('maxNewTokens', `must be a positive integer, got ${sampling.maxNewTokens}`, 'set rlaif.maxNewTokens to e.g. 512');
  for (const prompt of prompts) {
    if (prompt.length === 0) throw new ConfigError('a prompt has no tokens', 'prompt', undefined, { hint: 'give every task a non-empty prompt' });
    if (maxLength !== undefined && prompt.length >= maxLength) {
      throw new ConfigError(`a prompt has ${prompt.length} tokens, which leaves no room for a completion within model.maxLength ${maxLength}`, 'model.maxLength', undefined, {
        hint: `raise model.maxLength above ${prompt.length} (prompt + completion tokens), or shorten the task's prompt`,
      });
    }
  }
}

/**
 * Empty drafts for `n` samples of each prompt, prompt-major (draft p·n + s is sample s of prompt p),
 * and each one's budget: maxNewTokens, or less when prompt + completion would pass `maxLength`.
 */
export function startDrafts(
  prompts: readonly (readonly number[])[],
  n: number,
  maxNewTokens: number,
  maxLength: number | undefined,
): { readonly drafts: CompletionDraft[]; readonly budgets: number[] } {
  const drafts: CompletionDraft[] = Array.from({ length: prompts.length * n }, () => ({ tokenIds: [], logprobs: [], finishReason: undefined, text: '' }));
  const budgets = drafts.map((_, i) => completionBudget(prompts[Math.floor(i / n)]!.length, maxNewTokens, maxLength));
  return { drafts, budgets };
}

/** Tokens a completion of a `promptLength`-token prompt may take: maxNewTokens, or less when prompt + completion would pass `maxLength`. */
export function completionBudget(promptLength: number, maxNewTokens: number, maxLength: number | undefined): number {
  return Math.min(maxNewTokens, maxLength === undefined ? Infinity : maxLength - promptLength);
}

/**
 * Appends one decoding step's choice to the drafts in the batch (`active[row]` is the draft of batch
 * row `row`) and returns the rows still going. A non-finite log-prob stops the run: the model computes
 * NaN or infinite values, and `hint` says what to try on this engine.
 */
export function acceptStep(
  drafts: readonly CompletionDraft[],
  budgets: readonly number[],
  active: readonly number[],
  choice: { readonly tokenIds: readonly number[]; readonly logprobs: readonly number[] },
  ending: CompletionEnding,
  step: number,
  hint: string,
): number[] {
  const bad = choice.logprobs.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) {
    throw new BackendError(`decoding step ${step + 1}: the logits of batch row ${bad} are not finite (the chosen token's log-prob is ${choice.logprobs[bad]})`, { hint });
  }
  const keep: number[] = [];
  active.forEach((draftIndex, row) => {
    const draft = drafts[draftIndex]!;
    const token = choice.tokenIds[row]!;
    draft.tokenIds.push(token);
    draft.logprobs.push(choice.logprobs[row]!);
    if (ending.eosTokenIds.has(token)) draft.finishReason = 'eos';
    else if (ending.stop.length > 0) updateStop(draft, ending);
    if (!draft.finishReason && draft.tokenIds.length >= budgets[draftIndex]!) draft.finishReason = 'length';
    if (!draft.finishReason) keep.push(row);
  });
  return keep;
}

// Decodes the whole completion so far: byte-level tokens may split characters, so pieces cannot be decoded alone.
function updateStop(draft: CompletionDraft, ending: CompletionEnding): void {
  const previousLength = draft.text.length;
  draft.text = ending.tokenizer.decode(draft.tokenIds);
  const at = findStopString(draft.text, ending.stop, previousLength);
  if (at >= 0) {
    draft.text = draft.text.slice(0, at);
    draft.finishReason = 'stop';
  }
}

/** The finished samples: a draft still open ran out of steps ('length'); the EOS token is not decoded. */
export function finishDrafts(drafts: readonly CompletionDraft[], ending: Omit<CompletionEnding, 'stop'>): EngineSample[] {
  return drafts.map((draft) => {
    const finishReason = draft.finishReason ?? 'length';
    let text = draft.text;
    if (finishReason !== 'stop') {
      const last = draft.tokenIds.at(-1);
      const decoded = finishReason === 'eos' && last !== undefined && ending.eosTokenIds.has(last) ? draft.tokenIds.slice(0, -1) : draft.tokenIds;
      text = ending.tokenizer.decode(decoded);
    }
    return { tokenIds: draft.tokenIds, logprobs: draft.logprobs, finishReason, text };
  });
}
