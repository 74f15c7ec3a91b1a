import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '@rlaif/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FILE_VERSION, readEvents, tensorboard } from '../src/index.js';
import type { SummaryValue } from '../src/index.js';
import { recordingLogger, tempRunContext } from './helpers.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sink) => sink.close()));
});

async function startSink(options: Parameters<typeof tensorboard>[0] = {}, logger = recordingLogger()) {
  const context = await tempRunContext(logger);
  const sink = tensorboard({ flushIntervalMs: 0, ...options });
  open.push({ close: () => sink.close?.() ?? Promise.resolve() });
  await sink.setup?.(context);
  return { sink, context, logger, dir: join(context.runDir, 'logs/tensorboard') };
}

async function onlyEventFile(dir: string): Promise<string> {
  const names = await readdir(dir);
  expect(names).toHaveLength(1);
  expect(names[0]).toMatch(/^events\.out\.tfevents\.\d+\.[^.]+.*\.\d+\.\d+$/);
  return join(dir, names[0]!);
}

const valuesOf = (events: { values: readonly SummaryValue[] }[]) => events.flatMap((event) => event.values);

describe('tensorboard sink', () => {
  it('round-trips scalars, text and histograms through one event file', async () => {
    const { sink, dir, context } = await startSink();
    sink.write(1, { 'Train/Loss': 0.5, 'Train/AvgReward': 0.25 });
    sink.write(2, { 'Train/Loss': 0.375 });
    await sink.writeText?.(2, 'Samples/Best', 'def f():\n    return "<ok> & ünïcode"');
    await sink.writeHistogram?.(3, 'Rewards/Distribution', [0, 0.25, 0.5, 0.5, 1]);
    await sink.flush();

    const file = await onlyEventFile(dir);
    const events = await readEvents(file);
    expect(events[0]).toMatchObject({ step: 0, fileVersion: FILE_VERSION });
    expect(events.slice(1).map((event) => event.step)).toEqual([1, 2, 2, 3]);
    expect(Math.abs(events[1]!.wallTime - Date.now() / 1000)).toBeLessThan(60);
    const values = valuesOf(events);
    expect(values.slice(0, 3)).toEqual([
      { tag: 'Train/Loss', kind: 'scalar', value: 0.5 },
      { tag: 'Train/AvgReward', kind: 'scalar', value: 0.25 },
      { tag: 'Train/Loss', kind: 'scalar', value: 0.375 },
    ]);
    expect(values[3]).toEqual({ tag: 'Samples/Best', kind: 'text', text: 'def f():\n    return "<ok> & ünïcode"' });
    const histogram = values[4];
    expect(histogram?.kind).toBe('histogram');
    if (histogram?.kind !== 'histogram') throw new Error('unreachable');
    expect(histogram.histogram).toMatchObject({ min: 0, max: 1, num: 5, sum: 2.25, sumSquares: 1.5625 });
    expect(histogram.histogram.buckets.reduce((a, b) => a + b, 0)).toBe(5);
    expect(histogram.histogram.bucketLimits.at(-1)).toBe(1);

    const size = (await stat(file)).size;
    expect(sink.durableFiles?.()).toEqual({ [join('logs/tensorboard', file.split('/').pop()!)]: size });
    expect(context.runDir).toBeTruthy();
  });

  it('skips non-finite scalars with one warning per tag', async () => {
    const { sink, dir, logger } = await startSink();
    sink.write(1, { 'Train/Loss': Number.NaN, 'Train/KL': 0.125 });
    sink.write(2, { 'Train/Loss': Number.POSITIVE_INFINITY });
    await sink.flush();
    const values = valuesOf(await readEvents(await onlyEventFile(dir)));
    expect(values).toEqual([{ tag: 'Train/KL', kind: 'scalar', value: 0.125 }]);
    expect(logger.warnings.filter((message) => message.includes('Train/Loss'))).toHaveLength(1);
  });

  it('skips events at negative or fractional steps with a warning instead of throwing', async () => {
    const { sink, dir, logger } = await startSink();
    sink.write(-1, { 'Train/Loss': 1 });
    await sink.writeText?.(1.5, 'Samples/Best', 'x');
    sink.write(2, { 'Train/Loss': 2 });
    await sink.flush();
    expect(valuesOf(await readEvents(await onlyEventFile(dir)))).toEqual([{ tag: 'Train/Loss', kind: 'scalar', value: 2 }]);
    expect(logger.warnings.filter((message) => message.includes('not a whole number'))).toHaveLength(2);
  });

  it('writes buffered events on its timer without an explicit flush', async () => {
    const { sink, dir } = await startSink({ flushIntervalMs: 20 });
    sink.write(7, { 'Train/Loss': 1 });
    const file = await onlyEventFile(dir);
    const deadline = Date.now() + 5000;
    while (valuesOf(await readEvents(file, { allowTornTail: true })).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(valuesOf(await readEvents(file))).toEqual([{ tag: 'Train/Loss', kind: 'scalar', value: 1 }]);
  });

  it('writes to an absolute logDir but lists only files inside the run as durable', async () => {
    const outside = await tempRunContext();
    const { sink } = await startSink({ logDir: join(outside.runDir, 'tb') });
    sink.write(1, { 'Train/Loss': 1 });
    await sink.flush();
    expect(sink.durableFiles?.()).toEqual({});
    expect(valuesOf(await readEvents(await onlyEventFile(join(outside.runDir, 'tb'))))).toHaveLength(1);
  });

  it('refuses use before setup with a PluginError that says what to do', () => {
    const sink = tensorboard();
    expect(() => sink.write(1, { a: 1 })).toThrow(/before setup\(\)[\s\S]*sink\.setup\(context\)/);
  });

  it('resumes into the same file, trimming a record cut off by a crash', async () => {
    const first = await startSink();
    first.sink.write(1, { 'Train/Loss': 1 });
    first.sink.write(2, { 'Train/Loss': 2 });
    await first.sink.close?.();
    const file = await onlyEventFile(first.dir);
    const fullSize = (await stat(file)).size;
    await truncate(file, fullSize - 5);

    const logger = recordingLogger();
    const resumed = tensorboard({ flushIntervalMs: 0 });
    open.push({ close: () => resumed.close?.() ?? Promise.resolve() });
    await resumed.setup?.({ ...(await tempRunContext(logger)), runDir: first.context.runDir });
    resumed.write(3, { 'Train/Loss': 3 });
    await resumed.flush();

    expect(await onlyEventFile(first.dir)).toBe(file);
    expect(logger.warnings.join('\n')).toMatch(/cut-off record/);
    const events = await readEvents(file);
    expect(events.filter((event) => event.fileVersion).length).toBe(1);
    expect(valuesOf(events).map((value) => (value.kind === 'scalar' ? value.value : undefined))).toEqual([1, 3]);
  });

  it('starts a new file beside a corrupt one instead of appending to it', async () => {
    const first = await startSink();
    first.sink.write(1, { 'Train/Loss': 1 });
    await first.sink.close?.();
    const file = await onlyEventFile(first.dir);
    const bytes = await readFile(file);
    bytes[bytes.length - 8] = bytes[bytes.length - 8]! ^ 0xff;
    await writeFile(file, bytes);

    const logger = recordingLogger();
    const resumed = tensorboard({ flushIntervalMs: 0 });
    open.push({ close: () => resumed.close?.() ?? Promise.resolve() });
    await resumed.setup?.({ ...(await tempRunContext(logger)), runDir: first.context.runDir });
    expect(logger.warnings.join('\n')).toMatch(/corrupt/);
    expect(await readdir(first.dir)).toHaveLength(2);
  });
});

describe('readEvents', () => {
  it('names the file and byte offset when a checksum fails', async () => {
    const { sink, dir } = await startSink();
    sink.write(1, { 'Train/Loss': 0.5 });
    await sink.flush();
    const file = await onlyEventFile(dir);
    const bytes = await readFile(file);
    const firstRecordLength = 16 + Number(bytes.readBigUInt64LE(0));
    bytes[firstRecordLength + 14] = bytes[firstRecordLength + 14]! ^ 0x01; // a data byte of the second record
    await writeFile(file, bytes);

    const failure = await readEvents(file).catch((error: unknown) => error);
    expect(DataError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toContain(file);
    expect((failure as Error).message).toContain(`data checksum mismatch in the event record at byte offset ${firstRecordLength}`);
  });

  it('rejects a torn last record unless asked to tolerate it', async () => {
    const { sink, dir } = await startSink();
    sink.write(1, { 'Train/Loss': 0.5 });
    await sink.flush();
    const file = await onlyEventFile(dir);
    await truncate(file, (await stat(file)).size - 3);
    await expect(readEvents(file)).rejects.toThrow(/cut off[\s\S]*allowTornTail/);
    expect((await readEvents(file, { allowTornTail: true })).map((event) => event.fileVersion)).toEqual([FILE_VERSION]);
  });
});
