/**
 * Precompiled shared headers (C++): a header of standard includes only is compiled once per content
 * and toolchain, in the sandbox like any compilation, then mounted read-only into every build that
 * names it, so each candidate no longer parses the standard library's headers itself. The header
 * holds no candidate code, so sharing it between candidates shares nothing of theirs.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SHARED_HEADER_DIR } from '../languages/program.js';
import type { SharedHeader } from '../languages/program.js';
import type { Sandbox, SandboxLimits } from '../sandbox/bwrap.js';
import type { ExecStats } from './exec-stats.js';
import type { Toolchain } from '../toolchains.js';
import type { SlotPool } from '../util/slot-pool.js';

/** Distinct headers precompiled per process at most; beyond, headers are compiled as text. */
const MAX_HEADERS = 16;
const DONE = 'done';

/** Where and how shared headers are precompiled. */
export interface SharedHeadersOptions {
  readonly sandbox: Sandbox;
  readonly pool: SlotPool;
  readonly uidBase: number;
  readonly compileLimits: SandboxLimits;
  /** Host directory under which each precompiled header gets its own directory. */
  readonly workDir: string;
  readonly stats: ExecStats;
}

/** Precompiles each shared header once; `get` answers the host directory holding it, or undefined. */
export class SharedHeaders {
  private readonly built = new Map<string, Promise<string | undefined>>();

  constructor(private readonly options: SharedHeadersOptions) {}

  /** The directory holding `header` and its precompiled form, or undefined when it could not be made. */
  get(header: SharedHeader, toolchain: Toolchain, signal: AbortSignal | undefined): Promise<string | undefined> {
    const key = createHash('sha256').update(JSON.stringify([toolchain.version, header.name, header.content, header.precompileCommand(toolchain, SHARED_HEADER_DIR)])).digest('hex').slice(0, 32);
    let pending = this.built.get(key);
    if (pending === undefined) {
      if (this.built.size >= MAX_HEADERS) return Promise.resolve(undefined);
      pending = this.precompile(key, header, toolchain, signal).catch(() => undefined);
      this.built.set(key, pending);
    }
    return pending;
  }

  private async precompile(key: string, header: SharedHeader, toolchain: Toolchain, signal: AbortSignal | undefined): Promise<string | undefined> {
    const dir = join(this.options.workDir, `pch-${key}`);
    // Made by an earlier run with the same toolchain (the key includes its version).
    if (existsSync(join(dir, DONE))) return dir;
    await mkdir(this.options.workDir, { recursive: true });
    const fresh = await mkdtemp(join(this.options.workDir, 'pch-build-'));
    try {
      await chmod(fresh, 0o755);
      await writeFile(join(fresh, header.name), header.content, { mode: 0o644 });
      const run = await this.options.pool.with(async (slot) => {
        const uid = this.options.uidBase + slot;
        await chown(fresh, uid, uid);
        try {
          const started = await this.options.sandbox.run({
            argv: header.precompileCommand(toolchain, SHARED_HEADER_DIR),
            mounts: [...toolchain.mounts, { host: fresh, sandbox: SHARED_HEADER_DIR, writable: true }],
            cwd: SHARED_HEADER_DIR,
            env: { PATH: toolchain.path, HOME: '/tmp', TMPDIR: '/tmp', LANG: 'C.UTF-8' },
            limits: this.options.compileLimits,
            uid,
            signal,
          });
          this.options.stats.run(toolchain.language, started.wallMs);
          return started;
        } finally {
          await chown(fresh, 0, 0);
        }
      });
      const precompiled = join(fresh, `${header.name}.gch`);
      if (run.exitCode !== 0 || run.timedOut || !existsSync(precompiled)) return undefined;
      await chown(precompiled, 0, 0);
      await writeFile(join(fresh, DONE), '');
      await rename(fresh, dir).catch(() => undefined);
      return existsSync(join(dir, DONE)) ? dir : undefined;
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  }
}
