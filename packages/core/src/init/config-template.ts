/** The commented `rlaif.config.ts` that `rlaif init` writes, with the teacher chosen from the environment. */
import type { DefaultTeacherChoice } from '../config/default-teacher.js';

/** Model names written for each LLM teacher package (any model of the provider works). */
const TEACHER_MODELS: Readonly<Record<string, string>> = {
  '@rlaif/teacher-anthropic': 'claude-sonnet-4-6',
  '@rlaif/teacher-openai': 'gpt-5-mini',
  '@rlaif/teacher-gemini': 'gemini-2.5-flash',
};

/** The `teacher:` line and its comment. */
function teacherLines(choice: DefaultTeacherChoice): string {
  const model = TEACHER_MODELS[choice.ref];
  if (model === undefined) {
    return [
      `  // The offline teacher: compiles and runs each sample against the task's tests in a sandbox`,
      `  // (installed with @rlaif/core; chosen because ${choice.reason.replace(/^no teacher set in the config and /, '')}).`,
      `  teacher: '${choice.ref}',`,
    ].join('\n');
  }
  return [
    `  // An LLM teacher (chosen because ${choice.reason.replace(/^no teacher set in the config and /, '')}); install it with`,
    `  // \`npm i ${choice.ref}\`. For the offline teacher that runs the tests instead: teacher: '@rlaif/teacher-exec'.`,
    `  teacher: { use: '${choice.ref}', model: '${model}' },`,
  ].join('\n');
}

/** The text of rlaif.config.ts. */
export function configTemplate(choice: DefaultTeacherChoice): string {
  return `// rlaif.config.ts, written by \`rlaif init\`. Every key is optional: the README's "Configuration
// reference" lists them all with their defaults. Check this file with \`npx rlaif run --dry-run\`.
import { defineConfig } from '@rlaif/core';

export default defineConfig({
  // The student: a Hugging Face hub id (downloaded on first use) or a local model folder.
  model: { name: 'Qwen/Qwen2.5-Coder-0.5B-Instruct', lora: { rank: 16 } },
  // The engine that samples from the student and trains it.
  backend: '@rlaif/backend-mlx',
${teacherLines(choice)}
  // One task per line: id, language (python, cpp or rust), prompt, tests and reference.
  data: { trainFile: './data/train.jsonl' },
  // Checkpoints, logs and datasets go to outputDir; resume a stopped run with \`npx rlaif run --resume\`.
  training: { epochs: 3, batchSize: 4, learningRate: 1e-5, outputDir: './runs/first' },
  // Samples per prompt (the group), the advantage estimator and the KL penalty to the base model.
  rlaif: { numSamplesPerPrompt: 4, advantage: 'grpo', klPenalty: 0.05 },
  // Metrics: TensorBoard events in <outputDir>/logs/tensorboard, JSONL in <outputDir>/logs/json_summaries.
  sinks: ['@rlaif/sink-tensorboard', '@rlaif/sink-jsonl'],
});
`;
}
