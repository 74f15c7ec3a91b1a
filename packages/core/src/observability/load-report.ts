/**
 * The model-loading line (the reference system logs loading time, size and memory): how long the
 * backend took, the weights' size and dtype, total and trainable parameters, and the process's
 * memory before and after, plus the engine's own where it reports it.
 */
import type { PolicyInfo } from '../contracts/backend.js';
import type { EngineMemorySample } from '../contracts/engine-memory.js';
import { footprintBytes } from './system-metrics.js';

const GB = 1024 ** 3;

/** The process's memory at one moment. */
export interface MemorySnapshot {
  readonly rssBytes: number;
  /** Linux only (see footprintBytes). */
  readonly footprintBytes?: number;
}

export function memorySnapshot(): MemorySnapshot {
  const footprint = footprintBytes();
  return { rssBytes: process.memoryUsage.rss(), ...(footprint === undefined ? {} : { footprintBytes: footprint }) };
}

/** `Loaded qwen2 in 3.2 s: 494.0M parameters (1.08M trainable), 0.92 GB of weights in bfloat16 on cpu; memory: RSS 0.31 → 1.52 GB, …` */
export function formatLoadReport(info: PolicyInfo, seconds: number, before: MemorySnapshot, after: MemorySnapshot, engine?: EngineMemorySample): string {
  const gb = (bytes: number) => (bytes / GB).toFixed(2);
  const size = info.weightBytes === undefined ? '' : `${gb(info.weightBytes)} GB of weights `;
  const memory = [`RSS ${gb(before.rssBytes)} → ${gb(after.rssBytes)} GB`];
  if (before.footprintBytes !== undefined && after.footprintBytes !== undefined) memory.push(`footprint ${gb(before.footprintBytes)} → ${gb(after.footprintBytes)} GB`);
  if (engine) memory.push(`engine ${gb(engine.activeBytes)} GB`);
  return (
    `Loaded ${info.architecture} in ${seconds.toFixed(1)} s: ${(info.parameters / 1e6).toFixed(1)}M parameters ` +
    `(${(info.trainableParameters / 1e6).toFixed(2)}M trainable), ${size}in ${info.dtype} on ${info.device}; memory: ${memory.join(', ')}`
  );
}
