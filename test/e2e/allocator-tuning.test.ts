/**
 * The CLI's relaunch with glibc malloc tunables (packages/core/src/cli/allocator-tuning.ts), run as
 * real processes: the tuned allocator keeps a freed buffer for reuse, the user's environment is
 * restored in the relaunched process, exit codes and Ctrl-C pass through once, and killing the
 * launcher outright ends the relaunched process. Needs the built core (`npm run build`).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const probe = fileURLToPath(new URL('./fixtures/allocator-probe.mjs', import.meta.url));
const glibc = process.platform === 'linux' && typeof (process.report.getReport() as { header?: { glibcVersionRuntime?: unknown } }).header?.glibcVersionRuntime === 'string';

interface ProbeReport {
  state: string;
  pid: number;
  ppid: number;
  tunables: string | null;
  markerLeft: boolean;
  allocatedMb: number;
  keptAfterFreeMb: number;
}

function startProbe(args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const { GLIBC_TUNABLES: _own, RLAIF_ALLOCATOR_TUNING: _switch, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--expose-gc', probe, ...args], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // 'exit' can come before the last output has been read from the pipes: 'close' comes after it.
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const report = async (): Promise<ProbeReport> => {
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('\n')) {
      if (Date.now() > deadline) throw new Error(`no report from the probe:\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return JSON.parse(stdout.split('\n')[0] ?? '') as ProbeReport;
  };
  return { child, exited, closed, report, output: () => stdout, errors: () => stderr };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.runIf(glibc)('allocator tuning relaunch', () => {
  it('runs the command again with the tunables, which keep freed memory, and restores the environment', async () => {
    const run = startProbe(['exit', '3'], { GLIBC_TUNABLES: 'glibc.rtld.nns=8' });
    const report = await run.report();
    expect(await run.exited).toEqual({ code: 3, signal: null });
    expect(report.state).toBe('applied');
    expect(report.ppid).toBe(run.child.pid);
    expect(report.tunables).toBe('glibc.rtld.nns=8');
    expect(report.markerLeft).toBe(false);
    expect(report.allocatedMb).toBeGreaterThan(200);
    expect(report.keptAfterFreeMb).toBeGreaterThan(200);
  });

  it.each([
    ['RLAIF_ALLOCATOR_TUNING=off', { RLAIF_ALLOCATOR_TUNING: 'off' }, 'off', null],
    ['malloc tunables of the user', { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'user-set', 'glibc.malloc.arena_max=2'],
  ])('runs in one process with glibc’s behaviour under %s', async (_name, env, state, tunables) => {
    const run = startProbe([], env);
    const report = await run.report();
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(report).toMatchObject({ state, tunables, pid: run.child.pid });
    expect(report.keptAfterFreeMb).toBeLessThan(64);
  });

  it('forwards a SIGINT to the relaunched process once, and exits with its code', async () => {
    const run = startProbe(['wait']);
    await run.report();
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 130, signal: null });
    await run.closed;
    expect(run.output().match(/^SIGINT$/gm)).toHaveLength(1);
  });

  it('stops and continues the relaunched process with the launcher (Ctrl-Z, fg)', async () => {
    const run = startProbe(['wait']);
    const { pid } = await run.report();
    const state = (of: number) => readFileSync(`/proc/${of}/stat`, 'utf8').split(') ')[1]?.[0];
    const waitFor = async (of: number, wanted: (s: string | undefined) => boolean) => {
      const deadline = Date.now() + 5_000;
      while (!wanted(state(of)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return state(of);
    };
    run.child.kill('SIGTSTP');
    expect(await waitFor(pid, (s) => s === 'T')).toBe('T');
    expect(await waitFor(run.child.pid ?? 0, (s) => s === 'T')).toBe('T');
    run.child.kill('SIGCONT');
    expect(await waitFor(pid, (s) => s !== 'T')).not.toBe('T');
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 130, signal: null });
  });

  it('ends the relaunched process when the launcher is killed outright', async () => {
    const run = startProbe(['wait']);
    const { pid } = await run.report();
    expect(alive(pid)).toBe(true);
    run.child.kill('SIGKILL');
    await run.exited;
    const deadline = Date.now() + 5_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
    expect(run.output()).not.toMatch(/SIGINT/);
  });
});
