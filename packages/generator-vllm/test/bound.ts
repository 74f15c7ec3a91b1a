/** A vLLM generator bound to a stand-in policy (fixed prompt ids, a LoRA spec) and synced once, as the runner binds it. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Generator, PolicyBinding, Task } from '@rlaif/core';
import { temporaryPluginContext } from '@rlaif/core/testing';
import { vllm, type VllmGeneratorSettings } from '../src/index.js';

/** The prompt ids the stand-in backend gives a task. */
export const promptIds = (task: Task): number[] => [...task.id].map((c) => c.charCodeAt(0) % 50);

export const BINDING: PolicyBinding = {
  model: { nameOrPath: 'base-model', revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
  lora: { rank: 4, alpha: 8, dropout: 0, targetModules: [] },
  promptTokens: promptIds,
  exportPolicy: undefined,
};

/** A folder as Optimizer.save writes it for a LoRA policy of rank `rank` (what syncPolicy reads). */
export async function savedAdapter(rank = 4): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-vllm-adapter-'));
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r: rank, lora_alpha: 8, target_modules: ['q_proj', 'v_proj'], base_model_name_or_path: 'base-model' }));
  await writeFile(path.join(dir, 'adapter_model.safetensors'), 'weights');
  await writeFile(path.join(dir, 'optimizer_state.safetensors'), 'not for the server');
  return dir;
}

/** A generator on `baseURLs`, set up, bound (to BINDING unless given) and synced to version 0. */
export async function boundVllm(settings: VllmGeneratorSettings, binding: PolicyBinding = BINDING): Promise<Generator> {
  const generator = vllm({ backoffMs: 5, ...settings });
  await generator.setup?.(await temporaryPluginContext());
  await generator.bindPolicy!(binding);
  await generator.syncPolicy!(await savedAdapter(), 0);
  return generator;
}
