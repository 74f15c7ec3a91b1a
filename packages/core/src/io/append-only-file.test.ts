import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataError, RlaifError } from '../errors/rlaif-error.js';
import { AppendOnlyFile } from './append-only-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlaif-append-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('AppendOnlyFile', () => {
  it('appends lines in call order and reports durable length only after flush', async () => {
    const path = join(dir, 'logs', 'rows.jsonl');
    const file = await AppendOnlyFile.open(path);
    void file.append('{"a":1}');
    void file.append(Buffer.from('{"b":2}\n'));
    expect(file.byteLength).toBe(0);
    expect(await file.flush()).toBe(16);
    expect(file.byteLength).toBe(16);
    await file.close();
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('continues after existing content when reopened', async () => {
    const path = join(dir, 'rows.jsonl');
    await writeFile(path, 'old\n');
    const file = await AppendOnlyFile.open(path);
    expect(file.byteLength).toBe(4);
    await file.append('new');
    await file.close();
    expect(await readFile(path, 'utf8')).toBe('old\nnew\n');
  });

  it('rejects appends after close', async () => {
    const file = await AppendOnlyFile.open(join(dir, 'x.jsonl'));
    await file.close();
    expect(() => file.append('late')).toThrow(RlaifError);
  });

  it('truncateTo cuts a torn tail and refuses to grow a short file', async () => {
    const path = join(dir, 'rows.jsonl');
    await writeFile(path, 'one\ntwo\nthr');
    expect(await AppendOnlyFile.truncateTo(path, 8)).toBe(11);
    expect(await readFile(path, 'utf8')).toBe('one\ntwo\n');
    await expect(AppendOnlyFile.truncateTo(path, 20)).rejects.toBeInstanceOf(DataError);
    expect(await AppendOnlyFile.truncateTo(join(dir, 'missing.jsonl'), 0)).toBe(0);
  });
});
