import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO as capture } from '../../testing/capture-io.js';
import { main } from '../main.js';
import { summariesCommand } from './summaries.js';


/** A run directory whose json_summaries hold 30 batches and 3 epochs, plus a torn last batch line. */
async function runWithSummaries(): Promise<string> {
  const runDir = await mkdtemp(join(tmpdir(), 'rlaif-summaries-'));
  const dir = join(runDir, 'logs/json_summaries');
  await mkdir(dir, { recursive: true });
  const batches = Array.from({ length: 30 }, (_, i) =>
    JSON.stringify({ kind: 'batch', epoch: Math.floor(i / 10) + 1, batch: (i % 10) + 1, step: i + 1, elapsedSeconds: (i + 1) * 2, metrics: { 'Train/Loss': 1 / (i + 1), 'Train/AvgReward': i / 30, 'Train/KL': 0.01 } }),
  );
  const epochs = [1, 2, 3].map((epoch) => JSON.stringify({ kind: 'epoch', epoch, step: epoch * 10, metrics: { 'Epoch/AvgReward': epoch / 4, 'Epoch/NumSamples': 40 } }));
  await writeFile(join(dir, 'batches.jsonl'), `${batches.join('\n')}\n{"kind":"batch","ep`);
  await writeFile(join(dir, 'epochs.jsonl'), `${epochs.join('\n')}\n`);
  return runDir;
}

const run = (argv: string[], io: CliIO) => main(['summaries', ...argv], io, [summariesCommand]);

describe('rlaif summaries', () => {
  it('shows the last 20 batches by default with the default columns', async () => {
    const runDir = await runWithSummaries();
    const io = capture(runDir);
    expect(await run([], io)).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]!.trim().split(/\s+/)).toEqual(['epoch', 'batch', 'step', 'elapsed', 'Loss', 'AvgReward', 'KL']);
    expect(lines).toHaveLength(2 + 20 + 1);
    expect(lines[2]!.trim().split(/\s+/).slice(0, 3)).toEqual(['2', '1', '11']);
    expect(lines.at(-1)).toMatch(/^20 of 30 batch rows from .*batches\.jsonl$/);
  });

  it('shows all epochs with --tail 0 and chosen metrics by short name', async () => {
    const runDir = await runWithSummaries();
    const io = capture(runDir);
    expect(await run(['--dir', join(runDir, 'logs/json_summaries'), '--type', 'epoch', '--tail', '0', '--metrics', 'avgreward'], io)).toBe(0);
    expect(io.out()).toContain('epoch  step  AvgReward');
    expect(io.out()).toContain('3 of 3 epoch rows');
    expect(io.out()).not.toContain('NumSamples');
  });

  it('exports every row to CSV unless --tail is given', async () => {
    const runDir = await runWithSummaries();
    const io = capture(runDir);
    expect(await run(['--dir', runDir, '--csv-out', 'out.csv'], io)).toBe(0);
    const csv = (await readFile(join(runDir, 'out.csv'), 'utf8')).trimEnd().split('\n');
    expect(csv[0]).toBe('epoch,batch,step,elapsedSeconds,Train/Loss,Train/AvgReward,Train/KL');
    expect(csv).toHaveLength(31);
    expect(csv[1]).toBe('1,1,1,2,1,0,0.01');

    expect(await run(['--dir', runDir, '--tail', '5', '--csv-out', 'tail.csv'], capture(runDir))).toBe(0);
    expect((await readFile(join(runDir, 'tail.csv'), 'utf8')).trimEnd().split('\n')).toHaveLength(6);
  });

  it('fails with a usage error naming the metrics that exist', async () => {
    const runDir = await runWithSummaries();
    const io = capture(runDir);
    expect(await run(['--metrics', 'Nope'], io)).toBe(2);
    expect(io.err()).toContain("unknown or ambiguous metric(s) 'Nope'");
    expect(io.err()).toContain('Train/Loss, Train/AvgReward, Train/KL');
  });

  it('rejects bad flags and values with exit code 2', async () => {
    const runDir = await runWithSummaries();
    for (const argv of [['--type', 'step'], ['--tail', '-1'], ['--bogus']]) {
      const io = capture(runDir);
      expect(await run(argv, io)).toBe(2);
      expect(io.err()).toMatch(/rlaif summaries: /);
    }
  });

  it('says where the file was expected and how to get it when it is missing', async () => {
    const io = capture(await mkdtemp(join(tmpdir(), 'rlaif-summaries-none-')));
    expect(await run([], io)).toBe(3);
    expect(io.err()).toMatch(/batches\.jsonl: no summaries file here[\s\S]*jsonl\(\) sink/);
  });

  it('prints its help', async () => {
    const io = capture(tmpdir());
    expect(await run(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: rlaif summaries');
  });
});
