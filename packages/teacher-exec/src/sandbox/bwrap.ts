/**
 * The code sandbox: every run is a bubblewrap container with its own pid, network, ipc and uts
 * namespaces, a read-only view of the toolchains only, a size-limited tmpfs, rlimits, an optional
 * cgroup, an unprivileged uid, a clean environment and capped output. `createSandbox` self-tests it.
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SandboxError } from '@rlaif/core';
import { detectCgroups } from './cgroup.js';
import type { CgroupManager, CgroupMode } from './cgroup.js';
import { HelperSpawner, InProcessSpawner } from './spawner.js';
import type { Spawner } from './spawner.js';

/** Resource limits of one sandboxed run. */
export interface SandboxLimits {
  /** Wall-clock limit; the whole run is killed when it passes. */
  readonly wallMs: number;
  /** CPU-time limit per process (RLIMIT_CPU), in seconds. */
  readonly cpuSeconds: number;
  /** Memory of the whole run (cgroup) or of each process (RLIMIT_AS), in bytes. */
  readonly memoryBytes: number;
  /** Processes of the run (cgroup pids.max and RLIMIT_NPROC of the run's uid). */
  readonly maxProcesses: number;
  /** Largest file a process may write (RLIMIT_FSIZE), in bytes. */
  readonly fileSizeBytes: number;
  /** Size of the private /tmp tmpfs, in bytes. */
  readonly tmpfsBytes: number;
  /** Bytes of stdout plus stderr kept; the run is killed when it writes more. */
  readonly outputBytes: number;
}

/** A host directory made visible inside the sandbox. */
export interface SandboxMount {
  readonly host: string;
  readonly sandbox: string;
  /** Default false: read-only. */
  readonly writable?: boolean;
}

/** One command to run in a fresh sandbox. */
export interface SandboxRunSpec {
  readonly argv: readonly string[];
  readonly mounts: readonly SandboxMount[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly limits: SandboxLimits;
  /** The unprivileged uid (and gid) the command runs as; distinct per concurrent run. */
  readonly uid: number;
  readonly signal?: AbortSignal;
}

/** What a sandboxed run did. */
export interface SandboxRunResult {
  /** The command's exit code; 128 + n when it died of signal n. */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  /** Killed by the wall-clock limit or the CPU-time limit. */
  readonly timedOut: boolean;
  /** Killed for writing more than `outputBytes`. */
  readonly outputOverflow: boolean;
  /** A process of the run was killed for exceeding the memory cap (cgroup only). */
  readonly oomKilled: boolean;
}

/** Which isolation is in force on this host, as found by the start-up self-test. */
export interface IsolationReport {
  readonly bwrap: string;
  readonly uid: number;
  readonly namespaces: readonly string[];
  readonly cgroup: CgroupMode;
  readonly memoryLimit: 'cgroup' | 'rlimit-as';
  readonly notes: readonly string[];
}

/** Runs commands in throwaway containers. */
export interface Sandbox {
  readonly isolation: IsolationReport;
  run(spec: SandboxRunSpec): Promise<SandboxRunResult>;
}

const SIGXCPU = 24;
const SIGKILL = 9;
// $1 = how many cgroup.procs files follow; the shell writes its pid to each, then execs the rest.
const JOIN_CGROUPS = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';

function findBwrap(explicit: string | undefined): string | undefined {
  const candidates = explicit === undefined ? ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap'] : [explicit];
  return candidates.find((path) => existsSync(path));
}

/** Mirrors the host's top-level system dirs: a symlink stays a symlink, a directory becomes a read-only bind. */
function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    if (!existsSync(dir)) continue;
    const stat = lstatSync(dir);
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else args.push('--ro-bind', dir, dir);
  }
  // Debian's compiler names (cc, c++) are symlinks through /etc/alternatives; nothing else of /etc is visible.
  for (const path of ['/etc/alternatives', '/etc/ld.so.cache']) if (existsSync(path)) args.push(...parentDirs(path), '--ro-bind', path, path);
  return args;
}

/** bwrap creates missing parents as 0700 root dirs; make them traversable for the unprivileged uid. */
function parentDirs(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const args: string[] = [];
  for (let i = 1; i < parts.length; i++) args.push('--perms', '0755', '--dir', `/${parts.slice(0, i).join('/')}`);
  return args;
}

function bwrapArgs(spec: SandboxRunSpec, rlimitAs: boolean): string[] {
  const { limits } = spec;
  const args = [
    '--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try',
    '--die-with-parent', '--new-session', '--hostname', 'sandbox', '--clearenv',
    ...systemMounts(),
    '--proc', '/proc', '--dev', '/dev',
    '--perms', '1777', '--size', String(limits.tmpfsBytes), '--tmpfs', '/tmp',
  ];
  for (const mount of spec.mounts) {
    args.push(...parentDirs(mount.sandbox), mount.writable ? '--bind' : '--ro-bind', mount.host, mount.sandbox);
  }
  for (const [key, value] of Object.entries(spec.env)) args.push('--setenv', key, value);
  args.push('--chdir', spec.cwd, '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID', '--');
  // Limits are set while still root inside, then setpriv drops to the run's uid with no capabilities.
  const rlimits = [
    `--cpu=${limits.cpuSeconds}:${limits.cpuSeconds + 1}`,
    `--nproc=${limits.maxProcesses}`,
    `--fsize=${limits.fileSizeBytes}`,
    '--core=0',
    '--nofile=256',
    ...(rlimitAs ? [`--as=${limits.memoryBytes}`] : []),
  ];
  args.push('/usr/bin/prlimit', ...rlimits, '--');
  args.push(
    '/usr/bin/setpriv', `--reuid=${spec.uid}`, `--regid=${spec.uid}`, '--clear-groups',
    '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs', '--',
  );
  args.push(...spec.argv);
  return args;
}

/** Kills every process still listed in a cgroup (defence in depth: the pid namespace already ends them). */
async function killLeftovers(procsFiles: readonly string[]): Promise<void> {
  for (const file of procsFiles) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const pid of text.split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

class BwrapSandbox implements Sandbox {
  isolation!: IsolationReport;

  constructor(
    private readonly bwrap: string,
    private readonly cgroups: CgroupManager,
    private readonly spawner: Spawner,
  ) {}

  async run(spec: SandboxRunSpec): Promise<SandboxRunResult> {
    const cgroup = await this.cgroups.create(spec.limits.memoryBytes, spec.limits.maxProcesses);
    const args = bwrapArgs(spec, cgroup === undefined);
    // With a cgroup, a tiny shell joins it first and then becomes bwrap, so every descendant is inside.
    const [command, argv] =
      cgroup === undefined
        ? [this.bwrap, args]
        : ['/bin/sh', ['-c', JOIN_CGROUPS, 'rlaif-cg', String(cgroup.procsFiles.length), ...cgroup.procsFiles, this.bwrap, ...args]];
    try {
      return await this.spawnBounded(command, argv, spec, async () => (cgroup === undefined ? false : cgroup.oomKilled()));
    } finally {
      if (cgroup !== undefined) {
        await killLeftovers(cgroup.procsFiles);
        await cgroup.destroy();
      }
    }
  }

  private async spawnBounded(command: string, argv: readonly string[], spec: SandboxRunSpec, oom: () => Promise<boolean>): Promise<SandboxRunResult> {
    const outcome = await this.spawner
      .run({ command, argv, stdin: spec.stdin ?? '', wallMs: spec.limits.wallMs, outputBytes: spec.limits.outputBytes }, spec.signal)
      .catch((error: unknown) => {
        const cause = error instanceof Error ? error : new Error(String(error));
        throw new SandboxError(`could not start ${command}: ${cause.message}`, { hint: 'check that bubblewrap is installed: apt-get install bubblewrap', cause });
      });
    const oomKilled = await oom();
    const { exitCode, wallMs, outputOverflow } = outcome;
    return {
      exitCode,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      wallMs,
      // SIGXCPU at the soft CPU limit; SIGKILL at the hard one (if SIGXCPU was caught) or by the wall timer.
      timedOut: outcome.wallTimeout || exitCode === 128 + SIGXCPU || (exitCode === 128 + SIGKILL && !outputOverflow && !oomKilled && wallMs >= spec.limits.cpuSeconds * 1000),
      outputOverflow,
      oomKilled,
    };
  }
}

/** Options of the sandbox self-test. */
export interface CreateSandboxOptions {
  /** Path of the bwrap binary; default: found in /usr/bin, /usr/local/bin, /bin. */
  readonly bwrapPath?: string;
  /** Uid the self-test runs as. */
  readonly probeUid?: number;
  /** Skip cgroups even when writable (rlimits only). */
  readonly disableCgroups?: boolean;
  /**
   * Start processes from a small helper process (default true): forking from a process that holds a
   * model copies its page tables on every spawn, which halved the scoring rate inside a training run.
   */
  readonly spawnHelper?: boolean;
}

const PROBE_LIMITS: SandboxLimits = {
  wallMs: 10_000, cpuSeconds: 5, memoryBytes: 256 * 2 ** 20, maxProcesses: 16,
  fileSizeBytes: 2 ** 20, tmpfsBytes: 8 * 2 ** 20, outputBytes: 64 * 1024,
};

/** Creates the sandbox and proves its isolation on this host; throws SandboxError saying what is missing. */
export async function createSandbox(options: CreateSandboxOptions = {}): Promise<Sandbox> {
  if (process.platform !== 'linux') {
    throw new SandboxError(`the exec teacher's sandbox needs Linux (this is ${process.platform})`, {
      hint: 'run rlaif in a Linux container or VM, or configure an LLM teacher (anthropic(), openai()) in rlaif.config.ts',
    });
  }
  const bwrap = findBwrap(options.bwrapPath);
  if (bwrap === undefined) {
    throw new SandboxError(`bubblewrap not found${options.bwrapPath ? ` at ${options.bwrapPath}` : ''}`, {
      hint: 'install it: apt-get install bubblewrap (Debian/Ubuntu) or dnf install bubblewrap',
    });
  }
  for (const tool of ['/usr/bin/prlimit', '/usr/bin/setpriv']) {
    if (!existsSync(tool)) throw new SandboxError(`${tool} not found`, { hint: 'install util-linux: apt-get install util-linux' });
  }
  if (process.getuid?.() !== 0) {
    throw new SandboxError('the exec sandbox must start as root to switch to an unprivileged uid and set up namespaces', {
      hint: 'run rlaif as root inside a container (docker run ...), or use an LLM teacher',
    });
  }
  const cgroups: CgroupManager = options.disableCgroups
    ? { mode: 'none', reason: 'disabled by option', create: () => Promise.resolve(undefined) }
    : await detectCgroups();
  const sandbox = new BwrapSandbox(bwrap, cgroups, options.spawnHelper === false ? new InProcessSpawner() : new HelperSpawner());
  const uid = options.probeUid ?? 65534;
  const script = 'id -u; echo ---; tail -n +3 /proc/net/dev | cut -d: -f1; echo ---; ls /proc | grep -c "^[0-9]"; echo ---; hostname; echo ---; test -r /root/.bashrc && echo readable || echo hidden';
  const result = await sandbox
    .run({ argv: ['/bin/sh', '-c', script], mounts: [], cwd: '/tmp', env: { PATH: '/usr/bin:/bin' }, limits: PROBE_LIMITS, uid })
    .catch((error: unknown) => {
      throw new SandboxError('bubblewrap could not start a sandbox on this host', {
        hint: 'namespaces may be forbidden here (docker needs --privileged or --security-opt seccomp=unconfined); check `bwrap --unshare-all --ro-bind / / true`',
        cause: error,
      });
    });
  if (result.exitCode !== 0) {
    throw new SandboxError(`bubblewrap self-test failed (exit ${result.exitCode}): ${result.stderr.trim().split('\n').slice(0, 3).join(' | ')}`, {
      hint: 'namespaces may be forbidden here (docker needs --privileged, or sysctl kernel.unprivileged_userns_clone=1); try `bwrap --unshare-pid --unshare-net --ro-bind / / true` to see the reason',
    });
  }
  const [uidText = '', netText = '', procText = '', hostText = '', rootText = ''] = result.stdout.split('---\n').map((part) => part.trim());
  const interfaces = netText.split('\n').map((name) => name.trim()).filter(Boolean);
  const problems: string[] = [];
  if (Number(uidText) !== uid) problems.push(`runs as uid ${uidText}, expected ${uid}`);
  if (interfaces.some((name) => name !== 'lo')) problems.push(`network interfaces visible: ${interfaces.join(', ')}`);
  if (Number(procText) > 4) problems.push(`${procText} processes visible (no pid namespace)`);
  if (hostText !== 'sandbox') problems.push('hostname not isolated (no uts namespace)');
  if (rootText !== 'hidden') problems.push('/root is readable inside the sandbox');
  if (problems.length > 0) {
    throw new SandboxError(`sandbox self-test found weak isolation: ${problems.join('; ')}`, {
      hint: 'update bubblewrap (apt-get install bubblewrap) and run on a kernel with pid/net/uts namespaces',
    });
  }
  const versionResult = await new Promise<string>((resolve) => {
    const child = spawn(bwrap, ['--version'], { env: {} });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('close', () => resolve(text.trim()));
    child.on('error', () => resolve('bubblewrap'));
  });
  sandbox.isolation = {
    bwrap: versionResult,
    uid,
    namespaces: ['pid', 'net', 'ipc', 'uts', 'mount'],
    cgroup: cgroups.mode,
    memoryLimit: cgroups.mode === 'none' ? 'rlimit-as' : 'cgroup',
    notes: cgroups.reason === undefined ? [] : [cgroups.reason],
  };
  return sandbox;
}

/** One line describing the isolation, for logs. */
export function describeIsolation(report: IsolationReport): string {
  const memory = report.memoryLimit === 'cgroup' ? `cgroup ${report.cgroup} memory+pids` : 'RLIMIT_AS per process';
  return `${report.bwrap}: namespaces ${report.namespaces.join('/')}, uid ${report.uid}+, memory cap by ${memory}, RLIMIT_CPU/NPROC/FSIZE, read-only toolchains, tmpfs /tmp${report.notes.length ? ` (${report.notes.join('; ')})` : ''}`;
}
