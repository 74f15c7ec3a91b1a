import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIO as capture } from '../../testing/capture-io.js';
import { main } from '../main.js';
import { reportCommand } from './report.js';


const run = (argv: string[], io: CliIO) => main(['report', ...argv], io, [reportCommand]);

async function runningRun(): Promise<string> {
  const runDir = await mkdtemp(join(tmpdir(), 'rlaif-report-cli-'));
  await mkdir(join(runDir, 'logs/json_summaries'), { recursive: true });
  const rows = [1, 2, 3].map((step) => JSON.stringify({ kind: 'batch', epoch: 1, batch: step, step, metrics: { 'Train/AvgReward': step / 4, 'Train/Loss': 1 / step } }));
  await writeFile(join(runDir, 'logs/json_summaries/batches.jsonl'), `${rows.join('\n')}\n{"kind":`);
  return runDir;
}

describe('rlaif report', () => {
  it('writes <run-dir>/report.html and notes the torn line it skipped', async () => {
    const runDir = await runningRun();
    const io = capture(tmpdir());
    expect(await run([runDir], io)).toBe(0);
    expect(io.out()).toMatch(/^Wrote .*report\.html \(\d+ KB\): 3 batches, 0 epochs, 0 health checks, 0 samples\n$/);
    expect(io.err()).toContain('incomplete last line');
    const html = await readFile(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('running or stopped');
    expect(html.match(/class="series-line"/g)?.length).toBe(2); // Train/AvgReward and Train/Loss
  });

  it('writes to --output relative to the working directory', async () => {
    const runDir = await runningRun();
    const io = capture(runDir);
    expect(await run(['.', '--output', 'out/page.html'], io)).toBe(0);
    expect(await readFile(join(runDir, 'out/page.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('fails clearly for a missing directory or a bad command line', async () => {
    const io = capture(tmpdir());
    expect(await run([join(tmpdir(), 'rlaif-no-such-run')], io)).toBe(3);
    expect(io.err()).toMatch(/not a directory[\s\S]*training\.outputDir/);
    expect(await run([], capture(tmpdir()))).toBe(2);
    expect(await run(['a', 'b'], capture(tmpdir()))).toBe(2);
  });
});
