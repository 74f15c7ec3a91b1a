import { isAbsolute, relative, resolve, sep } from 'node:path';
import { PluginError } from '@rlaif/core';
import type { Logger, MetricsSink, PluginContext, Scalars } from '@rlaif/core';
import type { ValueInput } from './event-encoder.js';
import { EventFileWriter } from './event-file-writer.js';
import { buildHistogram, DEFAULT_HISTOGRAM_BUCKETS } from './histogram.js';

/** Settings of the TensorBoard sink; every field is optional. */
export interface TensorBoardSinkOptions {
  /** Where event files go; a relative path resolves against the run directory. Default `logs/tensorboard`. */
  readonly logDir?: string;
  /** Milliseconds between background writes + fsyncs of buffered events; 0 disables them. Default 5000. */
  readonly flushIntervalMs?: number;
  /** Equal-width buckets per histogram. Default 30. */
  readonly histogramBuckets?: number;
}

/** The default event-file directory inside a run directory. */
export const DEFAULT_TENSORBOARD_DIR = 'logs/tensorboard';

/**
 * A MetricsSink writing TensorBoard event files, with no dependencies.
 * @example sinks: [tensorboard({ flushIntervalMs: 10_000 })]  // then `tensorboard --logdir <run>/logs/tensorboard`
 */
export function tensorboard(options: TensorBoardSinkOptions = {}): MetricsSink {
  const flushIntervalMs = options.flushIntervalMs ?? 5000;
  const histogramBuckets = options.histogramBuckets ?? DEFAULT_HISTOGRAM_BUCKETS;
  let writer: EventFileWriter | undefined;
  let runDir = '';
  let logger: Logger | undefined;
  const warnedTags = new Set<string>();

  const open = (): EventFileWriter => {
    if (writer) return writer;
    throw new PluginError('the tensorboard sink was used before setup()', 'tensorboard', {
      hint: 'call `await sink.setup(context)` with the run context before writing metrics',
    });
  };
  const warnOnce = (tag: string, message: string): void => {
    if (warnedTags.has(tag)) return;
    warnedTags.add(tag);
    logger?.warn(message);
  };
  const now = (): number => Date.now() / 1000;
  // Event steps are unsigned varints; anything else is reported once rather than thrown mid-run.
  const validStep = (step: number): boolean => {
    if (Number.isSafeInteger(step) && step >= 0) return true;
    warnOnce(`step:${step}`, `tensorboard: step ${step} is not a whole number ≥ 0; events at that step are not written`);
    return false;
  };

  return {
    specificationVersion: 'v1',
    kind: 'sink',
    name: 'tensorboard',

    async setup(context: PluginContext): Promise<void> {
      runDir = context.runDir;
      logger = context.logger;
      // A second setup (a reused sink object) must not leave the first file's hooks and timer behind.
      await writer?.close();
      const dir = resolve(runDir, options.logDir ?? DEFAULT_TENSORBOARD_DIR);
      writer = await EventFileWriter.open(dir, { flushIntervalMs, warn: (message, meta) => context.logger.warn(message, meta) });
    },

    write(step: number, scalars: Scalars): void {
      const values: ValueInput[] = [];
      for (const [tag, value] of Object.entries(scalars)) {
        if (Number.isFinite(value)) values.push({ tag, kind: 'scalar', value });
        else warnOnce(tag, `tensorboard: metric ${tag} is ${value} at step ${step}; non-finite values are not written`);
      }
      if (values.length > 0 && validStep(step)) open().append({ wallTime: now(), step, values });
    },

    writeText(step: number, tag: string, text: string): void {
      if (validStep(step)) open().append({ wallTime: now(), step, values: [{ tag, kind: 'text', text }] });
    },

    writeHistogram(step: number, tag: string, values: readonly number[]): void {
      const histogram = buildHistogram(values, histogramBuckets);
      if (histogram && validStep(step)) open().append({ wallTime: now(), step, values: [{ tag, kind: 'histogram', histogram }] });
      else warnOnce(`histogram:${tag}`, `tensorboard: histogram ${tag} at step ${step} has no finite values; skipped`);
    },

    async flush(): Promise<void> {
      await writer?.flush();
    },

    durableFiles(): Readonly<Record<string, number>> {
      if (!writer) return {};
      const path = relative(runDir, writer.path);
      // Only files inside the run can be cut back on resume; checkpoint manifests use '/' paths.
      if (path.startsWith('..') || isAbsolute(path)) return {};
      return { [path.split(sep).join('/')]: writer.byteLength };
    },

    async close(): Promise<void> {
      await writer?.close();
    },
  };
}
