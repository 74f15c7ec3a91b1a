import { describeGeneratorConformance } from '@rlaif/core/testing';
import { boundGenerator } from './bound-generator.js';

// The tiny Qwen2 fixture, fully fine-tuned by MLX, exported to GGUF and sampled by llama.cpp.
describeGeneratorConformance('llamacpp', { makeGenerator: async () => (await boundGenerator()).generator });
