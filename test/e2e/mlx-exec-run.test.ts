/**
 * A real run, shortened: the committed tiny Qwen2 checkpoint on node-mlx, SFT warm-up, RL scored
 * by the sandboxed exec teacher, checkpoints with PEFT adapters, resume, validate, report.
 * Needs the build (`npm run build`), bubblewrap and python3 (scripts/setup.sh installs them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'packages/core/dist/cli/bin.js');
const config = path.join(root, 'test/e2e/fixtures/mlx-exec.config.mjs');
const rlaif = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' } });

describe('rlaif run with backend-mlx and teacher-exec', () => {
  it('trains, checkpoints adapters, resumes, validates and reports', async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'rlaif-mlx-run-')), 'run');
    const run = rlaif('run', config, '--output-dir', out);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toMatch(/SFT warm-up: 4 examples/);
    expect(run.stderr).toMatch(/Generation Performance/);

    const checkpoints = readdirSync(path.join(out, 'checkpoints')).sort();
    // SFT (1 update) + 2 RL batches: gs counts every optimiser update.
    expect(checkpoints).toEqual(['checkpoint-e1-b1-gs2', 'checkpoint-e1-b2-gs3', 'checkpoint-e1-end-gs3', 'checkpoint-final-gs3', 'checkpoint-sft-gs1']);
    const final = path.join(out, 'checkpoints', 'checkpoint-final-gs3');
    for (const file of ['adapter_config.json', 'adapter_model.safetensors', 'policy_state.json', 'trainer_state.json', 'manifest.json', 'checkpoint_summary.json']) {
      expect(existsSync(path.join(final, file)), file).toBe(true);
    }
    const rows = readFileSync(path.join(out, 'datasets/train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { score: number | null; breakdown: unknown });
    expect(rows).toHaveLength(4 * 2);
    expect(rows.every((r) => r.score !== null && r.breakdown !== null)).toBe(true);
    expect(readdirSync(path.join(out, 'logs/tensorboard')).some((f) => f.startsWith('events.out.tfevents'))).toBe(true);

    // Resuming a finished run has nothing left to train and keeps the rows as they were.
    const resumed = rlaif('run', config, '--output-dir', out, '--resume', 'latest');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'datasets/train.jsonl'), 'utf8').trim().split('\n')).toHaveLength(8);

    const validate = rlaif('validate', config, '--output-dir', out, '--samples', '2');
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/Pass Rate \(all tests passed\)/);

    const report = rlaif('report', out);
    expect(report.status, report.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/<svg/);
  }, 300_000);
});
