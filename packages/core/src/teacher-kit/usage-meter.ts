/**
 * Cumulative token, request and dollar accounting for one teacher, and the `maxCostUSD` budget:
 * once spend reaches it, further calls throw RunStoppedError('budget') so the trainer stops cleanly.
 */
import type { TeacherUsage } from '../contracts/score.js';
import { addUsage, ZERO_USAGE } from '../contracts/score.js';
import { RunStoppedError } from '../errors/rlaif-error.js';
import type { ModelPrice } from './pricing.js';
import { costOf } from './pricing.js';
import type { ProviderTokenUsage } from './provider.js';

export class UsageMeter {
  private total: TeacherUsage = ZERO_USAGE;

  constructor(
    private readonly provider: string,
    private readonly price: ModelPrice | undefined,
    private readonly maxCostUSD: number | undefined,
  ) {}

  /** Cumulative usage so far. */
  snapshot(): TeacherUsage {
    return this.total;
  }

  /** Throws RunStoppedError when the budget is spent. Calls already in flight still finish, so spend can overshoot by up to maxConcurrency calls. */
  checkBudget(): void {
    if (this.maxCostUSD !== undefined && this.total.costUSD >= this.maxCostUSD) {
      throw new RunStoppedError(`${this.provider} teacher budget reached: $${this.total.costUSD.toFixed(4)} of maxCostUSD $${this.maxCostUSD}`, 'budget', {
        hint: 'raise the teacher option `maxCostUSD` and resume from the last checkpoint',
      });
    }
  }

  /** Adds one provider call; returns that call's usage. */
  recordCall(tokens: ProviderTokenUsage, batch = false): TeacherUsage {
    const call: TeacherUsage = {
      requests: 1,
      inputTokens: tokens.inputTokens + tokens.cachedInputTokens + tokens.cacheWriteTokens,
      outputTokens: tokens.outputTokens,
      cachedInputTokens: tokens.cachedInputTokens,
      cacheHits: 0,
      costUSD: costOf(tokens, this.price, batch),
    };
    this.total = addUsage(this.total, call);
    return call;
  }

  /** Adds one answer served from the on-disk cache; returns that usage. */
  recordCacheHit(): TeacherUsage {
    const hit: TeacherUsage = { ...ZERO_USAGE, cacheHits: 1 };
    this.total = addUsage(this.total, hit);
    return hit;
  }
}
