import type { MetricsSink, Scalars } from '../contracts/metrics-sink.js';

export interface ConsoleSinkOptions {
  /** Print every N-th step (1 = every step). */
  readonly everySteps?: number;
  readonly stream?: NodeJS.WritableStream;
}

/** The reference system's per-step statistics on the console (Loss, Policy Loss, KL Penalty, …). */
export function consoleSink(options: ConsoleSinkOptions = {}): MetricsSink {
  const every = Math.max(1, options.everySteps ?? 1);
  const stream = options.stream ?? process.stderr;
  const rows: [string, string][] = [
    ['Loss', 'Train/Loss'],
    ['Policy Loss', 'Train/PolicyLoss'],
    ['KL Penalty', 'Train/KLPenalty'],
    ['Avg Reward', 'Train/AvgReward'],
    ['Reward Std', 'Train/RewardStd'],
  ];
  return {
    specificationVersion: 'v1',
    kind: 'sink',
    name: 'console',
    write(step: number, scalars: Scalars) {
      if (!('Train/Loss' in scalars) || step % every !== 0) return;
      const lines = rows.filter(([, tag]) => tag in scalars).map(([label, tag]) => `  ${label}: ${scalars[tag]!.toFixed(4)}`);
      stream.write(`Step ${step}:\n${lines.join('\n')}\n`);
    },
    flush: async () => {},
  };
}

/** A sink that drops everything. */
export function noopSink(): MetricsSink {
  return { specificationVersion: 'v1', kind: 'sink', name: 'noop', write() {}, flush: async () => {} };
}
