/**
 * Prices in US dollars per million tokens, matched by the longest model-name prefix. These are list
 * prices at the time of writing; override them with the teacher option `prices`.
 */
import type { ProviderTokenUsage } from './provider.js';

/** Dollar prices per million tokens for one model. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  /** Input tokens read from the prompt cache. */
  readonly cachedInput: number;
  /** Input tokens written to the prompt cache (Anthropic: 1.25 × input). */
  readonly cacheWrite?: number;
  /** Multiplier for batch API calls (0.5 at Anthropic and OpenAI). */
  readonly batchDiscount?: number;
}

/** Prices by model-name prefix. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

const anthropicPrice = (input: number, output: number): ModelPrice => ({
  input,
  output,
  cachedInput: input * 0.1,
  cacheWrite: input * 1.25,
  batchDiscount: 0.5,
});
const openaiPrice = (input: number, output: number, cachedInput: number): ModelPrice => ({ input, output, cachedInput, batchDiscount: 0.5 });

/** Built-in list prices per provider. */
export const DEFAULT_PRICES: Readonly<Record<string, PriceTable>> = {
  anthropic: {
    // Opus 4.0/4.1 kept their launch price; later Opus models (4.5 on) list at 5/25.
    'claude-opus-4-0': anthropicPrice(15, 75),
    'claude-opus-4-1': anthropicPrice(15, 75),
    'claude-opus-4-2025': anthropicPrice(15, 75),
    'claude-opus': anthropicPrice(5, 25),
    'claude-sonnet': anthropicPrice(3, 15),
    'claude-3-7-sonnet': anthropicPrice(3, 15),
    'claude-3-5-sonnet': anthropicPrice(3, 15),
    'claude-haiku': anthropicPrice(1, 5),
    'claude-3-5-haiku': anthropicPrice(0.8, 4),
    'claude-3-haiku': anthropicPrice(0.25, 1.25),
  },
  openai: {
    'gpt-5-nano': openaiPrice(0.05, 0.4, 0.005),
    'gpt-5-mini': openaiPrice(0.25, 2, 0.025),
    'gpt-5': openaiPrice(1.25, 10, 0.125),
    'gpt-4.1-nano': openaiPrice(0.1, 0.4, 0.025),
    'gpt-4.1-mini': openaiPrice(0.4, 1.6, 0.1),
    'gpt-4.1': openaiPrice(2, 8, 0.5),
    'gpt-4o-mini': openaiPrice(0.15, 0.6, 0.075),
    'gpt-4o': openaiPrice(2.5, 10, 1.25),
    'o4-mini': openaiPrice(1.1, 4.4, 0.275),
    o3: openaiPrice(2, 8, 0.5),
  },
  gemini: {
    'gemini-2.5-pro': { input: 1.25, output: 10, cachedInput: 0.125 },
    'gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cachedInput: 0.01 },
    'gemini-2.5-flash': { input: 0.3, output: 2.5, cachedInput: 0.03 },
    'gemini-2.0-flash-lite': { input: 0.075, output: 0.3, cachedInput: 0.075 },
    'gemini-2.0-flash': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  },
};

/** The price of `model` from `overrides` first, then the built-in table; undefined when unknown (e.g. a local server). */
export function findPrice(provider: string, model: string, overrides?: PriceTable): ModelPrice | undefined {
  for (const table of [overrides, DEFAULT_PRICES[provider]]) {
    if (!table) continue;
    const prefix = Object.keys(table)
      .filter((p) => model === p || model.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix !== undefined) return table[prefix];
  }
  return undefined;
}

/** Dollar cost of one call's tokens; `batch` applies the batch discount. */
export function costOf(usage: ProviderTokenUsage, price: ModelPrice | undefined, batch = false): number {
  if (!price) return 0;
  const dollars =
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cachedInputTokens * price.cachedInput +
      usage.cacheWriteTokens * (price.cacheWrite ?? price.input)) /
    1_000_000;
  return batch ? dollars * (price.batchDiscount ?? 1) : dollars;
}
