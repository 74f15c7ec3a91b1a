/**
 * node-mlx frees native buffers only when V8 collects their JS wrappers and the event loop turns;
 * without a forced collection after each step, RSS grows by the size of the activations.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

let collect: Collect | undefined;

function collector(): Collect {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  }
  return collect;
}

/**
 * Forces a GC, then yields one event-loop turn so native finalisers run. `minor` (a scavenge,
 * ~1 ms) frees the short-lived wrappers of one micro-batch; a full collection ends each step.
 */
export async function releaseMemory(kind: 'full' | 'minor' = 'full'): Promise<void> {
  collector()(kind === 'minor' ? { type: 'minor' } : undefined);
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Resident set size of the process in bytes (MLX's own memory counters read 0 on CPU). */
export function residentBytes(): number {
  return process.memoryUsage().rss;
}
