import { open } from 'node:fs/promises';

/**
 * Flushes a directory's entries to disk so a rename or new file inside it survives a power loss.
 * Some platforms (Windows) cannot open directories; there the rename is already as durable as it gets.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    if (isUnsupportedDirectoryOpen(error)) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    // EINVAL/EBADF: the filesystem does not support syncing directories (e.g. some network mounts).
    if (!isUnsupportedDirectoryOpen(error)) throw error;
  } finally {
    await handle.close();
  }
}

function isUnsupportedDirectoryOpen(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EBADF';
}
