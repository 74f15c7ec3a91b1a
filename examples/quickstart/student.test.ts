import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer, taskInstruction } from '@rlaif/hf';
import { afterAll, describe, expect, it } from 'vitest';
// Imported from source: the package entry may not re-export the create/ module yet.
import { createTinyModel } from '../../packages/backend-mlx/src/create/index.js';
import { studentOptions } from './student-options.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let outputDir: string | undefined;

describe('the quickstart student', () => {
  afterAll(async () => {
    if (outputDir) await rm(outputDir, { recursive: true, force: true });
  });

  it('is created from model.config.json with ~1.2M parameters and a BPE vocabulary that keeps every reference under 96 tokens', async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'rlaif-student-'));
    const options = studentOptions({ configFile: join(here, 'model.config.json'), outputDir, seed: undefined, taskInstruction });
    const created = await createTinyModel(options);
    expect(created.parameterCount).toBeGreaterThan(1_000_000);
    expect(created.parameterCount).toBeLessThan(3_000_000);
    expect(created.vocabSize).toBeLessThanOrEqual(512);
    const tokenizer = await Tokenizer.fromDirectory(outputDir);
    for (const text of options.tokenizer.corpus as string[]) {
      const completion = text.slice(text.indexOf('assistant\n') + 'assistant\n'.length);
      expect(tokenizer.encode(completion).length).toBeLessThan(96);
    }
  });
});

describe('createStudent', () => {
  it('rescales the frozen token embeddings to model.config.json embeddingStd, so logits are not capped near zero', async () => {
    const { core: mx } = await import('@frost-beta/mlx');
    const { createStudent } = await import('./create-student.mjs');
    const dir = await mkdtemp(join(tmpdir(), 'rlaif-student-scaled-'));
    try {
      await createStudent({ outputDir: dir });
      const { embeddingStd } = JSON.parse(readFileSync(join(here, 'model.config.json'), 'utf8')) as { embeddingStd: number };
      const embeddings = mx.load(join(dir, 'model.safetensors'))['model.embed_tokens.weight']!;
      const rms = mx.sqrt(mx.mean(mx.square(embeddings))).item() as number;
      expect(rms).toBeGreaterThan(embeddingStd * 0.95);
      expect(rms).toBeLessThan(embeddingStd * 1.05);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
