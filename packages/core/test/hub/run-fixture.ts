/** A finished run directory as `rlaif run` leaves it, small: checkpoints, datasets, summaries, report. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CheckpointManager } from '../../src/checkpoint/checkpointer.js';

/** Bytes standing in for adapter weights: binary (so the hub stores them with LFS), seeded. */
export function adapterBytes(seed: number, size = 200_000): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + seed * 13) & 0xff;
  return bytes;
}

const row = (split: string, i: number, language: string) =>
  JSON.stringify({ id: `${split}-${i}`, prompt: `task ${i}`, language, task_id: `t${i}`, sample_index: 0, completion: 'x', code: 'x', reference: 'y', score: 0.5, teacher_score: 1, reward: 0.5, timestamp: '2026-01-01T00:00:00Z' });

/** Writes a run into `runDir` with `counts` dataset rows per split; resolves to the final checkpoint's path. */
export async function writeRunFixture(runDir: string, counts = { train: 6, validation: 3, evaluation: 2 }, options: { fullFineTuning?: boolean; datasetsDir?: string } = {}): Promise<string> {
  const datasets = options.datasetsDir ?? 'datasets';
  await mkdir(path.join(runDir, datasets), { recursive: true });
  for (const [split, n] of Object.entries(counts)) {
    const lines = Array.from({ length: n }, (_, i) => row(split, i, i % 3 === 2 ? 'rust' : 'python'));
    await writeFile(path.join(runDir, datasets, `${split}.jsonl`), lines.map((l) => `${l}\n`).join(''));
  }
  const config = {
    model: { name: 'Qwen/Qwen2.5-Coder-0.5B-Instruct', finetuning: 'lora', lora: { rank: 8, alpha: 16 } },
    training: { epochs: 2, batchSize: 4, learningRate: 1e-5, schedule: 'cosine', sft: { enabled: false }, ...(options.datasetsDir ? { datasetsDir: options.datasetsDir } : {}) },
    rlaif: { advantage: 'grpo', numSamplesPerPrompt: 4, klPenalty: 0.05, klEstimator: 'k3', temperature: 0.8, maxNewTokens: 256 },
    huggingface: { pushModel: false, pushDataset: false, private: true, pushEveryCheckpoint: false },
  };
  await writeFile(path.join(runDir, 'run.json'), JSON.stringify({ config, teacher: 'exec', rewards: 'ratio×1' }));
  await writeFile(path.join(runDir, 'summary.json'), JSON.stringify({ generation: { totalTokens: 12345 }, backprop: { totalTokens: 23456 }, durationSeconds: 61.2, teacher: { costUSD: 0 } }));
  await writeFile(
    path.join(runDir, 'validation_report.json'),
    JSON.stringify({ testCases: 3, samplesPerTask: 2, temperature: 0.8, baseline: { averageReward: 0.2, passRate: 0.1 }, fineTuned: { averageReward: 0.35, passRate: 0.3 }, averageImprovement: 0.15, relativeImprovementPercent: 75, improved: 2, degraded: 0, equal: 1 }),
  );
  await mkdir(path.join(runDir, 'logs', 'json_summaries'), { recursive: true });
  const batches = [1, 2, 3, 4].map((step) => JSON.stringify({ kind: 'batch', epoch: 1, batch: step, step, metrics: { 'Train/AvgReward': 0.1 * step } }));
  await writeFile(path.join(runDir, 'logs', 'json_summaries', 'batches.jsonl'), `${batches.join('\n')}\n`);
  const manager = new CheckpointManager(runDir);
  const save = (name: string, globalStep: number, seed: number) =>
    manager.save({
      name, epoch: 1, batch: globalStep, globalStep, trainerState: { formatVersion: 1 }, trainingStats: {}, appendOnlyFiles: {},
      summary: { baselineReward: 0.2, averageReward: 0.3 },
      writeModelState: async (dir) => {
        // Full fine-tuning saves a whole model folder, LoRA the adapter in PEFT layout.
        if (options.fullFineTuning) return writeFile(path.join(dir, 'model.safetensors'), adapterBytes(seed));
        await writeFile(path.join(dir, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r: 8, base_model_name_or_path: 'Qwen/Qwen2.5-Coder-0.5B-Instruct' }));
        await writeFile(path.join(dir, 'adapter_model.safetensors'), adapterBytes(seed));
      },
    });
  await save('checkpoint-e1-b2-gs2', 2, 1);
  return (await save('checkpoint-final-gs4', 4, 2)).path;
}
