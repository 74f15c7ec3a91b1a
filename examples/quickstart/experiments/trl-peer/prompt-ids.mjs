#!/usr/bin/env node
/**
 * Prompt token ids of the first N tasks of a tasks file as rlaif's policy sees them (@rlaif/hf's
 * `formatTaskPrompt` with the quickstart's model settings: chat template on, no system prompt), one
 * JSON line per task; trl_quickstart.py --check-prompts compares TRL's ids with these.
 *
 *   node prompt-ids.mjs <model dir> <tasks.jsonl> [N]
 */
import { readFileSync } from 'node:fs';
import { Tokenizer, formatTaskPrompt } from '@rlaif/hf';

const [modelDir, tasksFile, count = '12'] = process.argv.slice(2);
if (!modelDir || !tasksFile) {
  console.error('usage: prompt-ids.mjs MODEL_DIR TASKS_JSONL [N]');
  process.exit(2);
}
const tokenizer = await Tokenizer.fromDirectory(modelDir);
const tasks = readFileSync(tasksFile, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
// Spread over the file so every language is included (train.jsonl is grouped by language).
const step = Math.max(1, Math.floor(tasks.length / Number(count)));
for (let i = 0; i < tasks.length && i / step < Number(count); i += step) {
  const task = tasks[i];
  process.stdout.write(`${JSON.stringify({ id: task.id, ids: formatTaskPrompt(task, tokenizer, { chatTemplate: true, systemPrompt: '' }) })}\n`);
}
