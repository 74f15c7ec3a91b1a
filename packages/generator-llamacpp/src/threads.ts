/**
 * How many threads llama.cpp computes with. ggml's CPU thread pool synchronises its threads at a
 * spin barrier after every graph node; when a thread is descheduled (more busy threads than free
 * cores: the trainer's own work, the teacher's sandboxes, other processes), every barrier waits out
 * a scheduler time slice. On this 2-core machine under load, 2 threads took 55 s for 256 tokens of a
 * tiny model that 1 thread decodes in 0.4 s: what looked like a hang. So one core is left free.
 */
import os from 'node:os';

/** One thread fewer than the cores available to this process, at least one. */
export function defaultThreads(available = os.availableParallelism()): number {
  return Math.max(1, available - 1);
}
