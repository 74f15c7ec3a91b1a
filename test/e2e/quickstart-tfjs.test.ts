/**
 * The offline quickstart on the TensorFlow.js backend, shortened: the real examples/quickstart config
 * with `backend: '@rlaif/backend-tfjs'` (full fine-tuning of the created student, SFT warm-up, one RL
 * batch scored by the sandboxed exec teacher, held-out evaluations, validation report), then
 * `rlaif validate` of its final checkpoint. Swapping the engine is the only change to the config.
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

const SHORTENED = {
  name: 'ci-tfjs',
  backend: '@rlaif/backend-tfjs',
  training: { batchSize: 2, maxBatchesPerEpoch: 1, sft: { epochs: 1, batchSize: 16, maxExamples: 16 } },
  rlaif: { numSamplesPerPrompt: 2, evalSamplesPerPrompt: 2, maxNewTokens: 48 },
};

describe('the offline quickstart on @rlaif/backend-tfjs, shortened', () => {
  it('runs SFT, RL and the held-out evaluations, and validates the final checkpoint', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-quickstart-tfjs-'));
    const out = path.join(dir, 'run');
    // One held-out task per language.
    const heldout = readFileSync(path.join(quickstart, 'tasks/heldout.jsonl'), 'utf8').trim().split('\n');
    const evalFile = path.join(dir, 'heldout.jsonl');
    writeFileSync(evalFile, `${['py', 'cpp', 'rs'].map((tag) => heldout.find((line) => line.includes(`"qs-heldout-${tag}-`))!).join('\n')}\n`);
    const env = { ...process.env, RLAIF_EXPERIMENT: JSON.stringify(SHORTENED), ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' };

    const run = spawnSync(process.execPath, [bin, 'run', config, '--output-dir', out, '--eval-file', evalFile], { encoding: 'utf8', env });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const log = `${run.stdout}\n${run.stderr}`;
    expect(log).toMatch(/tfjs policy loaded/);
    expect(log).toMatch(/SFT warm-up: 16 examples × 1 epochs/);
    expect(log).toMatch(/Eval \(before\) on 3 tasks[\s\S]*Eval \(sft\) on 3 tasks[\s\S]*Eval \(epoch-1\) on 3 tasks/);
    expect(log).toMatch(/VALIDATION REPORT/);
    const report = JSON.parse(readFileSync(path.join(out, 'validation_report.json'), 'utf8')) as { testCases: number; samplesPerTask: number };
    expect(report).toMatchObject({ testCases: 3, samplesPerTask: 2 });
    const final = readdirSync(path.join(out, 'checkpoints')).find((name) => name.startsWith('checkpoint-final-'));
    expect(final).toBeDefined();
    // Full fine-tuning: the checkpoint is a whole model folder, as on backend-mlx.
    expect(existsSync(path.join(out, 'checkpoints', final!, 'model.safetensors'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(out, 'checkpoints', final!, 'policy_state.json'), 'utf8'))).toMatchObject({ backend: 'tfjs' });

    const validate = spawnSync(process.execPath, [bin, 'validate', config, '--output-dir', out, '--eval-file', evalFile, '--output', path.join(out, 'again.json')], {
      encoding: 'utf8',
      env,
    });
    expect(validate.status, `${validate.stdout}\n${validate.stderr}`).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, 'again.json'), 'utf8'))).toMatchObject({ testCases: 3 });
  }, 600_000);
});
