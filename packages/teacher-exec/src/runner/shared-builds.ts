/**
 * Shared builds: something built once per content and toolchain, in the sandbox like any
 * compilation, then mounted read-only wherever it is needed — the precompiled C++ header of standard
 * includes (so each candidate no longer parses the standard library's headers itself) and the test
 * server of compiled programs (runner/test-server.ts). They hold no candidate code, so sharing them
 * between candidates shares nothing of theirs.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sandbox, SandboxLimits } from '../sandbox/bwrap.js';
import type { ExecStats } from './exec-stats.js';
import type { Toolchain } from '../toolchains.js';
import type { SlotPool } from '../util/slot-pool.js';

/** Distinct builds per process at most; beyond, callers do without (headers are compiled as text). */
const MAX_BUILDS = 16;
const DONE = 'done';

/** Something to build once and share read-only. */
export interface SharedBuild {
  /** Short name, part of the host directory's name. */
  readonly name: string;
  /** Sandbox directory it is built in (writable then) and later mounted at (read-only). */
  readonly sandboxDir: string;
  readonly files: Readonly<Record<string, string>>;
  /** The file the build must produce in `sandboxDir`. */
  readonly product: string;
  /** The build command, cwd = sandboxDir. */
  command(toolchain: Toolchain): string[];
}

/** Where and how shared builds are made. */
export interface SharedBuildsOptions {
  readonly sandbox: Sandbox;
  readonly pool: SlotPool;
  readonly uidBase: number;
  readonly compileLimits: SandboxLimits;
  /** Host directory under which each precompiled header gets its own directory. */
  readonly workDir: string;
  readonly stats: ExecStats;
}

/** Makes each shared build once; `get` answers the host directory holding it, or undefined. */
export class SharedBuilds {
  private readonly built = new Map<string, Promise<string | undefined>>();

  constructor(private readonly options: SharedBuildsOptions) {}

  /** The host directory holding `build`'s files and product, or undefined when it could not be made. */
  get(build: SharedBuild, toolchain: Toolchain, signal: AbortSignal | undefined): Promise<string | undefined> {
    const key = createHash('sha256').update(JSON.stringify([toolchain.version, build.sandboxDir, build.files, build.product, build.command(toolchain)])).digest('hex').slice(0, 32);
    let pending = this.built.get(key);
    if (pending === undefined) {
      if (this.built.size >= MAX_BUILDS) return Promise.resolve(undefined);
      pending = this.make(key, build, toolchain, signal).catch(() => undefined);
      this.built.set(key, pending);
    }
    return pending;
  }

  private async make(key: string, build: SharedBuild, toolchain: Toolchain, signal: AbortSignal | undefined): Promise<string | undefined> {
    const dir = join(this.options.workDir, `${build.name}-${key}`);
    // Made by an earlier run with the same toolchain (the key includes its version).
    if (existsSync(join(dir, DONE))) return dir;
    await mkdir(this.options.workDir, { recursive: true });
    const fresh = await mkdtemp(join(this.options.workDir, `${build.name}-build-`));
    try {
      await chmod(fresh, 0o755);
      for (const [name, content] of Object.entries(build.files)) await writeFile(join(fresh, name), content, { mode: 0o644 });
      const run = await this.options.pool.with(async (slot) => {
        const uid = this.options.uidBase + slot;
        await chown(fresh, uid, uid);
        try {
          const started = await this.options.sandbox.run({
            argv: build.command(toolchain),
            mounts: [...toolchain.mounts, { host: fresh, sandbox: build.sandboxDir, writable: true }],
            cwd: build.sandboxDir,
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
      const product = join(fresh, build.product);
      if (run.exitCode !== 0 || run.timedOut || !existsSync(product)) return undefined;
      await chown(product, 0, 0);
      await writeFile(join(fresh, DONE), '');
      await rename(fresh, dir).catch(() => undefined);
      return existsSync(join(dir, DONE)) ? dir : undefined;
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  }
}
