import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { findWeightFiles } from './weight-files.js';

/** The hub cache folder, as Python's huggingface_hub computes it: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['HF_HUB_CACHE'] ?? env['HUGGINGFACE_HUB_CACHE'];
  if (explicit) return explicit;
  const home = env['HF_HOME'] ?? join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'huggingface');
  return join(home, 'hub');
}

/** Folder of one model repository inside the cache (`models--org--name`). */
export function repoCacheFolder(cacheDir: string, repoId: string): string {
  return join(cacheDir, `models--${repoId.split('/').join('--')}`);
}

const COMMIT_HASH = /^[0-9a-f]{40}$/;

/** True for a full 40-hex commit id. */
export function isCommitHash(revision: string): boolean {
  return COMMIT_HASH.test(revision);
}

/** The commit a revision points to in the cache (refs/<revision>), or the revision itself when it is a commit. */
export async function cachedCommit(storage: string, revision: string): Promise<string | undefined> {
  if (isCommitHash(revision)) return revision;
  try {
    const commit = (await readFile(join(storage, 'refs', revision), 'utf8')).trim();
    return isCommitHash(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

/** Writes refs/<revision> = commit atomically, so a crash never leaves an empty ref. */
export async function writeRef(storage: string, revision: string, commit: string): Promise<void> {
  const refFile = join(storage, 'refs', revision);
  await mkdir(dirname(refFile), { recursive: true });
  const temporary = `${refFile}.${process.pid}.tmp`;
  await writeFile(temporary, commit);
  await rename(temporary, refFile);
}

/** The cached snapshot folder of a revision if it holds a config.json and passes `check` (default: all its safetensors weights). */
export async function cachedSnapshot(storage: string, revision: string, check: (folder: string) => Promise<unknown> = findWeightFiles): Promise<string | undefined> {
  const commit = await cachedCommit(storage, revision);
  if (!commit) return undefined;
  const folder = join(storage, 'snapshots', commit);
  try {
    if (!(await stat(join(folder, 'config.json'))).isFile()) return undefined;
    // An interrupted download leaves config.json but not every shard.
    await check(folder);
    return folder;
  } catch {
    return undefined;
  }
}
