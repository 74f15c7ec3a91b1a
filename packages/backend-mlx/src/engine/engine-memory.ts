/**
 * The EngineMemory capability of an MLX policy. On Metal the numbers are MLX's own allocator
 * counters (active, peak, cache); node-mlx's CPU build keeps none (they read 0), so on Linux the
 * engine's memory is measured as the process's memory outside the JavaScript heap, where MLX's
 * buffers live, and there is no cache to report.
 */
import { core as mx } from '@frost-beta/mlx';
import type { EngineMemory, EngineMemorySample } from '@rlaif/core';
import { releaseMemory } from './memory.js';

/** The capability for this process's engine: Metal counters when Metal is available, else native memory. */
export function engineMemory(): EngineMemory {
  return mx.metal.isAvailable() ? metalMemory() : nativeMemory();
}

function metalMemory(): EngineMemory {
  const info = mx.metal.deviceInfo();
  const deviceTotal = Number(info['memory_size']);
  const held = () => mx.metal.getActiveMemory() + mx.metal.getCacheMemory();
  return {
    specificationVersion: 'v1',
    source: 'metal',
    sample: (): EngineMemorySample => ({
      activeBytes: mx.metal.getActiveMemory(),
      peakBytes: mx.metal.getPeakMemory(),
      cacheBytes: mx.metal.getCacheMemory(),
      ...(Number.isFinite(deviceTotal) && deviceTotal > 0 ? { deviceTotalBytes: deviceTotal } : {}),
    }),
    async releaseCache() {
      const before = held();
      await releaseMemory('full');
      mx.metal.clearCache();
      return Math.max(0, before - held());
    },
  };
}

/** Native memory = resident set − V8 heap: MLX's buffers, plus the (small, constant) native code of the process. */
export function nativeMemory(read: () => NodeJS.MemoryUsage = () => process.memoryUsage()): EngineMemory {
  let peak = 0;
  const native = () => {
    const usage = read();
    return Math.max(0, usage.rss - usage.heapTotal);
  };
  return {
    specificationVersion: 'v1',
    source: 'native',
    sample(): EngineMemorySample {
      const active = native();
      peak = Math.max(peak, active);
      return { activeBytes: active, peakBytes: peak };
    },
    async releaseCache() {
      const before = native();
      await releaseMemory('full');
      return Math.max(0, before - native());
    },
  };
}
