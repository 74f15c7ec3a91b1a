/**
 * Optional capability of a loaded Policy: the engine's own memory counters and cache release.
 * The trainer logs them as `Batch/Metal/*` (the reference system's names) and the health check
 * clears the cache when memory grows; an engine without it simply has no such metrics.
 */

/** One reading of the engine's memory, in bytes. */
export interface EngineMemorySample {
  /** Memory held by live arrays. */
  readonly activeBytes: number;
  /** Highest `activeBytes` since the policy was loaded. */
  readonly peakBytes: number;
  /** Freed buffers the engine keeps for reuse; absent where the engine keeps no cache. */
  readonly cacheBytes?: number;
  /** Memory of the device the engine allocates on (unified memory on Apple Silicon); absent when unknown. */
  readonly deviceTotalBytes?: number;
}

export interface EngineMemory {
  readonly specificationVersion: 'v1';
  /**
   * Where the numbers come from: `metal` = the engine's Metal allocator (Apple Silicon);
   * `native` = the process's memory outside the JavaScript heap, on engines whose CPU build keeps
   * no counters of its own (node-mlx on Linux).
   */
  readonly source: 'metal' | 'native';
  sample(): EngineMemorySample;
  /** Collects unreachable arrays and returns cached buffers to the system; resolves to the bytes freed (≥ 0). */
  releaseCache(): Promise<number>;
}
