/**
 * SIGKILLs a real `rlaif run` child process mid-epoch, resumes it with `--resume latest`, and checks
 * that every dataset row exists exactly once and the step counters run on without gaps or repeats,
 * matching an uninterrupted run. Needs the built CLI (`npm run build`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'packages/core/dist/cli/bin.js');
const config = path.join(root, 'test/e2e/fixtures/rlaif.config.mjs');

function startRun(outputDir: string, extra: string[] = []) {
  const child = spawn(process.execPath, [bin, 'run', config, '--output-dir', outputDir, ...extra], {
    env: { ...process.env, RLAIF_FAKE_DELAY_MS: '120' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const comparable = (row: Record<string, unknown>) => {
  const { timestamp: _t, policy_version: _p, step: _s, ...rest } = row;
  return rest;
};

describe('rlaif run: SIGKILL and resume', () => {
  it('loses nor duplicates any row, and keeps counters continuous', async () => {
    expect(existsSync(bin), 'build first: npm run build').toBe(true);
    const base = await mkdtemp(path.join(os.tmpdir(), 'rlaif-e2e-'));

    const reference = startRun(path.join(base, 'uninterrupted'));
    expect(await reference.exited, reference.output()).toBe(0);

    const killedDir = path.join(base, 'killed');
    const first = startRun(killedDir);
    const checkpointDir = path.join(killedDir, 'checkpoints');
    const deadline = Date.now() + 30_000;
    while (!(existsSync(checkpointDir) && readdirSync(checkpointDir).some((n) => n.startsWith('checkpoint-e1-b4')))) {
      if (Date.now() > deadline) throw new Error(`no checkpoint appeared:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 180));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    const resumed = startRun(killedDir, ['--resume', 'latest']);
    expect(await resumed.exited, resumed.output()).toBe(0);
    expect(resumed.output()).toMatch(/Resuming from checkpoint-e1-b4/);

    const expected = lines(path.join(base, 'uninterrupted/datasets/train.jsonl'));
    const actual = lines(path.join(killedDir, 'datasets/train.jsonl'));
    const ids = actual.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(actual.map(comparable)).toEqual(expected.map(comparable));
    expect(actual).toHaveLength(2 * 12 * 3);

    const steps = lines(path.join(killedDir, 'logs/json_summaries/batches.jsonl')).map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const epochs = lines(path.join(killedDir, 'logs/json_summaries/epochs.jsonl')).map((r) => r.epoch);
    expect(epochs).toEqual([1, 2]);
    expect(readdirSync(checkpointDir)).toContain('checkpoint-final-gs12');
    const summary = JSON.parse(readFileSync(path.join(killedDir, 'summary.json'), 'utf8')) as { backprop: { samples: number } };
    expect(summary.backprop.samples).toBe(12);
  }, 120_000);

  it('stops on SIGINT after the current step with a checkpoint, exit code 130', async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'rlaif-sigint-')), 'run');
    const run = startRun(dir);
    const batches = path.join(dir, 'logs/json_summaries/batches.jsonl');
    const deadline = Date.now() + 30_000;
    while (!(existsSync(batches) && readFileSync(batches, 'utf8').split('\n').length > 3)) {
      if (Date.now() > deadline) throw new Error(`no progress:\n${run.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    run.child.kill('SIGINT');
    expect(await run.exited, run.output()).toBe(130);
    expect(run.output()).toMatch(/stopping after the current step/);
    const names = readdirSync(path.join(dir, 'checkpoints'));
    const stopped = lines(batches).length;
    expect(names.some((n) => n.endsWith(`-gs${stopped}`)), names.join(',')).toBe(true);
  }, 60_000);
});
