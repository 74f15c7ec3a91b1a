import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ATOMIC_TEMP_PREFIX, replaceFileAtomic, writeFileAtomic, writeJsonAtomic } from './atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlaif-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates parent directories and leaves no temp file behind', async () => {
    const target = join(dir, 'a', 'b', 'out.txt');
    await writeFileAtomic(target, 'hello');
    expect(await readFile(target, 'utf8')).toBe('hello');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['out.txt']);
  });

  it('replaces old content with new content', async () => {
    const target = join(dir, 'state.json');
    await writeJsonAtomic(target, { step: 1 });
    await writeJsonAtomic(target, { step: 2 });
    expect(JSON.parse(await readFile(target, 'utf8'))).toEqual({ step: 2 });
  });

  it('a crash before the rename leaves the old content intact', async () => {
    const target = join(dir, 'state.json');
    await writeJsonAtomic(target, { step: 1 });
    // A process killed mid-write leaves only a half-written temp file next to the target.
    await writeFile(join(dir, `${ATOMIC_TEMP_PREFIX}state.json.999.dead`), '{"step": 2, "trunc');
    expect(JSON.parse(await readFile(target, 'utf8'))).toEqual({ step: 1 });
    await writeJsonAtomic(target, { step: 3 });
    expect(JSON.parse(await readFile(target, 'utf8'))).toEqual({ step: 3 });
  });

  it('removes its temp file when the write fails', async () => {
    const target = join(dir, 'sub');
    await writeFileAtomic(join(target, 'x.txt'), 'x');
    // Renaming a file over a non-empty directory fails; the temp file must not stay behind.
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect((await readdir(dir)).filter((name) => name.startsWith(ATOMIC_TEMP_PREFIX))).toEqual([]);
  });

  it('gives a name-taking writer a temporary sibling that keeps the extension, and cleans up after it fails', async () => {
    const target = join(dir, 'model.safetensors');
    let given = '';
    await replaceFileAtomic(target, async (temp) => {
      given = temp;
      await writeFile(temp, 'weights');
    });
    expect(given.startsWith(join(dir, ATOMIC_TEMP_PREFIX)) && given.endsWith('.model.safetensors')).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('weights');
    await expect(
      replaceFileAtomic(target, async (temp) => {
        await writeFile(temp, 'half');
        throw new Error('writer failed');
      }),
    ).rejects.toThrow('writer failed');
    expect(await readFile(target, 'utf8')).toBe('weights');
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });
});
