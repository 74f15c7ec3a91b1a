import { core as mx } from '@frost-beta/mlx';
import { describe, expect, it } from 'vitest';
import { engineMemory, nativeMemory } from './engine-memory.js';

describe('EngineMemory of an MLX policy', () => {
  it('reads native memory (resident set − V8 heap) on a CPU build, with a running peak', () => {
    let rss = 5e9;
    const memory = nativeMemory(() => ({ rss, heapTotal: 1e9, heapUsed: 0, external: 0, arrayBuffers: 0 }));
    expect(memory.source).toBe('native');
    expect(memory.sample()).toEqual({ activeBytes: 4e9, peakBytes: 4e9 });
    rss = 3e9;
    expect(memory.sample()).toEqual({ activeBytes: 2e9, peakBytes: 4e9 });
  });

  it("follows the engine's arrays on this machine and frees them when released", async () => {
    const memory = engineMemory();
    expect(memory.source).toBe(mx.metal.isAvailable() ? 'metal' : 'native');
    const before = memory.sample().activeBytes;
    let held: mx.array | undefined = mx.zeros([64, 1024, 1024]);
    mx.eval(held);
    const grown = memory.sample().activeBytes - before;
    expect(grown).toBeGreaterThan(200 * 1024 ** 2); // 256 MiB of float32
    held = undefined;
    const freed = await memory.releaseCache();
    expect(freed).toBeGreaterThanOrEqual(0);
    expect(memory.sample().activeBytes).toBeLessThan(before + grown / 2);
    expect(memory.sample().peakBytes).toBeGreaterThanOrEqual(before + grown);
  });
});
