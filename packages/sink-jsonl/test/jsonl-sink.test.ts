import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, MetricsSink, PluginContext } from '@rlaif/core';
import { afterEach, describe, expect, it } from 'vitest';
import { jsonl } from '../src/index.js';

const sinks: MetricsSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close?.()));
});

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, error() {}, info() {}, debug() {}, warn: (message: string) => void warnings.push(message) };
}

async function start(options: Parameters<typeof jsonl>[0] = {}, runDir?: string) {
  const logger = recordingLogger();
  const context: PluginContext = {
    runDir: runDir ?? (await mkdtemp(join(tmpdir(), 'rlaif-jsonl-'))),
    cacheDir: '',
    logger,
    seed: 1,
    signal: new AbortController().signal,
  };
  const sink = jsonl(options);
  sinks.push(sink);
  await sink.setup?.(context);
  return { sink, logger, runDir: context.runDir, dir: join(context.runDir, 'logs/json_summaries') };
}

const batch = (n: number) => ({
  kind: 'batch' as const,
  epoch: 1,
  batch: n,
  step: n,
  timestamp: '2026-01-01T00:00:00.000Z',
  elapsedSeconds: n * 1.5,
  metrics: { 'Train/Loss': 1 / n, 'Train/AvgReward': n / 10 },
});

const readLines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('jsonl sink', () => {
  it('routes batch and epoch records to their files, one object per line, visible before flush', async () => {
    const { sink, dir } = await start();
    await sink.writeSummary?.(batch(1));
    await sink.writeSummary?.(batch(2));
    await sink.writeSummary?.({ kind: 'epoch', epoch: 1, step: 2, metrics: { 'Epoch/AvgReward': 0.15 } });
    expect(await readLines(join(dir, 'batches.jsonl'))).toEqual([batch(1), batch(2)]);
    expect(await readLines(join(dir, 'epochs.jsonl'))).toEqual([{ kind: 'epoch', epoch: 1, step: 2, metrics: { 'Epoch/AvgReward': 0.15 } }]);
    expect(await readdir(dir)).toEqual(['batches.jsonl', 'epochs.jsonl']);
  });

  it('writes the SFT warm-up\'s rows to sft.jsonl, created by the first of them', async () => {
    const { sink, dir } = await start();
    const sft = (step: number) => ({ kind: 'sft' as const, epoch: 1, step, metrics: { 'SFT/Loss': 2 / step } });
    await sink.writeSummary?.(sft(1));
    await sink.writeSummary?.(sft(2));
    expect(await readLines(join(dir, 'sft.jsonl'))).toEqual([sft(1), sft(2)]);
    await sink.flush();
    expect(Object.keys(sink.durableFiles?.() ?? {})).toContain('logs/json_summaries/sft.jsonl');
  });

  it('reports durable byte lengths as of the last flush', async () => {
    const { sink, dir } = await start();
    expect(sink.durableFiles?.()).toEqual({ 'logs/json_summaries/batches.jsonl': 0, 'logs/json_summaries/epochs.jsonl': 0 });
    await sink.writeSummary?.(batch(1));
    expect(sink.durableFiles?.()['logs/json_summaries/batches.jsonl']).toBe(0);
    await sink.flush();
    const size = (await stat(join(dir, 'batches.jsonl'))).size;
    expect(size).toBeGreaterThan(10);
    expect(sink.durableFiles?.()).toEqual({ 'logs/json_summaries/batches.jsonl': size, 'logs/json_summaries/epochs.jsonl': 0 });
  });

  it('writes raw scalars only when asked', async () => {
    const off = await start();
    await off.sink.write(1, { 'Train/Loss': 0.5 });
    expect(await readdir(off.dir)).not.toContain('scalars.jsonl');

    const on = await start({ scalars: true });
    await on.sink.write(3, { 'Train/Loss': 0.5 });
    const [line] = await readLines(join(on.dir, 'scalars.jsonl'));
    expect(line).toMatchObject({ step: 3, metrics: { 'Train/Loss': 0.5 } });
    expect(Number.isNaN(Date.parse(String(line?.timestamp)))).toBe(false);
    expect(Object.keys(on.sink.durableFiles?.() ?? {})).toContain('logs/json_summaries/scalars.jsonl');
  });

  it('appends after existing lines on resume and cuts away a torn last line', async () => {
    const first = await start();
    await first.sink.writeSummary?.(batch(1));
    await first.sink.close?.();
    const file = join(first.dir, 'batches.jsonl');
    await writeFile(file, `${await readFile(file, 'utf8')}{"kind":"batch","epo`);

    const resumed = await start({}, first.runDir);
    expect(resumed.logger.warnings.join('\n')).toMatch(/batches\.jsonl ended with a cut-off line \(20 bytes\)/);
    await resumed.sink.writeSummary?.(batch(2));
    expect(await readLines(file)).toEqual([batch(1), batch(2)]);
  });

  it('turns write failures into one warning instead of throwing', async () => {
    // A closed file fails every append, the same way a full or vanished disk would.
    const { sink, logger } = await start();
    await sink.close?.();
    await expect(sink.writeSummary?.(batch(1))).resolves.toBeUndefined();
    await expect(sink.writeSummary?.(batch(2))).resolves.toBeUndefined();
    expect(logger.warnings.filter((message) => message.includes('append of'))).toHaveLength(1);
  });

  it('ignores records of unknown kind with a warning', async () => {
    const { sink, logger, dir } = await start();
    await sink.writeSummary?.({ kind: 'step' } as unknown as Parameters<NonNullable<MetricsSink['writeSummary']>>[0]);
    expect(logger.warnings.join('\n')).toMatch(/kind "step" ignored/);
    expect((await stat(join(dir, 'batches.jsonl'))).size).toBe(0);
  });

  it('refuses use before setup with a hint', () => {
    expect(() => jsonl().writeSummary?.(batch(1))).toThrow(/before setup\(\)[\s\S]*setup\(context\)/);
  });
});
