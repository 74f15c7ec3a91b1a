/**
 * Periodic training health checks: a compact status line every `intervalBatches` batches, `WARN`
 * with the specific issues when something looks wrong (the reference system's HealthCheck).
 */
export interface HealthInput {
  readonly epoch: number;
  readonly batch: number;
  readonly step: number;
  readonly rewardMean: number;
  readonly loss: number;
  readonly kl: number;
  readonly generationSeconds: number;
  readonly scoringSeconds: number;
  readonly trainingSeconds: number;
  /** Generated tokens per second, all samples. */
  readonly rawTokensPerSec: number;
  /** Tokens per second of samples that were scored and kept for training. */
  readonly keptTokensPerSec: number;
  /** Distinct completions ÷ completions in the batch. */
  readonly diversity: number;
  readonly fracZeroStdGroups: number;
  /** Optimiser updates of this batch skipped for a non-finite gradient (`StepStats.skippedUpdates`); absent = 0. */
  readonly skippedUpdates?: number;
}

export interface HealthReport {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly status: 'OK' | 'WARN';
  readonly issues: readonly string[];
  readonly line: string;
}

export class HealthCheck {
  private ema: number | undefined;
  private best = Number.NEGATIVE_INFINITY;
  private checks = 0;
  private skippedUpdates = 0;

  private baselineReward: number | null;

  constructor(private readonly options: { readonly emaDecay?: number; readonly baselineReward?: number | null } = {}) {
    this.baselineReward = options.baselineReward ?? null;
  }

  /** The pre-training reward that later batches are compared with. */
  setBaseline(reward: number | null): void {
    this.baselineReward = reward;
  }

  /** Feeds one batch; returns a report every time it is called (the caller decides the interval). */
  observe(input: HealthInput): HealthReport {
    const decay = this.options.emaDecay ?? 0.9;
    if (Number.isFinite(input.rewardMean)) {
      this.ema = this.ema === undefined ? input.rewardMean : decay * this.ema + (1 - decay) * input.rewardMean;
      this.best = Math.max(this.best, input.rewardMean);
    }
    this.checks++;
    const total = input.generationSeconds + input.scoringSeconds + input.trainingSeconds || 1;
    const share = (seconds: number) => `${Math.round((100 * seconds) / total)}%`;
    const issues: string[] = [];
    const skipped = input.skippedUpdates ?? 0;
    this.skippedUpdates += skipped;
    if (skipped > 0) {
      issues.push(
        `${skipped} update(s) skipped: the gradient was not finite (${this.skippedUpdates} so far): lower training.learningRate or set training.maxGradNorm`,
      );
    }
    if (!Number.isFinite(input.loss)) issues.push(`loss is ${input.loss}: lower training.learningRate or check the data`);
    if (input.kl > 1) issues.push(`KL to base is ${input.kl.toFixed(3)} nats: raise rlaif.klPenalty or lower the learning rate`);
    if (input.generationSeconds / total > 0.9) issues.push('generation bottleneck (>90% of step time): lower rlaif.maxNewTokens or numSamplesPerPrompt');
    if (input.diversity < 0.3) issues.push(`low diversity (${input.diversity.toFixed(2)}): raise rlaif.temperature`);
    if (input.fracZeroStdGroups > 0.8) issues.push(`${Math.round(input.fracZeroStdGroups * 100)}% of groups have equal rewards (no gradient): harder tasks or a finer reward`);
    const baseline = this.baselineReward;
    if (baseline !== null && this.checks >= 3 && this.ema !== undefined && this.ema < baseline - 0.05) {
      issues.push(`reward EMA ${this.ema.toFixed(3)} is below the baseline ${baseline.toFixed(3)}`);
    }
    const status = issues.length ? 'WARN' : 'OK';
    const f = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(3));
    const line =
      `[HealthCheck] ${status} | e${input.epoch} b${input.batch} | ` +
      `reward(mean=${f(input.rewardMean)}, ema=${f(this.ema)}, bestN=${f(this.best)}) | ` +
      `time(gen=${share(input.generationSeconds)}, score=${share(input.scoringSeconds)}, train=${share(input.trainingSeconds)}) | ` +
      `gen(tok/s raw=${input.rawTokensPerSec.toFixed(1)}, kept=${input.keptTokensPerSec.toFixed(1)}, div=${input.diversity.toFixed(2)})` +
      (issues.length ? ` | ${issues.join('; ')}` : '');
    return { step: input.step, epoch: input.epoch, batch: input.batch, status, issues, line };
  }
}
