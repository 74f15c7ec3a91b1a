import type { PluginBase } from './plugin.js';

/** Scalars keyed by tag (`Train/Loss`, `Epoch/AvgReward`, …). Values are finite numbers. */
export type Scalars = Readonly<Record<string, number>>;

/** A summary row (one batch, one epoch, or one step of the SFT warm-up), as written to `logs/json_summaries/*.jsonl`. */
export type SummaryRecord = Readonly<Record<string, unknown>> & { readonly kind: 'batch' | 'epoch' | 'sft' };

/**
 * Receives metrics. Writes are fire-and-forget from the trainer's view: a sink that fails logs a
 * warning and is disabled, it never stops the run. `step` is the global optimiser step.
 */
export interface MetricsSink extends PluginBase {
  readonly specificationVersion: 'v1';
  readonly kind: 'sink';
  write(step: number, scalars: Scalars): void | Promise<void>;
  /** Text such as sample completions with their scores. */
  writeText?(step: number, tag: string, text: string): void | Promise<void>;
  /** A distribution (rewards, advantages). */
  writeHistogram?(step: number, tag: string, values: readonly number[]): void | Promise<void>;
  /** A per-batch or per-epoch summary row. */
  writeSummary?(record: SummaryRecord): void | Promise<void>;
  /** Makes everything written so far durable. */
  flush(): Promise<void>;
  /**
   * Append-only files this sink writes, as paths relative to the run directory, with their byte
   * lengths after the last `flush`. Checkpoint manifests record them; resume truncates back to them.
   */
  durableFiles?(): Readonly<Record<string, number>>;
}
