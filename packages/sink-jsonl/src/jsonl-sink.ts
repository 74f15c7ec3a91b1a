import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AppendOnlyFile, PluginError } from '@rlaif/core';
import type { Logger, MetricsSink, PluginContext, Scalars, SummaryRecord } from '@rlaif/core';
import { trimTornLine } from './trim-torn-line.js';

/** Settings of the JSONL sink; every field is optional. */
export interface JsonlSinkOptions {
  /** Directory of the summary files; a relative path resolves against the run directory. Default `logs/json_summaries`. */
  readonly dir?: string;
  /** Also append every `write(step, scalars)` to `scalars.jsonl`. Default false. */
  readonly scalars?: boolean;
}

/** The default summaries directory inside a run directory. */
export const DEFAULT_JSON_SUMMARIES_DIR = 'logs/json_summaries';

/** File names the sink writes inside its directory. */
export const JSONL_FILES = { batch: 'batches.jsonl', epoch: 'epochs.jsonl', sft: 'sft.jsonl', scalars: 'scalars.jsonl' } as const;

type FileKey = keyof typeof JSONL_FILES;

/**
 * A MetricsSink writing one JSON object per line: batch and epoch summaries, optionally raw scalars.
 * Each record is appended at once (readable while the run goes on); `flush()` fsyncs.
 * @example sinks: [jsonl()]  // then `rlaif summaries --dir <run>/logs/json_summaries --type epoch`
 */
export function jsonl(options: JsonlSinkOptions = {}): MetricsSink {
  const files = new Map<FileKey, AppendOnlyFile>();
  const failing = new Set<string>();
  let runDir = '';
  let dir = '';
  let logger: Logger | undefined;
  // sft.jsonl exists only in runs with an SFT warm-up: opened on its first record (or at setup when present).
  let openingSft: Promise<unknown> | undefined;

  // A failing file warns once per failing stretch; its records are lost but the run goes on.
  const guard = (what: string, path: string, work: () => Promise<unknown>): Promise<void> =>
    work().then(
      () => {
        if (failing.delete(`${what}:${path}`)) logger?.info(`jsonl: ${what} of ${path} works again`);
      },
      (error: unknown) => {
        if (!failing.has(`${what}:${path}`)) logger?.warn(`jsonl: ${what} of ${path} failed: ${(error as Error).message}; retrying on the next record`, { error });
        failing.add(`${what}:${path}`);
      },
    );

  const append = (key: FileKey, line: string): Promise<void> => {
    const file = files.get(key);
    if (!file) {
      throw new PluginError('the jsonl sink was used before setup()', 'jsonl', {
        hint: 'call `await sink.setup(context)` with the run context before writing summaries',
      });
    }
    return guard('append', file.path, async () => file.append(line));
  };

  return {
    specificationVersion: 'v1',
    kind: 'sink',
    name: 'jsonl',

    async setup(context: PluginContext): Promise<void> {
      runDir = context.runDir;
      logger = context.logger;
      // A second setup (a reused sink object) reopens the files; the old handles are closed first.
      await Promise.all([...files.values()].map((file) => file.close().catch(() => undefined)));
      files.clear();
      dir = resolve(runDir, options.dir ?? DEFAULT_JSON_SUMMARIES_DIR);
      openingSft = undefined;
      const keys: FileKey[] = [...(options.scalars ? ['batch', 'epoch', 'scalars'] as const : ['batch', 'epoch'] as const), ...(existsSync(join(dir, JSONL_FILES.sft)) ? ['sft'] as const : [])];
      for (const key of keys) {
        const path = join(dir, JSONL_FILES[key]);
        const trimmed = await trimTornLine(path);
        if (trimmed > 0) context.logger.warn(`jsonl: ${path} ended with a cut-off line (${trimmed} bytes); removed it before appending`);
        files.set(key, await AppendOnlyFile.open(path));
      }
    },

    write(step: number, scalars: Scalars): Promise<void> | void {
      if (!options.scalars) return;
      return append('scalars', JSON.stringify({ step, timestamp: new Date().toISOString(), metrics: scalars }));
    },

    writeSummary(record: SummaryRecord): Promise<void> | void {
      if (record.kind !== 'batch' && record.kind !== 'epoch' && record.kind !== 'sft') {
        logger?.warn(`jsonl: summary record with kind ${JSON.stringify(record.kind)} ignored; expected 'batch', 'epoch' or 'sft'`);
        return;
      }
      if (record.kind === 'sft' && !files.has('sft') && runDir !== '') {
        const path = join(dir, JSONL_FILES.sft);
        openingSft ??= guard('open', path, async () => files.set('sft', await AppendOnlyFile.open(path)));
        return openingSft.then(() => (files.has('sft') ? append('sft', JSON.stringify(record)) : undefined));
      }
      return append(record.kind, JSON.stringify(record));
    },

    async flush(): Promise<void> {
      await Promise.all([...files.values()].map((file) => guard('fsync', file.path, () => file.flush())));
    },

    durableFiles(): Readonly<Record<string, number>> {
      const entries: [string, number][] = [];
      for (const file of files.values()) {
        const path = relative(runDir, file.path);
        // Only files inside the run can be cut back on resume; checkpoint manifests use '/' paths.
        if (!path.startsWith('..') && !isAbsolute(path)) entries.push([path.split(sep).join('/'), file.byteLength]);
      }
      return Object.fromEntries(entries);
    },

    async close(): Promise<void> {
      await Promise.all([...files.values()].map((file) => guard('close', file.path, () => file.close())));
    },
  };
}
