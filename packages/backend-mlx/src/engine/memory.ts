import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// node-mlx frees native buffers only when V8 collects their JS wrappers, so loops must collect on purpose.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Forces a V8 collection and lets the event loop turn, which is when node-mlx releases native memory. */
export async function releaseMemory(): Promise<void> {
  collect();
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Resident set size of the process in bytes (MLX's own memory counters read 0 on CPU). */
export function residentBytes(): number {
  return process.memoryUsage().rss;
}
