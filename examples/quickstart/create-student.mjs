#!/usr/bin/env node
/**
 * Creates the quickstart's student (a randomly initialised tiny Qwen2) from model.config.json into
 * examples/quickstart/.model/, learning its BPE merges from the train tasks.
 * Run after building: node examples/quickstart/create-student.mjs [--out DIR] [--seed N]
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync, renameSync } from 'node:fs';
import { core as mx } from '@frost-beta/mlx';
import { createTinyModel, taskInstruction } from '@rlaif/backend-mlx';
import { studentOptions } from './student-options.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Creates the student described by `configFile` in `outputDir`; returns what createTinyModel wrote. */
export async function createStudent({ configFile = join(HERE, 'model.config.json'), outputDir = join(HERE, '.model'), seed } = {}) {
  const options = studentOptions({ configFile, outputDir, seed, taskInstruction });
  const created = await createTinyModel(options);
  const { embeddingStd } = JSON.parse(readFileSync(configFile, 'utf8'));
  if (embeddingStd !== undefined) scaleEmbeddings(join(outputDir, 'model.safetensors'), embeddingStd / (options.initializerRange ?? 0.02));
  return created;
}

/**
 * Multiplies the token embeddings in `weightsFile` by `factor`. LoRA leaves the embeddings (tied to the
 * output head) and the final norm frozen, so their scale caps every logit at |h|·|e|: at the default
 * std 0.02 no token can get more than a few percent probability, and SFT stalls near loss 4.
 */
function scaleEmbeddings(weightsFile, factor) {
  const weights = mx.load(weightsFile);
  const name = 'model.embed_tokens.weight';
  weights[name] = mx.multiply(weights[name], mx.array(factor, mx.float32));
  mx.saveSafetensors(`${weightsFile}.tmp.safetensors`, weights, { format: 'pt' });
  renameSync(`${weightsFile}.tmp.safetensors`, weightsFile);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const flag = (name) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const started = performance.now();
  const out = flag('--out');
  const seed = flag('--seed');
  const created = await createStudent({ outputDir: out ? resolve(out) : undefined, seed: seed === undefined ? undefined : Number(seed) });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`created ${created.outputDir}: ${created.parameterCount} parameters, vocab ${created.vocabSize} (${created.mergeCount} merges), in ${seconds} s`);
}
