/**
 * Finds the host's Python, g++ and rustc, their versions (part of every cache key) and the
 * directories the sandbox must bind read-only for them to work.
 */
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import type { Language, ToolchainStatus } from '@rlaif/core';
import { SandboxError } from '@rlaif/core';
import type { SandboxMount } from './sandbox/bwrap.js';

/** A toolchain as seen from inside the sandbox. */
export interface Toolchain {
  readonly language: Language;
  /** The compiler or interpreter, by its path inside the sandbox. */
  readonly executable: string;
  /** e.g. `rustc 1.95.0 (...)`; changes invalidate cached results. */
  readonly version: string;
  /** Read-only binds beyond /usr and /lib*. */
  readonly mounts: readonly SandboxMount[];
  /** PATH inside the sandbox. */
  readonly path: string;
  /** Extra link flags (C++: a faster linker found here, `-fuse-ld=gold`); the programs are the same. */
  readonly linkFlags?: readonly string[];
}

/** Where to look for each tool; defaults search PATH (and ~/.cargo/bin for rustc). */
export interface ToolchainPaths {
  readonly python?: string;
  readonly cxx?: string;
  readonly rustc?: string;
}

function run(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 20_000, encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
  });
}

const SYSTEM_DIRS = ['/usr/', '/bin/', '/lib/', '/lib64/', '/sbin/'];

function inSystemDirs(path: string): boolean {
  return SYSTEM_DIRS.some((dir) => path.startsWith(dir));
}

const MISSING: Record<Language, string> = {
  python: 'install Python 3: apt-get install python3 (or set exec({ toolchains: { python: "/path/to/python3" } }))',
  cpp: 'install the C++ compiler: apt-get install g++',
  rust: 'install Rust: curl https://sh.rustup.rs | sh, or apt-get install rustc (or set exec({ toolchains: { rustc: "/path/to/rustc" } }))',
};

/** The command each language runs, as a user would look for it. */
const COMMANDS: Record<Language, string> = { python: 'python3', cpp: 'g++', rust: 'rustc' };

async function detectPython(explicit: string | undefined): Promise<Toolchain> {
  const info = await run(explicit ?? 'python3', ['-c', 'import sys; print(sys.executable); print(sys.base_prefix); print(sys.version.split()[0])']);
  const [exe = '', prefix = '', version = ''] = info.split('\n');
  const executable = realpathSync(exe);
  const mounts = inSystemDirs(executable) ? [] : [{ host: realpathSync(prefix), sandbox: realpathSync(prefix) }];
  return { language: 'python', executable, version: `python ${version}`, mounts, path: `${dirname(executable)}:/usr/bin:/bin` };
}

/** `-fuse-ld=mold` or `-fuse-ld=gold` when the compiler can link with it (a small C++ program links 2× faster), else none. */
async function fasterLinker(cxx: string): Promise<string[]> {
  for (const linker of ['mold', 'gold']) {
    // The linker must sit in the sandbox's /usr/bin, where the compiler looks for ld.<name>.
    if (!existsSync(`/usr/bin/ld.${linker}`)) continue;
    const works = await run(cxx, [`-fuse-ld=${linker}`, '-Wl,--version']).then(
      () => true,
      () => false,
    );
    if (works) return [`-fuse-ld=${linker}`];
  }
  return [];
}

async function detectCxx(explicit: string | undefined): Promise<Toolchain> {
  const version = (await run(explicit ?? 'g++', ['--version'])).split('\n')[0] ?? 'g++';
  const resolved = explicit ?? (await run('/bin/sh', ['-c', 'command -v g++']));
  const executable = realpathSync(resolved);
  const mounts = inSystemDirs(executable) ? [] : [{ host: dirname(dirname(executable)), sandbox: dirname(dirname(executable)) }];
  return { language: 'cpp', executable, version, mounts, path: `${dirname(executable)}:/usr/bin:/bin`, linkFlags: await fasterLinker(executable) };
}

async function detectRust(explicit: string | undefined): Promise<Toolchain> {
  const cargoRustc = join(homedir(), '.cargo', 'bin', 'rustc');
  const rustc = explicit ?? (existsSync(cargoRustc) ? cargoRustc : 'rustc');
  const sysroot = realpathSync(await run(rustc, ['--print', 'sysroot']));
  const version = await run(rustc, ['--version']);
  // Call the toolchain's own rustc, not the rustup shim (which needs ~/.rustup settings).
  const executable = join(sysroot, 'bin', 'rustc');
  if (!existsSync('/usr/bin/cc')) {
    throw new SandboxError('rustc needs a C linker (cc) and none is installed', { hint: 'apt-get install gcc' });
  }
  const mounts = inSystemDirs(sysroot) ? [] : [{ host: sysroot, sandbox: sysroot }];
  return { language: 'rust', executable, version, mounts, path: `${join(sysroot, 'bin')}:/usr/bin:/bin` };
}

/** Detects toolchains once each, on first use. */
export class Toolchains {
  private readonly found = new Map<Language, Promise<Toolchain>>();

  constructor(private readonly paths: ToolchainPaths = {}) {}

  /** The toolchain for `language`; throws SandboxError naming the package to install. */
  get(language: Language): Promise<Toolchain> {
    let pending = this.found.get(language);
    if (pending === undefined) {
      const detect = language === 'python' ? detectPython(this.paths.python) : language === 'cpp' ? detectCxx(this.paths.cxx) : detectRust(this.paths.rustc);
      pending = detect.catch((error: unknown) => {
        if (error instanceof SandboxError) throw error;
        throw new SandboxError(`no ${language} toolchain found: ${(error as Error).message.split('\n')[0]}`, { hint: MISSING[language], cause: error });
      });
      // A failed detection is retried next time (the user may install the tool meanwhile).
      pending.catch(() => this.found.delete(language));
      this.found.set(language, pending);
    }
    return pending;
  }

  /** Whether `language` runs here: its version, or what is missing and how to install it. */
  async status(language: Language): Promise<ToolchainStatus> {
    const explicit = language === 'python' ? this.paths.python : language === 'cpp' ? this.paths.cxx : this.paths.rustc;
    const command = explicit ?? COMMANDS[language];
    try {
      const { version } = await this.get(language);
      return { language, command, available: true, version };
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      return { language, command, available: false, problem: error.message.split('\n')[0] ?? error.message, hint: error.hint ?? MISSING[language] };
    }
  }
}
