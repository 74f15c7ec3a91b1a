import { closeSync, fsync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodeEvent } from './event-encoder.js';
import type { EventInput } from './event-encoder.js';
import { frameRecord, scanRecords } from './record-framing.js';

const fsyncAsync = promisify(fsync);

/** The version marker TensorBoard expects as the first record of every event file. */
export const FILE_VERSION = 'brain.Event:2';
/** Prefix of every event file name; TensorBoard finds files by it. */
export const EVENT_FILE_PREFIX = 'events.out.tfevents.';
// Past this much unwritten data (a disk that keeps failing) new events are dropped, not buffered.
const MAX_PENDING_BYTES = 64 * 1024 * 1024;
let filesOpenedByThisProcess = 0;

/** How an EventFileWriter reports trouble; it never throws from background flushes. */
export type WarnFn = (message: string, meta?: Record<string, unknown>) => void;

/** Options for `EventFileWriter.open`. */
export interface EventFileWriterOptions {
  /** Milliseconds between background flushes; 0 turns the timer off. */
  readonly flushIntervalMs: number;
  readonly warn: WarnFn;
}

/**
 * Appends framed events to one event file. Events are buffered in memory and written with
 * synchronous calls, so the process 'exit' hook can still write them after a crash.
 */
export class EventFileWriter {
  /** Absolute path of the event file. */
  readonly path: string;
  private fd: number | undefined;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private writtenBytes: number;
  private durableBytes: number;
  private droppedEvents = 0;
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private readonly warn: WarnFn;
  // Both hooks write synchronously: async work in 'beforeExit' would re-trigger it in a loop.
  private readonly onExit = (): void => this.writeOnExit();

  private constructor(path: string, fd: number, size: number, options: EventFileWriterOptions) {
    this.path = path;
    this.fd = fd;
    this.writtenBytes = size;
    this.durableBytes = size;
    this.warn = options.warn;
    process.on('exit', this.onExit);
    process.on('beforeExit', this.onExit);
    if (options.flushIntervalMs > 0) {
      this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
      // The flush timer alone must not keep a finished run's process alive.
      this.timer.unref();
    }
  }

  /**
   * Opens the newest event file in `dir` for appending (resume), or creates a new one. A record cut
   * off by a crash is trimmed; a corrupt file is left alone and a new file is started beside it.
   */
  static async open(dir: string, options: EventFileWriterOptions): Promise<EventFileWriter> {
    await mkdir(dir, { recursive: true });
    const existing = await newestEventFile(dir);
    if (existing) {
      const reusable = await prepareForAppend(existing, options.warn);
      if (reusable !== undefined) {
        const writer = new EventFileWriter(existing, openSync(existing, 'a'), reusable, options);
        if (reusable === 0) writer.append({ wallTime: Date.now() / 1000, step: 0, fileVersion: FILE_VERSION });
        return writer;
      }
    }
    filesOpenedByThisProcess += 1;
    const name = `${EVENT_FILE_PREFIX}${Math.floor(Date.now() / 1000)}.${hostname()}.${process.pid}.${filesOpenedByThisProcess}`;
    const path = join(dir, name);
    const writer = new EventFileWriter(path, openSync(path, 'a'), 0, options);
    writer.append({ wallTime: Date.now() / 1000, step: 0, fileVersion: FILE_VERSION });
    await writer.flush();
    return writer;
  }

  /** Encodes and buffers one event; it reaches the file at the next flush. */
  append(event: EventInput): void {
    if (this.fd === undefined) {
      this.warn(`tensorboard: event file ${this.path} is closed; event at step ${event.step} dropped`);
      return;
    }
    const record = frameRecord(encodeEvent(event));
    if (this.pendingBytes + record.length > MAX_PENDING_BYTES) {
      if (this.droppedEvents++ === 0) this.warn(`tensorboard: cannot write ${this.path}; dropping events until writes succeed`);
      return;
    }
    this.pending.push(record);
    this.pendingBytes += record.length;
  }

  /** Bytes on disk after the last completed flush. */
  get byteLength(): number {
    return this.durableBytes;
  }

  /** Writes buffered events and fsyncs; failures become warnings. Resolves to the durable length. */
  flush(): Promise<number> {
    this.writePending();
    const fd = this.fd;
    if (fd === undefined) return Promise.resolve(this.durableBytes);
    const target = this.writtenBytes;
    this.syncing = this.syncing.then(async () => {
      try {
        await fsyncAsync(fd);
        this.durableBytes = Math.max(this.durableBytes, target);
      } catch (error) {
        this.warn(`tensorboard: fsync of ${this.path} failed: ${(error as Error).message}`, { error });
      }
    });
    return this.syncing.then(() => this.durableBytes);
  }

  /** Flushes, stops the timer and exit hooks, and closes the file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.fd === undefined) return;
    await this.flush();
    if (this.timer) clearInterval(this.timer);
    process.off('exit', this.onExit);
    process.off('beforeExit', this.onExit);
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
  }

  private writePending(): void {
    if (this.fd === undefined || this.pending.length === 0) return;
    const data = Buffer.concat(this.pending);
    let offset = 0;
    try {
      while (offset < data.length) offset += writeSync(this.fd, data, offset, data.length - offset);
      if (this.droppedEvents > 0) this.warn(`tensorboard: writes to ${this.path} recovered; ${this.droppedEvents} events were dropped`);
      this.droppedEvents = 0;
    } catch (error) {
      this.warn(`tensorboard: write to ${this.path} failed: ${(error as Error).message}`, { error });
    } finally {
      // Keep what did not reach the file, so the next flush retries exactly those bytes.
      this.writtenBytes += offset;
      this.pending = offset < data.length ? [data.subarray(offset)] : [];
      this.pendingBytes = data.length - offset;
    }
  }

  private writeOnExit(): void {
    if (this.fd === undefined) return;
    this.writePending();
    try {
      fsyncSync(this.fd);
    } catch {
      // The process is ending; there is nobody left to tell.
    }
  }
}

async function newestEventFile(dir: string): Promise<string | undefined> {
  const names = (await readdir(dir)).filter((name) => name.startsWith(EVENT_FILE_PREFIX));
  let newest: { path: string; mtimeMs: number } | undefined;
  for (const name of names) {
    const path = join(dir, name);
    const { mtimeMs, isFile } = await stat(path).then((s) => ({ mtimeMs: s.mtimeMs, isFile: s.isFile() }));
    if (isFile && (!newest || mtimeMs > newest.mtimeMs || (mtimeMs === newest.mtimeMs && path > newest.path))) newest = { path, mtimeMs };
  }
  return newest?.path;
}

/** Returns the length to append at, after trimming a torn last record, or undefined if the file is corrupt. */
async function prepareForAppend(path: string, warn: WarnFn): Promise<number | undefined> {
  const scan = scanRecords(await readFile(path));
  if (!scan.problem) return scan.validLength;
  if (scan.problem.kind === 'corrupt') {
    warn(`tensorboard: ${path} is corrupt at byte ${scan.problem.offset} (${scan.problem.reason}); starting a new event file beside it`);
    return undefined;
  }
  warn(`tensorboard: ${path} ends with a cut-off record at byte ${scan.problem.offset}; trimming it before appending`);
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(scan.validLength);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return scan.validLength;
}
