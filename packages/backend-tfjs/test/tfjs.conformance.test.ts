import { fileURLToPath } from 'node:url';
import { describeGeneratorConformance, describeOptimizerConformance, temporaryPluginContext } from '@rlaif/core/testing';
import { tfjs } from '../src/backend.js';
import { OPT } from './options.js';

// backend-mlx's committed tiny Qwen2 checkpoint.
const nameOrPath = fileURLToPath(new URL('../../backend-mlx/fixtures/tiny-qwen2', import.meta.url));

async function makePolicy() {
  return tfjs().load({
    model: { nameOrPath, revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: true, systemPrompt: '' },
    lora: { rank: 4, alpha: 8, dropout: 0, targetModules: [] },
    optimization: { ...OPT, learningRate: 1e-2 },
    context: await temporaryPluginContext(),
  });
}

describeGeneratorConformance('tfjs', { makeGenerator: async () => (await makePolicy()).generator, capabilities: { deterministic: true } });
describeOptimizerConformance('tfjs', { makePolicy });
