/**
 * The on-disk response cache: a rerun never pays twice for the same question. Keys hash provider,
 * model, rubric version, prompt and parameters; entries are written atomically (temp, fsync, rename)
 * and hold only the reply and its token counts, never request headers or keys.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { ProviderResponse } from './provider.js';

/** What identifies a response: everything that could change the reply. */
export interface CacheKeyParts {
  readonly provider: string;
  readonly model: string;
  readonly rubricVersion: string;
  readonly request: unknown;
}

/** The SHA-256 of a canonical JSON rendering of `value` (object keys sorted). */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface CacheEntry {
  readonly version: 1;
  readonly response: Pick<ProviderResponse, 'text' | 'usage'>;
}

/** A response cache in `dir` (memory only when `dir` is undefined). */
export class ResponseCache {
  private readonly memory = new Map<string, ProviderResponse>();

  constructor(private readonly dir: string | undefined) {}

  /** The cache key of a request. */
  key(parts: CacheKeyParts): string {
    return contentHash(parts);
  }

  /** A cached reply, or undefined. Unreadable entries count as misses. */
  async get(key: string): Promise<ProviderResponse | undefined> {
    const hit = this.memory.get(key);
    if (hit) return hit;
    if (!this.dir) return undefined;
    try {
      const entry = JSON.parse(await readFile(this.path(key), 'utf8')) as CacheEntry;
      if (entry.version !== 1 || typeof entry.response?.text !== 'string') return undefined;
      this.memory.set(key, entry.response);
      return entry.response;
    } catch {
      return undefined;
    }
  }

  /** Stores a reply (only its text and token counts). */
  async set(key: string, response: ProviderResponse): Promise<void> {
    const stored = { text: response.text, usage: response.usage };
    this.memory.set(key, stored);
    if (!this.dir) return;
    const path = this.path(key);
    await writeFileAtomic(path, JSON.stringify({ version: 1, response: stored } satisfies CacheEntry));
  }

  private path(key: string): string {
    return join(this.dir ?? '', key.slice(0, 2), `${key}.json`);
  }
}
