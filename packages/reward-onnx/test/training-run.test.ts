/**
 * The "done when": a TypeScript-style config with `onnxReward({ model: './rm' })` beside
 * pass_rate trains (tiny Qwen2 student on node-mlx, sandboxed exec teacher), and the learned reward
 * and its throughput land in the run's metrics, its value in the dataset rows. Runs the built CLI in a fresh project
 * folder whose node_modules points at this repository's: needs `npm run build`, bubblewrap and python3.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

const CONFIG = `import { onnxReward } from '@rlaif/reward-onnx';

export default {
  model: { name: ${JSON.stringify(path.join(root, 'packages/backend-mlx/fixtures/tiny-qwen2'))}, dtype: 'float32', systemPrompt: '', lora: { rank: 4, alpha: 8 } },
  backend: '@rlaif/backend-mlx',
  teacher: '@rlaif/teacher-exec',
  rewards: [
    { fn: 'pass_rate', weight: 0.7 },
    { fn: onnxReward({ model: './rm', name: 'quality', batchSize: 4 }), weight: 0.3 },
  ],
  data: { trainFile: './tasks.jsonl', evalSplit: 0 },
  training: { epochs: 1, batchSize: 2, learningRate: 1e-3, saveEveryEpochs: 0, saveSteps: 0, outputDir: './run' },
  rlaif: { numSamplesPerPrompt: 2, temperature: 1, maxNewTokens: 12, advantage: 'rloo' },
  sinks: [{ use: '@rlaif/sink-jsonl', scalars: true }],
  logging: { progress: 'plain', baselineEvalBatches: 0, logFile: false, healthCheck: { enabled: false } },
};
`;

describe('a run with a learned ONNX reward', () => {
  it('trains; the reward and its throughput appear in the run metrics, its value in the dataset rows', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rlaif-rm-run-'));
    symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
    cpSync(path.join(root, 'packages/reward-onnx/fixtures/qwen2'), path.join(dir, 'rm'), { recursive: true });
    cpSync(path.join(root, 'test/e2e/fixtures/python-tasks.jsonl'), path.join(dir, 'tasks.jsonl'));
    writeFileSync(path.join(dir, 'rlaif.config.mjs'), CONFIG);
    const run = spawnSync(process.execPath, [path.join(root, 'packages/core/dist/cli/bin.js'), 'run', 'rlaif.config.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', GEMINI_API_KEY: '' },
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);

    const writes = readFileSync(path.join(dir, 'run/logs/json_summaries/scalars.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { metrics: Record<string, number> });
    const batches = writes.map((write) => write.metrics).filter((metrics) => 'Train/Loss' in metrics);
    expect(batches).toHaveLength(2);
    for (const metrics of batches) {
      expect(Number.isFinite(metrics['Rewards/quality/Mean']), JSON.stringify(metrics)).toBe(true);
      expect(metrics['Rewards/Custom/quality/SamplesPerSec']).toBeGreaterThan(0);
      expect(metrics['Rewards/Custom/quality/LatencyMs']).toBeGreaterThan(0);
      expect(Number.isFinite(metrics['Train/Loss'])).toBe(true);
    }

    // Each dataset row keeps every reward function's own value beside the weighted reward.
    const rows = readFileSync(path.join(dir, 'run/datasets/train.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { reward: number; reward_functions: Record<string, number | null> });
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      const { pass_rate: passRate, quality } = row.reward_functions;
      expect(Number.isFinite(quality), JSON.stringify(row.reward_functions)).toBe(true);
      expect(row.reward).toBeCloseTo(passRate === null || passRate === undefined ? quality! : 0.7 * passRate + 0.3 * quality!, 10);
    }
  }, 300_000);
});
