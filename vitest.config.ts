import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, file = 'index.ts') => fileURLToPath(new URL(`./packages/${pkg}/src/${file}`, import.meta.url));

// Tests import sibling packages from source, so `vitest run` needs no prior build.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@rlaif\/core\/testing$/, replacement: src('core', 'testing/index.ts') },
      { find: /^@rlaif\/core$/, replacement: src('core') },
      { find: /^@rlaif\/hf$/, replacement: src('hf') },
      { find: /^@rlaif\/backend-mlx$/, replacement: src('backend-mlx') },
      { find: /^@rlaif\/backend-tfjs$/, replacement: src('backend-tfjs') },
      { find: /^@rlaif\/generator-llamacpp$/, replacement: src('generator-llamacpp') },
      { find: /^@rlaif\/generator-vllm$/, replacement: src('generator-vllm') },
      { find: /^@rlaif\/teacher-exec$/, replacement: src('teacher-exec') },
      { find: /^@rlaif\/teacher-anthropic$/, replacement: src('teacher-anthropic') },
      { find: /^@rlaif\/teacher-openai$/, replacement: src('teacher-openai') },
      { find: /^@rlaif\/teacher-gemini$/, replacement: src('teacher-gemini') },
      { find: /^@rlaif\/sink-jsonl$/, replacement: src('sink-jsonl') },
      { find: /^@rlaif\/sink-tensorboard$/, replacement: src('sink-tensorboard') },
      { find: /^@rlaif\/reward-onnx$/, replacement: src('reward-onnx') },
    ],
  },
  test: {
    include: ['packages/*/{src,test}/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
