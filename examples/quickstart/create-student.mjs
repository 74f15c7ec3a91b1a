#!/usr/bin/env node
/**
 * Creates the quickstart's student (a randomly initialised tiny Qwen2) from model.config.json into
 * examples/quickstart/.model/, learning its BPE merges from the train tasks.
 * Run after building: node examples/quickstart/create-student.mjs [--out DIR] [--seed N]
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTinyModel, taskInstruction } from '@rlaif/backend-mlx';
import { studentOptions } from './student-options.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Creates the student described by `configFile` in `outputDir`; returns what createTinyModel wrote. */
export function createStudent({ configFile = join(HERE, 'model.config.json'), outputDir = join(HERE, '.model'), seed } = {}) {
  return createTinyModel(studentOptions({ configFile, outputDir, seed, taskInstruction }));
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
