import { fileURLToPath } from 'node:url';
import { describeGeneratorConformance, describeOptimizerConformance, temporaryPluginContext } from '@rlaif/core/testing';
import { mlx } from '../src/backend.js';
import { OPT } from './options.js';

const nameOrPath = fileURLToPath(new URL('../fixtures/tiny-qwen2', import.meta.url));

async function makePolicy() {
  return mlx().load({
    model: { nameOrPath, revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
    lora: { rank: 4, alpha: 8, dropout: 0, targetModules: [] },
    optimization: { ...OPT, learningRate: 1e-2 },
    context: await temporaryPluginContext(),
  });
}

describeGeneratorConformance('mlx', { makeGenerator: async () => (await makePolicy()).generator, capabilities: { deterministic: true } });
describeOptimizerConformance('mlx', { makePolicy });
