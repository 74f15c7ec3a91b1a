/**
 * Tensor engines on CPU (node-mlx, TensorFlow.js) allocate and free buffers of tens to hundreds of MB
 * on every step. glibc's malloc serves each of them with a fresh mmap and returns it on free, so the
 * kernel zeroes every page again: measured on the MLX backend, 28 % of a training step's CPU time was
 * `clear_page`, and a step took 5.5–8.7 s instead of 4.0 s. The tunables below keep freed memory in
 * one heap for reuse. They are read by the dynamic loader at process start only, so the CLI runs
 * itself again with them set; the relaunched process puts the user's own value back in its
 * environment, so compilers and sandboxed programs it starts run with glibc's defaults.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * One arena (threads share the heap that keeps the freed buffers), no mmap for any size (so a freed
 * buffer stays in the heap), no trimming below 64 GiB, and transparent huge pages for the heap.
 */
export const TENSOR_MALLOC_TUNABLES =
  'glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736:glibc.malloc.hugetlb=1';

/** Set to `off` to run without the relaunch (e.g. when a debugger or profiler must see one process). */
export const ALLOCATOR_TUNING_VARIABLE = 'RLAIF_ALLOCATOR_TUNING';
// Carries the user's own GLIBC_TUNABLES, JSON-encoded (null when unset), into the relaunched process.
const ORIGINAL_VARIABLE = 'RLAIF_ORIGINAL_GLIBC_TUNABLES';

/** Why this process runs (or does not run) with the tuned allocator. */
export type AllocatorTuning =
  /** Relaunched with TENSOR_MALLOC_TUNABLES. */
  | 'applied'
  /** RLAIF_ALLOCATOR_TUNING=off. */
  | 'off'
  /** GLIBC_TUNABLES already sets glibc.malloc.* options: the user's choice is kept. */
  | 'user-set'
  /** Not Linux with glibc (macOS, musl), or a second process could not be started. */
  | 'unsupported'
  /** Not decided yet: relaunchWithAllocatorTuning was not called in this process. */
  | 'unknown';

let state: AllocatorTuning = 'unknown';

/** How this process's allocator was set up (see AllocatorTuning). */
export function allocatorTuning(): AllocatorTuning {
  return state;
}

/** What to do at start-up, from the environment and the C library; pure, for tests. */
export function planAllocatorTuning(
  env: NodeJS.ProcessEnv,
  glibc: boolean,
): { readonly action: 'relaunch'; readonly env: NodeJS.ProcessEnv } | { readonly action: 'continue'; readonly state: AllocatorTuning; readonly restore?: string | undefined } {
  if (env[ORIGINAL_VARIABLE] !== undefined) {
    const original = JSON.parse(env[ORIGINAL_VARIABLE]) as unknown;
    return { action: 'continue', state: 'applied', restore: typeof original === 'string' ? original : undefined };
  }
  if (env[ALLOCATOR_TUNING_VARIABLE] === 'off') return { action: 'continue', state: 'off' };
  if (!glibc) return { action: 'continue', state: 'unsupported' };
  const own = env['GLIBC_TUNABLES'];
  if (own?.includes('glibc.malloc.')) return { action: 'continue', state: 'user-set' };
  return {
    action: 'relaunch',
    env: { ...env, GLIBC_TUNABLES: own ? `${own}:${TENSOR_MALLOC_TUNABLES}` : TENSOR_MALLOC_TUNABLES, [ORIGINAL_VARIABLE]: JSON.stringify(own ?? null) },
  };
}

function runsOnGlibc(): boolean {
  if (process.platform !== 'linux') return false;
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return typeof header?.glibcVersionRuntime === 'string';
}

const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
// Carries the launcher's pid into the relaunched process, which ends itself when that pid is no longer
// its parent (see dieWithLauncher).
const LAUNCHER_VARIABLE = 'RLAIF_LAUNCHER_PID';

/**
 * Call first thing in an entry point. Either this process already runs with the tuned allocator (or
 * cannot or should not): resolves to undefined and the caller carries on. Or it runs the same
 * command again with the tunables, waits, and resolves to the exit code the caller should exit with.
 *
 * The relaunched process gets its own process group, so a Ctrl-C at the terminal reaches it once,
 * forwarded by this one (a second Ctrl-C is forwarded too: `rlaif run` quits at once then); Ctrl-Z
 * stops both and `fg` continues both; and it ends when this process is killed outright
 * (dieWithLauncher). Node ≥ 22.15 could replace the process image with process.execve instead;
 * Node 20, which this project supports, has no execve.
 */
export async function relaunchWithAllocatorTuning(): Promise<number | undefined> {
  const plan = planAllocatorTuning(process.env, runsOnGlibc());
  if (plan.action === 'continue') {
    state = plan.state;
    if (plan.state === 'applied') {
      delete process.env[ORIGINAL_VARIABLE];
      if (plan.restore === undefined) delete process.env['GLIBC_TUNABLES'];
      else process.env['GLIBC_TUNABLES'] = plan.restore;
      const launcher = Number(process.env[LAUNCHER_VARIABLE]);
      delete process.env[LAUNCHER_VARIABLE];
      if (Number.isInteger(launcher)) dieWithLauncher(launcher);
    }
    return undefined;
  }
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...plan.env, [LAUNCHER_VARIABLE]: String(process.pid) },
    detached: true,
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  // Ctrl-Z reaches only this process group: stop the relaunched one too, then this one as the shell
  // expects; `fg` continues this one, which continues the other.
  const suspend = () => {
    child.kill('SIGSTOP');
    process.kill(process.pid, 'SIGSTOP');
  };
  const resume = () => child.kill('SIGCONT');
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  process.on('SIGTSTP', suspend);
  process.on('SIGCONT', resume);
  try {
    return await new Promise<number | undefined>((resolve) => {
      // Could not start a second process: carry on in this one, untuned.
      child.once('error', () => {
        state = 'unsupported';
        resolve(undefined);
      });
      // Killed by a signal: exit as a shell reports it, 128 + its number.
      child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
    });
  } finally {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
    process.off('SIGTSTP', suspend);
    process.off('SIGCONT', resume);
  }
}

/**
 * The relaunched process is in its own process group, so nothing else would stop it if the launcher
 * were killed outright (SIGKILL, the OOM killer). A worker thread watches the parent pid and ends
 * the process when the launcher is gone: it runs while the main thread is busy in a long tensor
 * computation, so no checkpoint or dataset row is written after the launcher's death is seen.
 */
function dieWithLauncher(launcher: number): void {
  const watcher = new Worker(
    `const launcher = ${launcher};
     const check = () => { if (process.ppid !== launcher) process.kill(process.pid, 'SIGKILL'); };
     check();
     setInterval(check, 50);`,
    { eval: true, stdout: false, stderr: false },
  );
  // The watcher must not keep this process alive once its work is done.
  watcher.unref();
}
