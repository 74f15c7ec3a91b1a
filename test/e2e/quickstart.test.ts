/**
 * The offline quickstart, shortened: the real examples/quickstart config (student created from its
 * model.config.json, full fine-tuning, SFT warm-up, RL with the sandboxed exec teacher, held-out
 * evaluations, validation report) with fewer SFT examples, one RL batch and six held-out tasks.
 * The full run is `bash scripts/quickstart.sh` (README); this checks that every stage of it works.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'packages/core/dist/cli/bin.js');
const quickstart = path.join(root, 'examples/quickstart');
const config = path.join(quickstart, 'experiments/experiment.config.ts');

// Shortened through the experiment config's overrides, which merge into the quickstart's own settings.
const SHORTENED = {
  name: 'ci',
  training: { batchSize: 4, maxBatchesPerEpoch: 1, sft: { epochs: 1, batchSize: 16, maxExamples: 32 } },
  rlaif: { numSamplesPerPrompt: 2, evalSamplesPerPrompt: 2, maxNewTokens: 48 },
};

describe('the offline quickstart, shortened', () => {
  it('runs SFT, RL and the held-out evaluations, and writes the validation report', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-quickstart-'));
    const out = path.join(dir, 'run');
    // Two held-out tasks per language.
    const heldout = readFileSync(path.join(quickstart, 'tasks/heldout.jsonl'), 'utf8').trim().split('\n');
    const evalFile = path.join(dir, 'heldout.jsonl');
    writeFileSync(evalFile, `${['py', 'cpp', 'rs'].flatMap((tag) => heldout.filter((line) => line.includes(`"qs-heldout-${tag}-`)).slice(0, 2)).join('\n')}\n`);

    const run = spawnSync(process.execPath, [bin, 'run', config, '--output-dir', out, '--eval-file', evalFile], {
      encoding: 'utf8',
      env: { ...process.env, RLAIF_EXPERIMENT: JSON.stringify(SHORTENED), ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' },
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toMatch(/full fine-tuning/);
    expect(run.stderr).toMatch(/SFT warm-up: 32 examples × 1 epochs/);
    expect(run.stderr).toMatch(/Eval \(before\) on 6 tasks[\s\S]*Eval \(sft\) on 6 tasks[\s\S]*Eval \(epoch-1\) on 6 tasks/);
    // The end-of-run table and the validation report (before training vs final; on the console, i.e. stderr), also as JSON.
    expect(run.stderr).toMatch(/Held-out Evaluation \(95% bootstrap intervals over tasks\):[\s\S]*before[\s\S]*sft[\s\S]*epoch-1[\s\S]*Gain epoch-1 vs sft, paired per task/);
    expect(run.stderr).toMatch(/VALIDATION REPORT[\s\S]*Pass Rate \(all tests passed\)/);
    const report = JSON.parse(readFileSync(path.join(out, 'validation_report.json'), 'utf8')) as { testCases: number; samplesPerTask: number };
    expect(report).toMatchObject({ testCases: 6, samplesPerTask: 2 });

    // Two SFT updates; the RL batch updates only when some group's rewards differ, which this short warm-up rarely gives.
    const checkpoints = readdirSync(path.join(out, 'checkpoints')).sort();
    expect(checkpoints).toContain('checkpoint-sft-gs2');
    const final = checkpoints.find((name) => /^checkpoint-final-gs[23]$/.test(name));
    expect(final, checkpoints.join(', ')).toBeDefined();
    // Full fine-tuning: each checkpoint is a whole model folder.
    expect(existsSync(path.join(out, 'checkpoints', final!, 'model.safetensors'))).toBe(true);
    expect(readdirSync(path.join(out, 'logs/tensorboard')).some((f) => f.startsWith('events.out.tfevents'))).toBe(true);
    expect(existsSync(path.join(out, 'report.html'))).toBe(true);

    // What RL added on top of SFT: the SFT checkpoint (a whole model folder) as the baseline. One
    // evaluation pipeline with the run's seeds and chunks, so both checkpoints score exactly as the
    // run's own evaluations after SFT and after the epoch did.
    const versusSft = path.join(out, 'vs-sft.json');
    const validate = spawnSync(
      process.execPath,
      [bin, 'validate', config, '--output-dir', out, '--eval-file', evalFile, '--baseline-checkpoint', 'checkpoint-sft-gs2', '--output', versusSft],
      { encoding: 'utf8', env: { ...process.env, RLAIF_EXPERIMENT: JSON.stringify(SHORTENED), ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' } },
    );
    expect(validate.status, `${validate.stdout}\n${validate.stderr}`).toBe(0);
    expect(validate.stdout).toMatch(/Baseline checkpoint vs Post-Training[\s\S]*Baseline: +\S*checkpoint-sft-gs2/);
    type Results = { averageReward: number; passRate: number | null };
    const comparison = JSON.parse(readFileSync(versusSft, 'utf8')) as { testCases: number; baselineCheckpoint: string; checkpoint: string; baseline: Results; fineTuned: Results };
    expect(comparison.testCases).toBe(6);
    const { evaluations } = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { evaluations: { phase: string; meanReward: number; passRate: number | null }[] };
    const inRun = (phase: string) => evaluations.find((e) => e.phase === phase)!;
    expect([comparison.baseline.averageReward, comparison.baseline.passRate]).toEqual([inRun('sft').meanReward, inRun('sft').passRate]);
    expect([comparison.fineTuned.averageReward, comparison.fineTuned.passRate]).toEqual([inRun('epoch-1').meanReward, inRun('epoch-1').passRate]);
    expect(comparison.baselineCheckpoint).toMatch(/checkpoint-sft-gs2$/);
    expect(comparison.checkpoint).toMatch(/checkpoint-final-gs[23]$/);
  }, 600_000);
});
