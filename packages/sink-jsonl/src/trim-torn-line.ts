import { open } from 'node:fs/promises';

const NEWLINE = 0x0a;

/**
 * Cuts a last line that lacks its newline (an append cut off by a crash) from the file at `path`.
 * Returns how many bytes were removed; a missing file counts as empty.
 */
export async function trimTornLine(path: string): Promise<number> {
  let handle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    // Scan backwards in chunks: only the tail matters, and the file may be large.
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const at = chunk.subarray(0, bytesRead).lastIndexOf(NEWLINE);
      if (at >= 0) {
        end = start + at + 1;
        break;
      }
      end = start;
    }
    if (end === size) return 0;
    await handle.truncate(end);
    await handle.sync();
    return size - end;
  } finally {
    await handle.close();
  }
}
