import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory } from './fsync-directory.js';

/** A file under a directory tree: its path relative to the root (always `/`-separated) and size. */
export interface TreeFile {
  readonly path: string;
  readonly bytes: number;
}

/**
 * Fsyncs every file and directory under `root` (files first, then their directory) and returns the
 * files with their sizes, sorted by path. Used before a checkpoint is published, since plugins that
 * write model state may not sync their own files.
 */
export async function syncTree(root: string): Promise<TreeFile[]> {
  const files: TreeFile[] = [];
  await visit(root, '', files);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function visit(dir: string, prefix: string, files: TreeFile[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const absolute = join(dir, entry.name);
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      await visit(absolute, relative, files);
    } else if (entry.isFile()) {
      const handle = await open(absolute, 'r');
      try {
        await handle.sync();
        files.push({ path: relative, bytes: (await handle.stat()).size });
      } finally {
        await handle.close();
      }
    }
  }
  await fsyncDirectory(dir);
}
