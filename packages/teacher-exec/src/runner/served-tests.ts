/**
 * Reads a test server's run (languages/python-server.ts): its check record and one record per test,
 * each turned into what a sandboxed run of that test alone would have reported, so the executor
 * judges every test by the same rules. Records are read only from the server's own stdout, which no
 * test process holds.
 */
import type { SandboxLimits, SandboxRunResult } from '../sandbox/bwrap.js';

const SIGXCPU = 24;
const SIGKILL = 9;

/** The server's syntax check, or undefined when it never reported one. */
export interface ServedCheck {
  readonly ok: boolean;
  readonly output: string;
}

/** What a served run reported. */
export interface ServedRun {
  readonly check: ServedCheck | undefined;
  /** Each reported test, as its own run; absent tests did not run (or the server was stopped first). */
  readonly tests: ReadonlyMap<string, SandboxRunResult>;
}

/** Limits of the whole served run: every test's wall time and output in turn, plus the check. */
export function servedRunLimits(testLimits: SandboxLimits, tests: number): SandboxLimits {
  // Outputs travel base64-encoded inside JSON lines: 4/3 of the bytes plus a little framing per test.
  return { ...testLimits, wallMs: testLimits.wallMs * (tests + 1), outputBytes: (tests + 1) * (Math.ceil((testLimits.outputBytes * 4) / 3) + 8192) + 65_536 };
}

const text = (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : '');

/** Parses the server's records; a test's CPU-limit and memory kills are classified as for a run of its own. */
export function readServedRun(run: SandboxRunResult, limits: SandboxLimits): ServedRun {
  let check: ServedCheck | undefined;
  const tests = new Map<string, SandboxRunResult>();
  for (const line of run.stdout.split('\n')) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof record.check === 'boolean' && check === undefined) {
      check = { ok: record.check, output: typeof record.output === 'string' ? record.output : '' };
    } else if (typeof record.test === 'string' && !tests.has(record.test)) {
      const exitCode = typeof record.exit === 'number' ? record.exit : 1;
      const wallMs = typeof record.wallMs === 'number' ? record.wallMs : 0;
      const outputOverflow = record.overflow === true;
      // Only the memory cgroup of the whole run knows of an OOM kill: a SIGKILL the server did not send is one.
      const oomKilled = run.oomKilled && exitCode === 128 + SIGKILL && record.timedOut !== true && !outputOverflow;
      tests.set(record.test, {
        exitCode,
        stdout: text(record.stdout),
        stderr: text(record.stderr),
        wallMs,
        timedOut: record.timedOut === true || exitCode === 128 + SIGXCPU || (exitCode === 128 + SIGKILL && !outputOverflow && !oomKilled && wallMs >= limits.cpuSeconds * 1000),
        outputOverflow,
        oomKilled,
      });
    }
  }
  return { check, tests };
}

/** A test the server never reported: the whole run was stopped (clock, output) or the server died. */
export function unreported(run: SandboxRunResult): SandboxRunResult {
  return { ...run, exitCode: run.exitCode === 0 ? 1 : run.exitCode, stdout: '', stderr: run.timedOut || run.outputOverflow ? '' : run.stderr, wallMs: 0 };
}
