/** A llama.cpp generator bound to a real tiny MLX policy, as the runner binds it (test helper). */
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mlx } from '@rlaif/backend-mlx';
import { BENCH_OPTIMIZATION } from '@rlaif/core';
import type { Generator, LoraSpec, ModelSpec, OptimizationSpec, Policy, PolicyBinding } from '@rlaif/core';
import { temporaryPluginContext } from '@rlaif/core/testing';
import { llamacpp, type LlamaCppGeneratorSettings } from '../src/index.js';

export const FIXTURE = fileURLToPath(new URL('../../backend-mlx/fixtures/tiny-qwen2', import.meta.url));

export const MODEL: ModelSpec = { nameOrPath: FIXTURE, revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' };

export const OPT: OptimizationSpec = { ...BENCH_OPTIMIZATION, learningRate: 3e-2, supervisedLearningRate: 3e-2, weightDecay: 0, microBatchSize: 4 };

export interface BoundGenerator {
  readonly generator: Generator;
  readonly policy: Policy;
  /** Saves the optimizer's state and syncs it into the generator, as the runner does. */
  sync(): Promise<void>;
  /** Where the syncs are saved, one `v{version}` folder each. */
  readonly root: string;
  /** The folder saved for `version` (default the last synced): a whole model under full fine-tuning. */
  modelDir(version?: number): string;
}

/** The MLX policy of the tiny fixture (LoRA when `lora` is given) and a llama.cpp generator following it at version 0. */
export async function boundGenerator(lora?: LoraSpec, settings: LlamaCppGeneratorSettings = { threads: 1, sequences: 4 }, model: ModelSpec = MODEL): Promise<BoundGenerator> {
  const context = await temporaryPluginContext();
  const backend = mlx();
  const policy = await backend.load({ model, lora, optimization: OPT, context });
  const generator = llamacpp(settings);
  await generator.setup?.(context);
  const binding: PolicyBinding = { model, lora, promptTokens: (task) => policy.promptTokens!(task), exportPolicy: backend.experimental_export!.bind(backend) };
  await generator.bindPolicy!(binding);
  const root = await mkdtemp(path.join(os.tmpdir(), 'rlaif-llamacpp-sync-'));
  let synced = 0;
  const sync = async () => {
    synced = policy.optimizer.version;
    const dir = path.join(root, `v${synced}`);
    await mkdir(dir);
    await policy.optimizer.save(dir);
    await generator.syncPolicy!(dir, synced);
  };
  await sync();
  return { generator, policy, sync, root, modelDir: (version = synced) => path.join(root, `v${version}`) };
}
