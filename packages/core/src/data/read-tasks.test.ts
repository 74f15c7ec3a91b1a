import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../errors/rlaif-error.js';
import { parseTasks, readTasks } from './read-tasks.js';

const FILE = 'data/prompts.jsonl';
const ok = (fields: Record<string, unknown> = {}) => JSON.stringify({ prompt: 'Add two numbers', language: 'python', ...fields });

function errorOf(text: string): DataError {
  try {
    parseTasks(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected parseTasks to throw');
}

describe('parseTasks', () => {
  it('reads tasks, skips blank lines, normalises languages and keeps extra fields', () => {
    const text = [ok({ id: 'a', tests: 'assert f(1) == 2', difficulty: 3 }), '', '   ', ok({ language: 'C++', reference: 'int main(){}' }), ''].join('\r\n');
    const tasks = parseTasks(text, FILE);
    expect(tasks).toEqual([
      { id: 'a', language: 'python', prompt: 'Add two numbers', tests: 'assert f(1) == 2', extra: { difficulty: 3 } },
      { id: 'prompts-4', language: 'cpp', prompt: 'Add two numbers', reference: 'int main(){}', extra: {} },
    ]);
  });

  it('accepts integer ids and a leading BOM', () => {
    expect(parseTasks(`\uFEFF${ok({ id: 7 })}`, FILE)[0]?.id).toBe('7');
  });

  it.each([
    ['invalid JSON with the parser message', `${ok()}\n{"prompt": "x",`, 2, /invalid JSON: .+/],
    ['a non-object line', `${ok()}\n\n[1, 2]`, 3, /expected a JSON object, got an array/],
    ['a missing prompt', JSON.stringify({ language: 'python' }), 1, /missing "prompt"/],
    ['an empty prompt', ok({ prompt: '   ' }), 1, /"prompt" is empty/],
    ['a non-string prompt', ok({ prompt: 5 }), 1, /"prompt" must be a string, got a number/],
    ['a missing language', JSON.stringify({ prompt: 'x' }), 1, /missing "language"/],
    ['an unknown language listing the accepted ones', `${ok()}\n${ok({ language: 'java' })}`, 2, /unknown language "java"[\s\S]*python \(py, python3[\s\S]*rust \(rs\)/],
    ['non-string tests', ok({ tests: ['assert 1'] }), 1, /"tests" must be a string, got an array/],
    ['non-string reference', ok({ reference: { code: 'x' } }), 1, /"reference" must be a string, got an object/],
    ['an empty id', ok({ id: '' }), 1, /"id" is empty/],
    ['a duplicate id with its first line', `${ok({ id: 'x' })}\n${ok()}\n${ok({ id: 'x' })}`, 3, /duplicate id "x" \(first seen on line 1\)/],
    ['an explicit id colliding with a default one', `${ok({ id: 'prompts-2' })}\n${ok()}`, 2, /duplicate id "prompts-2" \(first seen on line 1\)/],
  ])('rejects %s at file:line', (_name, text, line, pattern) => {
    const error = errorOf(text);
    expect(error.message.startsWith(`${FILE}:${line}: `)).toBe(true);
    expect(error.line).toBe(line);
    expect(error.file).toBe(FILE);
    expect(error.message).toMatch(pattern);
    expect(error.hint).toBeTruthy();
  });

  it('rejects a file with no tasks', () => {
    const error = errorOf('\n  \n');
    expect(error.message).toMatch(/^data\/prompts\.jsonl: task file contains no tasks/);
  });
});

describe('readTasks', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rlaif-tasks-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file from disk with ids from its stem', async () => {
    const file = join(dir, 'train.jsonl');
    await writeFile(file, `${ok()}\n${ok({ language: 'rs' })}\n`);
    const tasks = await readTasks(file);
    expect(tasks.map((task) => [task.id, task.language])).toEqual([
      ['train-1', 'python'],
      ['train-2', 'rust'],
    ]);
  });

  it('names a missing file and says what to check', async () => {
    const file = join(dir, 'nope.jsonl');
    const error = (await readTasks(file).catch((caught: unknown) => caught)) as DataError;
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain(`${file}: task file not found`);
    expect(error.hint).toMatch(/data\.trainFile/);
  });
});
