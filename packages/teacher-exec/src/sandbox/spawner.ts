/**
 * Starts sandboxed processes from a small helper process instead of from this one.
 *
 * Node spawns with fork + exec, and fork copies the parent's page tables: from a trainer holding a
 * model (1 GB resident for the quickstart's student, several GB for a real one) every spawn costs
 * milliseconds of kernel time on the event loop. Scoring spawns five processes per candidate (compile
 * + four tests), so the exec teacher scored half as fast inside `rlaif run` as on its own (measured:
 * 24 Python candidates with their references, 9.1 s from a small process, 15.7 s from one holding 1 GB).
 * The helper stays small, so its forks are cheap; this process only exchanges messages with it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/** What to run and the bounds the helper enforces while it runs. */
export interface SpawnRequest {
  readonly command: string;
  readonly argv: readonly string[];
  readonly stdin: string;
  /** Killed (SIGKILL) after this many milliseconds. */
  readonly wallMs: number;
  /** Killed once stdout + stderr exceed this many bytes; the output is cut there. */
  readonly outputBytes: number;
}

/** How a spawned process ended. */
export interface SpawnOutcome {
  /** Exit code, or 128 + signal number when killed by a signal. */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly wallMs: number;
  /** Killed by the wall-clock timer. */
  readonly wallTimeout: boolean;
  readonly outputOverflow: boolean;
}

/** Runs one process with a wall-clock limit, an output cap and a kill switch. */
export interface Spawner {
  run(request: SpawnRequest, signal?: AbortSignal): Promise<SpawnOutcome>;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15, SIGXCPU: 24, SIGXFSZ: 25 };

/**
 * The bounded run itself, shared by the helper and the in-process fallback. Plain JavaScript in a
 * function so that it can be sent to the helper as source text (see HELPER_SOURCE).
 */
function runBounded(
  spawnProcess: typeof spawn,
  request: SpawnRequest,
  onKillRequest: (kill: () => void) => void,
  signalNumbers: Record<string, number>,
): Promise<SpawnOutcome> {
  const started = performance.now();
  const child = spawnProcess(request.command, [...request.argv], { env: {}, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let bytes = 0;
  let overflow = false;
  let wallTimeout = false;
  let stuck: NodeJS.Timeout | undefined;
  const kill = () => {
    child.kill('SIGKILL');
    // If a survivor still held our pipes, 'close' would never come: drop the pipes after a grace period.
    stuck ??= setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, 5_000);
  };
  const take = (sink: Buffer[]) => (chunk: Buffer) => {
    if (overflow) return;
    const room = request.outputBytes - bytes;
    if (chunk.length > room) {
      sink.push(chunk.subarray(0, room));
      bytes = request.outputBytes;
      overflow = true;
      kill();
      return;
    }
    sink.push(chunk);
    bytes += chunk.length;
  };
  child.stdout?.on('data', take(out));
  child.stderr?.on('data', take(err));
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(request.stdin);
  const timer = setTimeout(() => {
    wallTimeout = true;
    kill();
  }, request.wallMs);
  onKillRequest(kill);
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      clearTimeout(stuck);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(stuck);
      resolve({
        exitCode: code ?? 128 + (signal ? (signalNumbers[signal] ?? 15) : 15),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        wallMs: performance.now() - started,
        wallTimeout,
        outputOverflow: overflow,
      });
    });
  });
}

/** Spawns from this process (the fallback when no helper can be started). */
export class InProcessSpawner implements Spawner {
  run(request: SpawnRequest, signal?: AbortSignal): Promise<SpawnOutcome> {
    let onAbort: (() => void) | undefined;
    return runBounded(
      spawn,
      request,
      (kill) => {
        onAbort = kill;
        signal?.addEventListener('abort', kill, { once: true });
        // A signal aborted before we started never fires its event.
        if (signal?.aborted) kill();
      },
      SIGNAL_NUMBERS,
    ).finally(() => {
      // The run's signal lives as long as the training run: a listener left on it per sandbox run adds up.
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    });
  }
}

// The helper: receives {id, request} and {id, kill}, answers {id, outcome} or {id, error}. It exits
// when this process goes away (its IPC channel closes).
const HELPER_SOURCE = `
const { spawn } = require('node:child_process');
const runBounded = ${runBounded.toString()};
const signalNumbers = ${JSON.stringify(SIGNAL_NUMBERS)};
const kills = new Map();
process.on('disconnect', () => process.exit(0));
process.on('message', (message) => {
  if (message.kill !== undefined) { kills.get(message.kill)?.(); return; }
  runBounded(spawn, message.request, (kill) => kills.set(message.id, kill), signalNumbers)
    .then((outcome) => process.send({ id: message.id, outcome }))
    .catch((error) => process.send({ id: message.id, error: String(error && error.message || error) }))
    .finally(() => kills.delete(message.id));
});
`;

interface HelperReply {
  readonly id: number;
  readonly outcome?: SpawnOutcome;
  readonly error?: string;
}

/** Spawns through a long-lived helper process; falls back to in-process spawning if it dies. */
export class HelperSpawner implements Spawner {
  private helper: ChildProcess | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (outcome: SpawnOutcome) => void; reject: (error: Error) => void }>();
  private readonly fallback = new InProcessSpawner();

  run(request: SpawnRequest, signal?: AbortSignal): Promise<SpawnOutcome> {
    const helper = this.ensureHelper();
    if (!helper) return this.fallback.run(request, signal);
    const id = this.nextId++;
    const onAbort = () => helper.send({ kill: id });
    return new Promise<SpawnOutcome>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Only while runs are in flight may the helper keep this process alive.
      helper.channel?.ref();
      helper.send({ id, request });
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
    }).finally(() => signal?.removeEventListener('abort', onAbort));
  }

  private ensureHelper(): ChildProcess | undefined {
    if (this.helper && this.helper.connected) return this.helper;
    try {
      const helper = spawn(process.execPath, ['-e', HELPER_SOURCE], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: {} });
      helper.on('message', (reply: HelperReply) => this.settle(reply));
      // A dead helper fails what it was running; the next run starts a new one.
      const failAll = (reason: string) => {
        for (const [id, waiter] of this.waiting) {
          this.waiting.delete(id);
          waiter.reject(new Error(`the sandbox's spawn helper ${reason}`));
        }
        if (this.helper === helper) this.helper = undefined;
      };
      helper.on('exit', (code, signal) => failAll(`exited (${signal ?? code})`));
      helper.on('error', (error) => failAll(`failed: ${error.message}`));
      helper.unref();
      helper.channel?.unref();
      this.helper = helper;
      return helper;
    } catch {
      return undefined;
    }
  }

  private settle(reply: HelperReply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.helper?.channel?.unref();
    if (reply.outcome) waiter.resolve(reply.outcome);
    else waiter.reject(new Error(reply.error ?? 'the spawn helper sent no outcome'));
  }
}
