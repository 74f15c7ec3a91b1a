import { temporaryPluginContext, sampleTask } from '@rlaif/core/testing';
import { describe, expect, it } from 'vitest';
import { tfjs } from '../src/backend.js';
import { tf } from '../src/engine/tf.js';
import { fixture, syntheticBatch } from './fixtures.js';
import { OPT } from './options.js';

const sampling = { temperature: 1, topP: 0.9, topK: 40, minP: 0, maxNewTokens: 8, stop: ['\n\n'], seed: 1 };

describe.each([
  ['LoRA', { rank: 4, alpha: 8, dropout: 0.1, targetModules: [] }],
  ['full fine-tuning', undefined],
] as const)('tensor count with %s', (_, lora) => {
  it('is constant across 20 training steps, 20 generate calls and SFT steps', async () => {
    const policy = await tfjs().load({
      model: { nameOrPath: fixture('tiny-qwen2'), revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
      lora,
      optimization: { ...OPT, ppoEpochs: 2, microBatchSize: 3 },
      context: await temporaryPluginContext(),
    });
    const tasks = [sampleTask(), sampleTask({ id: 'b', prompt: 'Add two numbers.' })];
    // The first step creates the AdamW moments (and, with full fine-tuning, the KL reference copy).
    await policy.optimizer.step([syntheticBatch(384, 0)]);
    await policy.generator.generate(tasks, 2, sampling);
    const before = tf.memory().numTensors;
    for (let step = 1; step <= 20; step++) {
      await policy.optimizer.step([syntheticBatch(384, step)]);
      await policy.generator.generate(tasks, 2, { ...sampling, seed: step });
    }
    await policy.optimizer.supervisedStep?.([[{ task: tasks[0]!, completion: 'def f():\n    return 1' }]]);
    expect(tf.memory().numTensors).toBe(before);
    await policy.close();
  });
});
