/**
 * Keeps a Generator on another engine (config key `generator`) sampling the Optimizer's policy.
 * Before each `generate`, if the optimizer has made updates since the last sync, its state is saved
 * to `{runDir}/.policy-sync/v{version}` and handed to `syncPolicy(dir, version)`. Syncing on demand
 * is the same as syncing after every update (generation is the only reader) but skips the SFT
 * warm-up's many steps between evaluations; the previous version's folder is removed once the
 * engine has the new one.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Backend, BackendOptions, Policy } from '../contracts/backend.js';
import type { GenerationResult, Generator } from '../contracts/generator.js';
import type { Optimizer } from '../contracts/optimizer.js';
import { ConfigError } from '../errors/rlaif-error.js';
import type { Logger } from '../observability/logger.js';

/** Where the synced policy versions are written, relative to the run directory. */
export const POLICY_SYNC_DIR = '.policy-sync';

export interface FollowPolicyOptions {
  readonly policy: Policy;
  readonly optimizer: Optimizer;
  readonly backend: Backend;
  readonly spec: Pick<BackendOptions, 'model' | 'lora'>;
  readonly runDir: string;
  readonly logger: Logger;
}

/**
 * Binds `generator` to the loaded policy and returns it wrapped so that every `generate` samples the
 * optimizer's current version. Throws ConfigError when the generator cannot load new weights or the
 * backend cannot give it prompt token ids.
 */
export async function followPolicy(generator: Generator, options: FollowPolicyOptions): Promise<Generator> {
  const { policy, optimizer, backend, runDir, logger } = options;
  const sync = generator.syncPolicy?.bind(generator);
  if (!sync) {
    throw new ConfigError(`generator '${generator.name}' cannot load updated weights (it has no syncPolicy), so it would keep sampling the base model`, 'generator', undefined, {
      hint: "remove the generator key to sample with the backend's own Generator, or use '@rlaif/generator-llamacpp' or '@rlaif/generator-vllm'",
    });
  }
  const promptTokens = policy.promptTokens?.bind(policy);
  if (!promptTokens) {
    throw new ConfigError(`backend '${backend.name}' does not give prompt token ids to another engine, which generator '${generator.name}' needs`, 'generator', undefined, {
      hint: "remove the generator key, or use a backend that implements Policy.promptTokens such as '@rlaif/backend-mlx'",
    });
  }
  await generator.bindPolicy?.({
    model: options.spec.model,
    lora: options.spec.lora,
    promptTokens,
    exportPolicy: backend.experimental_export?.bind(backend),
  });
  const root = path.join(runDir, POLICY_SYNC_DIR);
  let synced: { version: number; dir: string } | undefined;

  const catchUp = async (): Promise<void> => {
    const version = optimizer.version;
    if (synced?.version === version) return;
    const started = performance.now();
    const dir = path.join(root, `v${version}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await optimizer.save(dir);
    await sync(dir, version);
    if (synced) await rm(synced.dir, { recursive: true, force: true });
    synced = { version, dir };
    logger.info(`generator ${generator.name}: policy version ${version} loaded in ${((performance.now() - started) / 1000).toFixed(2)} s`, {
      generator: generator.name,
      version,
    });
  };

  return {
    specificationVersion: 'v1',
    kind: 'generator',
    name: generator.name,
    async generate(tasks, n, sampling): Promise<GenerationResult> {
      await catchUp();
      return generator.generate(tasks, n, sampling);
    },
    async close() {
      await generator.close?.();
      await rm(root, { recursive: true, force: true });
    },
  };
}
