/** Shared by the tests that load our exports in other runtimes (Python transformers/peft, llama.cpp). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@rlaif/core';
import { mlx } from '../src/backend.js';
import { OPT } from './options.js';

const REPO_VENV = fileURLToPath(new URL('../../../.venv/bin/python', import.meta.url));

/** A Python that can `import <imports>`: RLAIF_PYTHON, then ./.venv, then python3; undefined if none can. */
export function findPython(imports: string): string | undefined {
  for (const candidate of [process.env['RLAIF_PYTHON'], existsSync(REPO_VENV) ? REPO_VENV : undefined, 'python3']) {
    if (!candidate) continue;
    const probe = spawnSync(candidate, ['-c', `import ${imports}`], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/** The model spec of a fixture folder in float32, as the interop tests load it. */
export function fixtureModel(dir: string) {
  return { nameOrPath: dir, revision: 'main', dtype: 'float32' as const, quantizeBits: 0 as const, chatTemplate: false, systemPrompt: '' };
}

/**
 * A LoRA checkpoint of the model in `dir` after `steps` SFT steps on one completion of `prompt` (by
 * default four, so the adapter is not zero and exports must really merge it; with 0 the merged weights
 * are the base's). Returns the checkpoint folder.
 */
export async function trainedAdapter(dir: string, prompt: string, steps = 4): Promise<string> {
  const policy = await mlx().load({
    model: fixtureModel(dir),
    lora: { rank: 4, alpha: 8, dropout: 0, targetModules: [] },
    optimization: { ...OPT, learningRate: 5e-2 },
    context: { runDir: os.tmpdir(), cacheDir: os.tmpdir(), logger: silentLogger, seed: 1, signal: new AbortController().signal },
  });
  const task = { id: 't', language: 'python' as const, prompt, extra: {} };
  for (let i = 0; i < steps; i++) await policy.optimizer.supervisedStep([[{ task, completion: 'return fibonacci(n - 1) + fibonacci(n - 2)' }]]);
  const checkpoint = await mkdtemp(path.join(os.tmpdir(), 'rlaif-interop-ckpt-'));
  await policy.optimizer.save(checkpoint);
  await policy.close();
  return checkpoint;
}
