/**
 * `Batch/Metal/*`: the engine's memory per batch under the reference system's names (active,
 * cache and peak memory, growth since the previous batch, whether a cleanup ran). The tags keep
 * the names for Metal on every platform; on Linux CPU they hold the engine's native memory
 * (EngineMemory `source: 'native'`), which has no cache, so `MLX_Cache_GB` is absent there.
 */
import type { EngineMemory, EngineMemorySample } from '../contracts/engine-memory.js';

const GB = 1024 ** 3;

/** What one batch saw of the engine's memory. */
export interface EngineMemoryObservation {
  readonly sample: EngineMemorySample;
  /** Active bytes gained since the previous batch (negative when memory was freed). */
  readonly activeGrowthBytes: number;
  readonly cacheGrowthBytes: number | undefined;
}

export class EngineMemoryMetrics {
  private previous: EngineMemorySample | undefined;

  constructor(readonly memory: EngineMemory) {}

  /** Reads the counters and the growth since the last call. */
  observe(): EngineMemoryObservation {
    const sample = this.memory.sample();
    const before = this.previous ?? sample;
    this.previous = sample;
    return {
      sample,
      activeGrowthBytes: sample.activeBytes - before.activeBytes,
      cacheGrowthBytes: sample.cacheBytes === undefined || before.cacheBytes === undefined ? undefined : sample.cacheBytes - before.cacheBytes,
    };
  }

  /** Releases the engine's cache; the next growth is measured from what is left. */
  async release(): Promise<{ readonly freedBytes: number; readonly after: EngineMemorySample }> {
    const freedBytes = await this.memory.releaseCache();
    this.previous = this.memory.sample();
    return { freedBytes, after: this.previous };
  }
}

/** The batch's `Batch/Metal/*` scalars; `freedBytes` is what a cleanup this batch released (undefined = none ran). */
export function engineMemoryScalars(observation: EngineMemoryObservation, freedBytes: number | undefined): Record<string, number> {
  const { sample } = observation;
  const out: Record<string, number> = {
    'Batch/Metal/MLX_Active_GB': sample.activeBytes / GB,
    'Batch/Metal/MLX_Peak_GB': sample.peakBytes / GB,
    'Batch/Metal/MLX_Active_Growth_GB': observation.activeGrowthBytes / GB,
    'Batch/Metal/GC_Triggered': freedBytes === undefined ? 0 : 1,
    'Batch/Metal/Freed_GB': (freedBytes ?? 0) / GB,
  };
  if (sample.cacheBytes !== undefined) out['Batch/Metal/MLX_Cache_GB'] = sample.cacheBytes / GB;
  if (observation.cacheGrowthBytes !== undefined) out['Batch/Metal/MLX_Cache_Growth_GB'] = observation.cacheGrowthBytes / GB;
  return out;
}
