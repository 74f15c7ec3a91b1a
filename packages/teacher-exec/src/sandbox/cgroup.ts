/**
 * Per-run control groups: a memory cap shared by every process of a run (RLIMIT_AS is per process)
 * and a process-count cap. Uses cgroup v2 when this process's group is writable, else v1 memory+pids.
 */
import { mkdir, readFile, rmdir, writeFile, access } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Which cgroup flavour limits a run, or none. */
export type CgroupMode = 'v2' | 'v1' | 'none';

/** A created group: the run's first process writes its pid to every `procsFiles` entry. */
export interface RunCgroup {
  readonly procsFiles: readonly string[];
  /** True when the kernel killed a process of the run for exceeding the memory cap. */
  oomKilled(): Promise<boolean>;
  destroy(): Promise<void>;
}

/** Creates run groups under this process's own cgroup (never the host root). */
export interface CgroupManager {
  readonly mode: CgroupMode;
  /** Why the preferred mode (v2) is not the one in force; undefined when it is. */
  readonly reason: string | undefined;
  create(memoryBytes: number, maxPids: number): Promise<RunCgroup | undefined>;
}

const ROOT = '/sys/fs/cgroup';

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Parses /proc/self/cgroup into controller → path. */
async function ownGroups(): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const text = await readFile('/proc/self/cgroup', 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers === undefined || path === undefined) continue;
    for (const c of controllers === '' ? ['unified'] : controllers.split(',')) map.set(c, path);
  }
  return map;
}

/** Makes a child group to prove we may; removes it again. */
async function canCreate(dir: string, limitFile: string, value: string): Promise<boolean> {
  const probe = join(dir, `rlaif-probe-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(probe);
    await writeFile(join(probe, limitFile), value);
    return true;
  } catch {
    return false;
  } finally {
    await rmdir(probe).catch(() => undefined);
  }
}

async function removeWithRetry(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      // The kernel releases a group a moment after its last process is reaped.
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Detects the best cgroup support on this host. */
export async function detectCgroups(): Promise<CgroupManager> {
  const groups = await ownGroups();
  const v2Path = groups.get('unified');
  const v2Dir = v2Path === undefined ? undefined : join(ROOT, v2Path);
  if (v2Dir !== undefined && (await readFile(join(ROOT, 'cgroup.controllers'), 'utf8').catch(() => '')).includes('memory')) {
    if ((await writable(v2Dir)) && (await canCreate(v2Dir, 'memory.max', '1073741824'))) {
      return {
        mode: 'v2',
        reason: undefined,
        async create(memoryBytes, maxPids) {
          const dir = join(v2Dir, `rlaif-${randomBytes(6).toString('hex')}`);
          await mkdir(dir);
          await writeFile(join(dir, 'memory.max'), String(memoryBytes));
          await writeFile(join(dir, 'memory.swap.max'), '0').catch(() => undefined);
          await writeFile(join(dir, 'pids.max'), String(maxPids)).catch(() => undefined);
          return {
            procsFiles: [join(dir, 'cgroup.procs')],
            async oomKilled() {
              const events = await readFile(join(dir, 'memory.events'), 'utf8').catch(() => '');
              return /oom_kill [1-9]/.test(events);
            },
            destroy: () => removeWithRetry(dir),
          };
        },
      };
    }
  }
  const memPath = groups.get('memory');
  const pidsPath = groups.get('pids');
  if (memPath !== undefined) {
    const memDir = join(ROOT, 'memory', memPath);
    const pidsDir = pidsPath === undefined ? undefined : join(ROOT, 'pids', pidsPath);
    if (await canCreate(memDir, 'memory.limit_in_bytes', '1073741824')) {
      const pidsOk = pidsDir !== undefined && (await canCreate(pidsDir, 'pids.max', '64'));
      return {
        mode: 'v1',
        reason: `cgroup v2 memory is not writable for this process; using cgroup v1 memory${pidsOk ? ' + pids' : ' (no pids controller: RLIMIT_NPROC only)'}`,
        async create(memoryBytes, maxPids) {
          const name = `rlaif-${randomBytes(6).toString('hex')}`;
          const mem = join(memDir, name);
          await mkdir(mem);
          await writeFile(join(mem, 'memory.limit_in_bytes'), String(memoryBytes));
          await writeFile(join(mem, 'memory.memsw.limit_in_bytes'), String(memoryBytes)).catch(() => undefined);
          const files = [join(mem, 'cgroup.procs')];
          let pids: string | undefined;
          if (pidsOk && pidsDir !== undefined) {
            pids = join(pidsDir, name);
            await mkdir(pids);
            await writeFile(join(pids, 'pids.max'), String(maxPids));
            files.push(join(pids, 'cgroup.procs'));
          }
          return {
            procsFiles: files,
            async oomKilled() {
              // Not memory.failcnt: it also counts page-cache reclaim that harmed nobody.
              const control = await readFile(join(mem, 'memory.oom_control'), 'utf8').catch(() => '');
              return /oom_kill [1-9]/.test(control);
            },
            async destroy() {
              await removeWithRetry(mem);
              if (pids !== undefined) await removeWithRetry(pids);
            },
          };
        },
      };
    }
  }
  return {
    mode: 'none',
    reason: 'no writable cgroup (v2 or v1 memory) for this process; memory is capped per process with RLIMIT_AS',
    create: () => Promise.resolve(undefined),
  };
}
