/**
 * Results of executed code, keyed by a hash of language, code, tests, toolchain version and limits:
 * an in-memory LRU in front of one JSON file per entry on disk (when a cache directory is known).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LruCache } from '../util/lru-cache.js';
import type { DocumentationFacts } from '../scoring/documentation.js';
import type { ExecutionOutcome } from './executor.js';

/** One cached result. */
export interface CachedRun {
  readonly outcome: ExecutionOutcome;
  readonly documentation: DocumentationFacts;
}

/** Bump when the harness or the stored shape changes, so old entries are ignored. */
const FORMAT = 1;

/** The cache key of a run. */
export function runKey(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify([FORMAT, ...parts])).digest('hex');
}

/** Memory + disk cache of runs. */
export class ResultCache {
  private readonly memory: LruCache<string, CachedRun>;
  private dir: string | undefined;

  constructor(entries: number) {
    this.memory = new LruCache(entries);
  }

  /** Starts persisting under `dir` (created on first write). */
  persistTo(dir: string): void {
    this.dir = dir;
  }

  async get(key: string): Promise<CachedRun | undefined> {
    const hit = this.memory.get(key);
    if (hit !== undefined || this.dir === undefined) return hit;
    try {
      const stored = JSON.parse(await readFile(join(this.dir, `${key}.json`), 'utf8')) as CachedRun;
      this.memory.set(key, stored);
      return stored;
    } catch {
      return undefined;
    }
  }

  async set(key: string, run: CachedRun): Promise<void> {
    this.memory.set(key, run);
    if (this.dir === undefined) return;
    try {
      await mkdir(this.dir, { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const temporary = join(this.dir, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
      await writeFile(temporary, JSON.stringify(run));
      await rename(temporary, join(this.dir, `${key}.json`));
    } catch {
      // A full or read-only disk costs only future cache hits, never the score itself.
    }
  }
}
