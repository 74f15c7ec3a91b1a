/**
 * Checkpoints are interchangeable with @rlaif/backend-mlx: an adapter (or a whole fine-tuned model)
 * trained 3 steps on one engine and loaded on the other gives the same logits within 1e-4, and the
 * optimizer state resumes across engines (same parameter names and order).
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import type { Backend, LoraSpec } from '@rlaif/core';
import { temporaryPluginContext } from '@rlaif/core/testing';
import { applyLora as applyMlxLora, loadModel as loadMlxModel, loadPeftAdapter as loadMlxAdapter, mlx } from '@rlaif/backend-mlx';
import { describe, expect, it } from 'vitest';
import { tfjs } from '../src/backend.js';
import { loadPeftAdapter } from '../src/checkpoint/peft-adapter.js';
import { tf } from '../src/engine/tf.js';
import { loadModel } from '../src/load/load-model.js';
import { applyLora } from '../src/lora/apply-lora.js';
import { fixture, syntheticBatch } from './fixtures.js';
import { OPT } from './options.js';

const LORA: LoraSpec = { rank: 4, alpha: 8, dropout: 0, targetModules: [] };
const PROMPT = [5, 17, 42, 99, 7, 250, 3, 11, 64, 128];

async function trainThreeSteps(backend: Backend, name: 'tiny-qwen2' | 'tiny-llama', lora: LoraSpec | undefined): Promise<string> {
  const policy = await backend.load({
    model: { nameOrPath: fixture(name), revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
    lora,
    optimization: { ...OPT, learningRate: 5e-2 },
    context: await temporaryPluginContext(),
  });
  for (let step = 0; step < 3; step++) await policy.optimizer.step([syntheticBatch(384, step)]);
  const dir = await mkdtemp(path.join(os.tmpdir(), `rlaif-cross-${backend.name}-`));
  await policy.optimizer.save(dir);
  await policy.close();
  return dir;
}

async function tfjsLogits(modelDir: string, adapterDir?: string): Promise<number[][]> {
  const { model } = await loadModel(modelDir);
  if (adapterDir) {
    applyLora(model, LORA);
    await loadPeftAdapter(adapterDir, model);
  }
  const logits = tf.tidy(() => model.forward(tf.tensor2d([PROMPT], undefined, 'int32')).arraySync()[0]!);
  model.dispose();
  return logits;
}

async function mlxLogits(modelDir: string, adapterDir?: string): Promise<number[][]> {
  const { model } = await loadMlxModel(modelDir, { dtype: 'float32' });
  if (adapterDir) await loadMlxAdapter(adapterDir, applyMlxLora(model, LORA));
  return (model.forward(mx.array([PROMPT], mx.int32)).tolist() as number[][][])[0]!;
}

function maxAbsDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.map((row, t) => Math.max(...row.map((v, i) => Math.abs(v - b[t]![i]!)))));
}

describe.each(['tiny-qwen2', 'tiny-llama'] as const)('cross-engine checkpoints (%s)', (name) => {
  it.each([
    ['tfjs', 'mlx'],
    ['mlx', 'tfjs'],
  ] as const)('a LoRA adapter trained 3 steps on %s gives the same logits on %s', async (trainer) => {
    const dir = await trainThreeSteps(trainer === 'tfjs' ? tfjs() : mlx(), name, LORA);
    const [onTfjs, onMlx, base] = [await tfjsLogits(fixture(name), dir), await mlxLogits(fixture(name), dir), await tfjsLogits(fixture(name))];
    expect(maxAbsDiff(onTfjs, onMlx)).toBeLessThan(1e-4);
    // Training moved the logits, so the agreement above is about the adapter, not the base.
    expect(maxAbsDiff(onTfjs, base)).toBeGreaterThan(1e-3);
    // …and the other engine resumes from it: same adapter, optimizer moments and policy version.
    const other = await (trainer === 'tfjs' ? mlx() : tfjs()).load({
      model: { nameOrPath: fixture(name), revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
      lora: LORA,
      optimization: OPT,
      context: await temporaryPluginContext(),
    });
    await other.optimizer.load(dir);
    expect(other.optimizer.version).toBe(3);
    await other.close();
  });

  it('a full fine-tuning checkpoint of tfjs is a model folder mlx loads with the same logits', async () => {
    const dir = await trainThreeSteps(tfjs(), name, undefined);
    const [onTfjs, onMlx] = [await tfjsLogits(dir), await mlxLogits(dir)];
    expect(maxAbsDiff(onTfjs, onMlx)).toBeLessThan(1e-4);
    expect(maxAbsDiff(onTfjs, await tfjsLogits(fixture(name)))).toBeGreaterThan(1e-3);
  });
});

describe('rlaif export on the TensorFlow.js backend', () => {
  it('merges an adapter trained on mlx into a model folder both engines load with the adapter\'s logits', async () => {
    const dir = await trainThreeSteps(mlx(), 'tiny-llama', LORA);
    const out = await mkdtemp(path.join(os.tmpdir(), 'rlaif-export-tfjs-'));
    await tfjs().experimental_export!({ checkpointDir: dir, baseModel: fixture('tiny-llama'), format: 'merged', outputDir: out });
    const adapted = await tfjsLogits(fixture('tiny-llama'), dir);
    expect(maxAbsDiff(await tfjsLogits(out), adapted)).toBeLessThan(1e-4);
    expect(maxAbsDiff(await mlxLogits(out), adapted)).toBeLessThan(1e-4);
  });

  it('refuses GGUF with the command that writes it', async () => {
    await expect(tfjs().experimental_export!({ checkpointDir: '/x', format: 'gguf', outputDir: '/y' })).rejects.toThrow(/backend-mlx/);
  });
});
