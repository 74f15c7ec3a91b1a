/**
 * Turns model.config.json into createTinyModel options: the shape as written, plus the tokenizer's
 * corpus, which is the train tasks as the student sees them (instruction, then the fenced reference).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The text of one task as training shows it; the fence matches core's SFT completions. */
export function corpusText(row, taskInstruction) {
  const task = { id: row.id, language: row.language, prompt: row.prompt, extra: {} };
  return `user\n${taskInstruction(task)}\nassistant\n\`\`\`${row.language}\n${row.reference.trimEnd()}\n\`\`\`\n`;
}

/**
 * Options for createTinyModel from `configFile`; `taskInstruction` is the backend's own (passed in so
 * the corpus always matches the prompts the backend builds).
 */
export function studentOptions({ configFile, outputDir, seed, taskInstruction }) {
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  const { corpusFile, ...tokenizer } = config.tokenizer;
  // embeddingStd is applied by create-student.mjs after creation, not by createTinyModel.
  const shape = { ...config };
  delete shape.embeddingStd;
  const corpus = corpusFile
    ? readFileSync(resolve(dirname(configFile), corpusFile), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => corpusText(JSON.parse(line), taskInstruction))
    : undefined;
  return { ...shape, seed: seed ?? config.seed, outputDir, tokenizer: { ...tokenizer, corpus } };
}
