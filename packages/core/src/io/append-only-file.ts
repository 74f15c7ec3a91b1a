import { mkdir, open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DataError, RlaifError } from '../errors/rlaif-error.js';
import { fsyncDirectory } from './fsync-directory.js';

/**
 * A file that only grows: JSONL datasets and logs. `flush()` fsyncs and advances `byteLength`, the
 * length a checkpoint may record; resume cuts the file back to it with `AppendOnlyFile.truncateTo`.
 */
export class AppendOnlyFile {
  /** Absolute or run-relative path the file was opened with. */
  readonly path: string;
  private readonly handle: FileHandle;
  private durableBytes: number;
  private writtenBytes: number;
  // Appends are chained so callers that do not await still land in call order.
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(path: string, handle: FileHandle, size: number) {
    this.path = path;
    this.handle = handle;
    this.durableBytes = size;
    this.writtenBytes = size;
  }

  /** Opens `path` for appending, creating it and its parent directories when missing. */
  static async open(path: string): Promise<AppendOnlyFile> {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'a');
    try {
      const { size } = await handle.stat();
      // A freshly created file's directory entry must be durable too, or the file can vanish.
      await handle.sync();
      await fsyncDirectory(dirname(path));
      return new AppendOnlyFile(path, handle, size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Cuts the file at `path` back to `bytes` and syncs it; returns its previous length.
   * A missing file counts as empty. Throws a DataError when the file is shorter than `bytes`.
   */
  static async truncateTo(path: string, bytes: number): Promise<number> {
    const previous = await AppendOnlyFile.lengthOf(path);
    if (previous < bytes) {
      throw new DataError(`file has ${previous} bytes but ${bytes} were expected; data was lost`, path, undefined, {
        hint: 'restore the file from a backup, or resume from an earlier checkpoint whose recorded length fits',
      });
    }
    if (previous === bytes) return previous;
    const handle = await open(path, 'r+');
    try {
      await handle.truncate(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return previous;
  }

  /** Length of the file at `path` in bytes, or 0 when it does not exist. */
  static async lengthOf(path: string): Promise<number> {
    try {
      return (await stat(path)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
  }

  /** Bytes known to be on disk: the length after the last completed `flush()`. */
  get byteLength(): number {
    return this.durableBytes;
  }

  /** Bytes handed to the OS so far, durable or not. */
  get writtenLength(): number {
    return this.writtenBytes;
  }

  /** Appends a buffer as is, or a string as one line (a newline is added unless it ends with one). */
  append(data: string | Uint8Array): Promise<void> {
    this.assertOpen();
    const bytes = typeof data === 'string' ? Buffer.from(data.endsWith('\n') ? data : `${data}\n`, 'utf8') : data;
    return this.enqueue(async () => {
      let offset = 0;
      while (offset < bytes.byteLength) {
        const { bytesWritten } = await this.handle.write(bytes, offset, bytes.byteLength - offset);
        offset += bytesWritten;
        this.writtenBytes += bytesWritten;
      }
    });
  }

  /** Waits for pending appends, fsyncs, and returns the new durable `byteLength`. */
  flush(): Promise<number> {
    this.assertOpen();
    return this.enqueue(async () => {
      const target = this.writtenBytes;
      await this.handle.sync();
      this.durableBytes = target;
    }).then(() => this.durableBytes);
  }

  /** Flushes and closes the file; later appends throw. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.handle.close();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    // A failed write must not poison later ones silently; the failing call still rejects.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new RlaifError(`${this.path}: append-only file is already closed`, {
        hint: 'open it again with AppendOnlyFile.open before appending',
      });
    }
  }
}
