/**
 * Periodic training health checks: a compact status line every `intervalBatches` batches, `WARN`
 * with the specific issues when something looks wrong (the reference system's HealthCheck). Besides
 * reporting, it asks for the engine's cache to be released when engine memory keeps growing or the
 * cache holds too much (the reference clears the Metal cache); the caller does it and logs what was freed.
 */

/** Share of a step spent generating above which generation is the bottleneck (the reference's 70 %). */
export const GENERATION_BOTTLENECK_SHARE = 0.7;
/** A batch generating below this fraction of the recent average is a throughput drop. */
export const THROUGHPUT_DROP_RATIO = 0.5;

/** When the health check asks for the engine's cache to be released. */
export interface MemoryThresholds {
  /** Engine active memory grown by this many GB since the last release (or the first batch). */
  readonly growthGB: number;
  /** Engine cache (freed buffers kept for reuse; a fragmentation proxy) above this many GB. */
  readonly cacheGB: number;
}

const GB = 1024 ** 3;
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
  /** The engine's memory after the batch, when the engine reports it. */
  readonly engineMemory?: { readonly activeBytes: number; readonly cacheBytes?: number | undefined };
}

export interface HealthReport {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
  readonly status: 'OK' | 'WARN';
  readonly issues: readonly string[];
  readonly line: string;
  /** Release the engine's cache now (memory growth or fragmentation found). */
  readonly releaseCache: boolean;
}

export class HealthCheck {
  private ema: number | undefined;
  private best = Number.NEGATIVE_INFINITY;
  private checks = 0;
  private skippedUpdates = 0;

  private baselineReward: number | null;
  private throughputEma: number | undefined;
  /** Engine active memory at the first batch or the last release: growth is measured from here. */
  private memoryFloor: number | undefined;

  constructor(
    private readonly options: { readonly emaDecay?: number; readonly baselineReward?: number | null; readonly memory?: MemoryThresholds } = {},
  ) {
    this.baselineReward = options.baselineReward ?? null;
  }

  /** After the cache was released: growth is measured again from `activeBytes`. */
  cacheReleased(activeBytes: number): void {
    this.memoryFloor = activeBytes;
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
    const generationShare = input.generationSeconds / total;
    if (generationShare > GENERATION_BOTTLENECK_SHARE) {
      issues.push(`generation bottleneck (${Math.round(100 * generationShare)}% of step time > 70%): lower rlaif.maxNewTokens or numSamplesPerPrompt, or quantise the student`);
    }
    const drop = this.throughputDrop(input.rawTokensPerSec);
    if (drop) issues.push(drop);
    const memory = this.memoryIssue(input.engineMemory);
    if (memory) issues.push(memory);
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
    return { step: input.step, epoch: input.epoch, batch: input.batch, status, issues, line, releaseCache: memory !== undefined };
  }

  /** A drop of generation speed below half its recent average (after three batches). */
  private throughputDrop(tokensPerSec: number): string | undefined {
    if (!(tokensPerSec > 0)) return undefined;
    const average = this.throughputEma;
    this.throughputEma = average === undefined ? tokensPerSec : 0.7 * average + 0.3 * tokensPerSec;
    if (average === undefined || this.checks < 4 || tokensPerSec >= THROUGHPUT_DROP_RATIO * average) return undefined;
    return `generation throughput dropped to ${tokensPerSec.toFixed(1)} tok/s (${Math.round((100 * tokensPerSec) / average)}% of the recent ${average.toFixed(1)}): check memory pressure and other processes`;
  }

  private memoryIssue(memory: HealthInput['engineMemory']): string | undefined {
    const thresholds = this.options.memory;
    if (!memory || !thresholds) return undefined;
    this.memoryFloor ??= memory.activeBytes;
    const growth = memory.activeBytes - this.memoryFloor;
    if (growth > thresholds.growthGB * GB) {
      return `engine memory grew ${(growth / GB).toFixed(2)} GB (> ${thresholds.growthGB} GB, logging.healthCheck.releaseCacheGrowthGB): releasing the engine cache`;
    }
    if (memory.cacheBytes !== undefined && memory.cacheBytes > thresholds.cacheGB * GB) {
      return `engine cache holds ${(memory.cacheBytes / GB).toFixed(2)} GB (> ${thresholds.cacheGB} GB, logging.healthCheck.releaseCacheAboveGB): releasing it`;
    }
    return undefined;
  }
}
