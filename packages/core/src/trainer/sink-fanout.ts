import type { MetricsSink, Scalars, SummaryRecord } from '../contracts/metrics-sink.js';
import type { Logger } from '../observability/logger.js';

/**
 * Sends metrics to every sink. A sink that throws is logged once and disabled: metrics must never
 * stop a training run.
 */
export class SinkFanout {
  private readonly active: MetricsSink[];

  constructor(
    sinks: readonly MetricsSink[],
    private readonly logger: Logger,
  ) {
    this.active = [...sinks];
  }

  write(step: number, scalars: Scalars): Promise<void> {
    const finite = Object.fromEntries(Object.entries(scalars).filter(([, value]) => Number.isFinite(value)));
    return this.each('write', (sink) => sink.write(step, finite));
  }

  writeText(step: number, tag: string, text: string): Promise<void> {
    return this.each('writeText', (sink) => sink.writeText?.(step, tag, text));
  }

  writeHistogram(step: number, tag: string, values: readonly number[]): Promise<void> {
    const finite = values.filter(Number.isFinite);
    if (finite.length === 0) return Promise.resolve();
    return this.each('writeHistogram', (sink) => sink.writeHistogram?.(step, tag, finite));
  }

  writeSummary(record: SummaryRecord): Promise<void> {
    return this.each('writeSummary', (sink) => sink.writeSummary?.(record));
  }

  flush(): Promise<void> {
    return this.each('flush', (sink) => sink.flush());
  }

  /** Append-only files of all sinks with their flushed byte lengths, for checkpoint manifests. */
  durableFiles(): Record<string, number> {
    const files: Record<string, number> = {};
    for (const sink of this.active) {
      try {
        Object.assign(files, sink.durableFiles?.() ?? {});
      } catch (error) {
        this.disable(sink, 'durableFiles', error);
      }
    }
    return files;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.each('close', (sink) => sink.close?.());
  }

  private async each(method: string, call: (sink: MetricsSink) => void | Promise<void> | undefined): Promise<void> {
    for (const sink of [...this.active]) {
      try {
        await call(sink);
      } catch (error) {
        this.disable(sink, method, error);
      }
    }
  }

  private disable(sink: MetricsSink, method: string, error: unknown): void {
    const index = this.active.indexOf(sink);
    if (index >= 0) this.active.splice(index, 1);
    this.logger.warn(`metrics sink '${sink.name}' failed in ${method} and is disabled for the rest of the run: ${(error as Error)?.message ?? String(error)}`);
  }
}
