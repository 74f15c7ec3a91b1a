/**
 * `rlaif run` side of the GRPO peer benchmark (peer.py sets the environment): the same
 * work per step as trl_grpo.py — 4 prompts × 4 samples × up to 64 new tokens, temperature 1, group-normalised
 * advantages, learning rate 1e-5 constant, gradient clipping at 1, one update per step, a free reward.
 *
 *   RLAIF_PEER_MODEL=<dir from make_model.py> RLAIF_PEER_BETA=0.04 RLAIF_PEER_STEPS=6 [RLAIF_PEER_LORA=1] npx rlaif run packages/backend-mlx/bench/grpo-peer/rlaif.config.ts --overwrite
 *
 * RLAIF_PEER_LORA=1 trains LoRA adapters (r 16, alpha 32, no dropout, every linear projection: trl_grpo.py --lora) instead of every weight.
 */
import { defineConfig, ZERO_USAGE, type RewardFn, type Score, type Teacher } from '@rlaif/core';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`set ${name} (peer.py does)`);
  return value;
};
const steps = Number(env('RLAIF_PEER_STEPS', '6'));
const lora = env('RLAIF_PEER_LORA', '0') === '1';

// TRL's GRPOTrainer needs no teacher; this one answers at once with an empty verdict, so the step is
// sampling + reward + update, as in TRL. The reward below is what both trainers optimise.
const EMPTY: Score = { overall: 0, breakdown: { correctness: 0, quality: 0, efficiency: 0, documentation: 0 }, evidence: 'not judged (speed benchmark)' };
const noJudge: Teacher = {
  specificationVersion: 'v1',
  kind: 'teacher',
  name: 'no-judge',
  reference: async () => null,
  score: async (_task, candidates) => ({ scores: candidates.map(() => EMPTY), referenceScore: null, usage: ZERO_USAGE }),
  usage: () => ZERO_USAGE,
};
/** The share of distinct characters in the completion (trl_grpo.py's `free_reward`). */
const distinctCharacters: RewardFn = {
  specificationVersion: 'v1',
  kind: 'reward',
  name: 'distinct_characters',
  compute: (batch) => batch.map(({ rollout }) => new Set(rollout.text).size / (rollout.text.length + 1)),
};

export default defineConfig({
  model: {
    name: env('RLAIF_PEER_MODEL'),
    dtype: 'float32',
    chatTemplate: false,
    systemPrompt: '',
    finetuning: lora ? 'lora' : 'full',
    lora: { rank: 16, alpha: 32, dropout: 0, targetModules: [] },
  },
  backend: '@rlaif/backend-mlx',
  teacher: noJudge,
  rewards: [{ fn: distinctCharacters, weight: 1 }],
  data: { trainFile: `${env('RLAIF_PEER_MODEL')}/tasks.jsonl`, evalSplit: 0, shuffle: false },
  training: {
    epochs: 1,
    batchSize: 4,
    maxBatchesPerEpoch: steps,
    microBatchSize: 16,
    learningRate: 1e-5,
    schedule: 'constant',
    maxGradNorm: 1,
    saveSteps: 0,
    saveEveryEpochs: 0,
    saveEveryBatches: 0,
    outputDir: env('RLAIF_PEER_OUT', '/tmp/grpo-peer-rlaif'),
    seed: 0,
  },
  rlaif: {
    numSamplesPerPrompt: 4,
    temperature: 1,
    topP: 1,
    maxNewTokens: 64,
    advantage: 'grpo',
    klPenalty: Number(env('RLAIF_PEER_BETA', '0.04')),
    ppoEpochs: 1,
    offPolicyLag: 0,
  },
  logging: { progress: 'plain', baselineEvalBatches: 0, systemMetricsIntervalSeconds: 0, sampleTextEverySteps: 0 },
  sinks: ['@rlaif/sink-jsonl'],
});
