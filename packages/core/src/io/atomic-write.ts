import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDirectory } from './fsync-directory.js';

/** Prefix of the temporary files `writeFileAtomic` creates; readers and cleaners can skip them. */
export const ATOMIC_TEMP_PREFIX = '.tmp-write-';

/**
 * Replaces `path` with `data` so that a crash at any moment leaves either the old or the new
 * content, never a mix: temp file in the same directory, write, fsync, rename, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await replaceFileAtomic(path, (temp) => writeFile(temp, data, { flag: 'wx' }));
}

/**
 * `writeFileAtomic` for writers that take a file name (an engine's own tensor writer): `write`
 * creates the temporary sibling it is given, which ends with `path`'s own name (extension included);
 * it is then fsynced and renamed over `path`, or removed when anything fails.
 */
export async function replaceFileAtomic(path: string, write: (tempPath: string) => Promise<void> | void): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `${ATOMIC_TEMP_PREFIX}${process.pid}.${randomBytes(4).toString('hex')}.${basename(path)}`);
  try {
    await write(temp);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDirectory(dir);
}

/** Writes `value` as pretty-printed JSON (2-space indent, trailing newline) through `writeFileAtomic`. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
