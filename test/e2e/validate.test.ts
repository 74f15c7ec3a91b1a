import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'packages/core/dist/cli/bin.js');
const config = path.join(root, 'test/e2e/fixtures/rlaif.config.mjs');
const tasks = path.join(root, 'test/e2e/fixtures/train.jsonl');

describe('rlaif validate', () => {
  it('compares the baseline with the latest checkpoint and writes the JSON report', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'rlaif-validate-'));
    const env = { ...process.env, RLAIF_FAKE_LEARNS: '1' };
    const run = spawnSync(process.execPath, [bin, 'run', config, '--output-dir', out], { encoding: 'utf8', env });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/<svg/);
    const validate = spawnSync(process.execPath, [bin, 'validate', config, '--output-dir', out, '--eval-file', tasks, '--max-tasks', '6', '--samples', '4'], {
      encoding: 'utf8',
      env,
    });
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/VALIDATION REPORT/);
    expect(validate.stdout).toMatch(/Improved:\s+\d+ cases/);
    const report = JSON.parse(readFileSync(path.join(out, 'validation_report.json'), 'utf8'));
    expect(report.testCases).toBe(6);
    expect(report.improved + report.degraded + report.equal).toBe(6);
    expect(report.fineTuned.averageReward).toBeGreaterThan(report.baseline.averageReward);
    expect(report.checkpoint).toMatch(/checkpoint-final-gs12$/);
    const evaluation = readFileSync(path.join(out, 'datasets/evaluation.jsonl'), 'utf8').trim().split('\n');
    expect(evaluation).toHaveLength(2 * 6 * 4);
    expect(existsSync(path.join(out, 'datasets/README.md'))).toBe(true);

    // Against an earlier checkpoint instead of the base model: both were trained, so both learned.
    const earlier = readdirSync(path.join(out, 'checkpoints'))
      .filter((name) => name !== 'checkpoint-final-gs12')
      .sort()[0]!;
    const againstEarlier = spawnSync(
      process.execPath,
      [bin, 'validate', config, '--output-dir', out, '--eval-file', tasks, '--max-tasks', '6', '--samples', '4', '--baseline-checkpoint', earlier, '--output', path.join(out, 'vs-earlier.json')],
      { encoding: 'utf8', env },
    );
    expect(againstEarlier.status, againstEarlier.stderr).toBe(0);
    expect(againstEarlier.stdout).toContain(`Baseline:   ${path.join(out, 'checkpoints', earlier)}`);
    const versus = JSON.parse(readFileSync(path.join(out, 'vs-earlier.json'), 'utf8'));
    expect(versus.baselineCheckpoint).toBe(path.join(out, 'checkpoints', earlier));
    expect(versus.baseline.averageReward).toBe(versus.fineTuned.averageReward);
    expect(versus.baseline.averageReward).toBeGreaterThan(report.baseline.averageReward);
    expect(report.baselineCheckpoint).toBeNull();
    const missing = spawnSync(process.execPath, [bin, 'validate', config, '--output-dir', out, '--eval-file', tasks, '--baseline-checkpoint', 'checkpoint-nope'], { encoding: 'utf8', env });
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/checkpoint-nope/);

    // A second fresh run into the same directory refuses, unless told to overwrite.
    const again = spawnSync(process.execPath, [bin, 'run', config, '--output-dir', out], { encoding: 'utf8', env });
    expect(again.status).toBe(3);
    expect(again.stderr).toMatch(/already holds a run.*--resume latest.*--overwrite/s);
    const overwritten = spawnSync(process.execPath, [bin, 'run', config, '--output-dir', out, '--overwrite'], { encoding: 'utf8', env });
    expect(overwritten.status, overwritten.stderr).toBe(0);
    expect(existsSync(path.join(out, 'validation_report.json'))).toBe(false);
    expect(readFileSync(path.join(out, 'datasets/train.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2 * 12 * 3);
  }, 90_000);
});
