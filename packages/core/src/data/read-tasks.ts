import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Task } from '../contracts/task.js';
import { DataError } from '../errors/rlaif-error.js';
import { describeAcceptedLanguages, parseLanguage } from './languages.js';

const LINE_EXAMPLE = '{"prompt": "Write a function that …", "language": "python", "id": "optional", "tests": "optional"}';
const KNOWN_FIELDS = new Set(['id', 'prompt', 'language', 'tests', 'reference']);

/**
 * Reads a JSONL task file (`{prompt, language, id?, tests?, reference?, ...extra}` per line).
 * Blank lines are skipped; any bad line throws a DataError naming `file:line` and the reason.
 */
export async function readTasks(file: string): Promise<Task[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new DataError('task file not found', file, undefined, {
        hint: 'check data.trainFile / data.evalFile in your config; relative paths resolve against the config file directory',
        cause: error,
      });
    }
    throw new DataError(`cannot read task file (${code ?? String(error)})`, file, undefined, {
      hint: 'make sure the path is a readable JSONL file, not a directory',
      cause: error,
    });
  }
  return parseTasks(text, file);
}

/** Parses the text of a JSONL task file; `file` names it in errors and gives default ids their stem. */
export function parseTasks(text: string, file: string): Task[] {
  const stem = basename(file, extname(file));
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const tasks: Task[] = [];
  const firstLineOfId = new Map<string, number>();
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const task = parseTaskLine(line, file, lineNumber, stem);
    const first = firstLineOfId.get(task.id);
    if (first !== undefined) {
      throw new DataError(`duplicate id ${JSON.stringify(task.id)} (first seen on line ${first})`, file, lineNumber, {
        hint: 'give every line a unique "id", or drop "id" to use the default <file-stem>-<line>',
      });
    }
    firstLineOfId.set(task.id, lineNumber);
    tasks.push(task);
  });
  if (tasks.length === 0) {
    throw new DataError('task file contains no tasks', file, undefined, {
      hint: `add one JSON object per line, e.g. ${LINE_EXAMPLE}`,
    });
  }
  return tasks;
}

type Fail = (message: string, hint: string) => never;

function parseTaskLine(line: string, file: string, lineNumber: number, stem: string): Task {
  // Typed as a never-returning const so TypeScript narrows after each `fail(...)` call.
  const fail: Fail = (message, hint) => {
    throw new DataError(message, file, lineNumber, { hint });
  };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    fail(`invalid JSON: ${(error as Error).message}`, `each line must be one JSON object, e.g. ${LINE_EXAMPLE}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`expected a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`, `each line must be one JSON object, e.g. ${LINE_EXAMPLE}`);
  }
  return taskFromRecord(value as Record<string, unknown>, file, lineNumber, stem);
}

/**
 * The Task of one parsed JSONL object (line `lineNumber` of `file`): checks prompt, language, id,
 * tests and reference; other fields go to `extra`. Throws a DataError naming `file:line`.
 */
export function taskFromRecord(record: Readonly<Record<string, unknown>>, file: string, lineNumber: number, stem: string): Task {
  const fail: Fail = (message, hint) => {
    throw new DataError(message, file, lineNumber, { hint });
  };

  const prompt = record.prompt;
  if (prompt === undefined) fail('missing "prompt"', 'add a non-empty "prompt" string with the instruction for the model');
  if (typeof prompt !== 'string') fail(`"prompt" must be a string, got ${typeName(prompt)}`, 'make "prompt" a JSON string');
  if (prompt.trim() === '') fail('"prompt" is empty', 'write the instruction for the model in "prompt", or delete the line');

  const rawLanguage = record.language;
  if (rawLanguage === undefined) fail('missing "language"', `add "language": one of ${describeAcceptedLanguages()}`);
  if (typeof rawLanguage !== 'string') fail(`"language" must be a string, got ${typeName(rawLanguage)}`, `use one of ${describeAcceptedLanguages()}`);
  const language = parseLanguage(rawLanguage);
  if (language === null) fail(`unknown language ${JSON.stringify(rawLanguage)}`, `use one of ${describeAcceptedLanguages()}`);

  const id = parseId(record.id, stem, lineNumber, fail);
  const tests = optionalString(record, 'tests', fail);
  const reference = optionalString(record, 'reference', fail);

  const extra: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(record)) {
    if (!KNOWN_FIELDS.has(key)) extra[key] = field;
  }
  return {
    id,
    language,
    prompt,
    ...(tests === undefined ? {} : { tests }),
    ...(reference === undefined ? {} : { reference }),
    extra,
  };
}

function parseId(value: unknown, stem: string, lineNumber: number, fail: Fail): string {
  if (value === undefined || value === null) return `${stem}-${lineNumber}`;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value !== 'string') return fail(`"id" must be a string or integer, got ${typeName(value)}`, 'use a string id such as "two-sum-1", or drop "id"');
  if (value.trim() === '') return fail('"id" is empty', 'use a non-empty string id, or drop "id" to use <file-stem>-<line>');
  return value;
}

function optionalString(
  record: Record<string, unknown>,
  key: 'tests' | 'reference',
  fail: Fail,
): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    return fail(`"${key}" must be a string, got ${typeName(value)}`, `put the ${key === 'tests' ? 'test code' : 'solution code'} in one JSON string (use \\n for newlines), or drop "${key}"`);
  }
  return value;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
