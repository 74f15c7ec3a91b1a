import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonLines, readJsonObject } from './read-json-lines.js';

async function fileWith(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'rlaif-jsonl-read-')), 'data.jsonl');
  await writeFile(path, text);
  return path;
}

describe('readJsonLines', () => {
  it('reads objects, skips blank lines and ignores a torn last line', async () => {
    const path = await fileWith('{"a":1}\n\n{"a":2}\n{"a":');
    const { rows, stats } = await readJsonLines(path);
    expect(rows).toEqual([{ a: 1 }, { a: 2 }]);
    expect(stats).toEqual({ missing: false, rows: 2, malformedLines: [], tornTail: true });
  });

  it('counts malformed interior lines by number and keeps going', async () => {
    const path = await fileWith('{"a":1}\nnot json\n[1,2]\n{"a":4}\n');
    const { rows, stats } = await readJsonLines(path);
    expect(rows).toEqual([{ a: 1 }, { a: 4 }]);
    expect(stats.malformedLines).toEqual([2, 3]);
    expect(stats.tornTail).toBe(false);
  });

  it('accepts a complete last line without its newline', async () => {
    const { rows, stats } = await readJsonLines(await fileWith('{"a":1}\n{"a":2}'));
    expect(rows).toHaveLength(2);
    expect(stats.tornTail).toBe(false);
  });

  it('treats a missing file as empty', async () => {
    const { rows, stats } = await readJsonLines(join(tmpdir(), 'rlaif-definitely-missing', 'x.jsonl'));
    expect(rows).toEqual([]);
    expect(stats.missing).toBe(true);
  });
});

describe('readJsonObject', () => {
  it('returns the object, nothing for a missing file, or an error message', async () => {
    expect(await readJsonObject(await fileWith('{"steps": 3}'))).toEqual({ value: { steps: 3 } });
    expect(await readJsonObject(join(tmpdir(), 'rlaif-definitely-missing.json'))).toEqual({});
    expect((await readJsonObject(await fileWith('{"steps": '))).error).toBe('not a JSON object');
  });
});
