import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineMemory } from '../contracts/engine-memory.js';
import { NVIDIA_SMI_FIELDS, parseNvidiaSmiCsv } from './nvidia-smi.js';
import { parsePowermetrics } from './powermetrics.js';
import { footprintBytes, SystemMetrics } from './system-metrics.js';

const GB = 1024 ** 3;
const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** A real executable standing in for nvidia-smi: checks the query and prints the recorded output. */
async function fakeNvidiaSmi(output: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'nvidia-smi-'));
  await writeFile(path.join(dir, 'out.csv'), output);
  const script = path.join(dir, 'nvidia-smi');
  const query = `--query-gpu=${NVIDIA_SMI_FIELDS.join(',')}`;
  await writeFile(script, `#!/bin/sh\n[ "$1" = "${query}" ] && [ "$2" = "--format=csv" ] || { echo "bad args: $*" >&2; exit 2; }\ncat "${dir}/out.csv"\n`);
  await chmod(script, 0o755);
  return script;
}

describe('System metrics', () => {
  it('parses nvidia-smi CSV by column name, units and [N/A] included', async () => {
    expect(parseNvidiaSmiCsv(await fixture('nvidia-smi-query-gpu.csv'))).toEqual([
      { index: 0, utilizationPercent: 97, memoryUsedBytes: 70215 * 1024 ** 2, memoryTotalBytes: 81559 * 1024 ** 2, temperatureC: 64, powerWatts: 412.35 },
      { index: 1, utilizationPercent: 41, memoryUsedBytes: 20480 * 1024 ** 2, memoryTotalBytes: 81559 * 1024 ** 2, temperatureC: 52, powerWatts: 188.02 },
    ]);
    expect(parseNvidiaSmiCsv(await fixture('nvidia-smi-unified-memory.csv'))).toEqual([{ index: 0, utilizationPercent: 5, temperatureC: 51, powerWatts: 12.98 }]);
  });

  it('samples System/GPU_* from nvidia-smi where it answers', async () => {
    const metrics = new SystemMetrics({ nvidiaSmi: await fakeNvidiaSmi(await fixture('nvidia-smi-query-gpu.csv')) });
    await metrics.refresh();
    const scalars = metrics.sample();
    expect(scalars['System/GPU_Utilization']).toBe(69);
    expect(scalars['System/GPU_Utilization_Estimated']).toBe(69);
    expect(scalars['System/GPU_Memory_Used_GB']).toBeCloseTo((70215 + 20480) / 1024, 9);
    expect(scalars['System/GPU_Memory_Total_GB']).toBeCloseTo((2 * 81559) / 1024, 9);
    expect(scalars['System/GPU_Memory_Percent']).toBeCloseTo((100 * (70215 + 20480)) / (2 * 81559), 9);
    expect(scalars['System/GPU_Temperature_C']).toBe(64);
    expect(scalars['System/GPU_Power_W']).toBeCloseTo(600.37, 9);
  });

  it('leaves a field nvidia-smi reports as [N/A] absent, not zero', async () => {
    const metrics = new SystemMetrics({ nvidiaSmi: await fakeNvidiaSmi(await fixture('nvidia-smi-unified-memory.csv')) });
    await metrics.refresh();
    const scalars = metrics.sample();
    expect(scalars['System/GPU_Utilization']).toBe(5);
    expect(Object.keys(scalars)).not.toContain('System/GPU_Memory_Used_GB');
    expect(Object.keys(scalars)).not.toContain('System/GPU_Memory_Percent');
  });

  it('has no GPU tags without a GPU (nvidia-smi missing, no Metal engine), and stops asking', async () => {
    const metrics = new SystemMetrics({ nvidiaSmi: '/nonexistent/nvidia-smi' });
    await metrics.refresh();
    const scalars = metrics.sample();
    expect(Object.keys(scalars).filter((k) => k.startsWith('System/GPU'))).toEqual([]);
    for (const tag of ['System/Memory_Percent', 'System/Process_RSS_GB', 'System/Process_Footprint_GB']) expect(scalars[tag], tag).toBeGreaterThan(0);
    // CPU time since the previous sample: 0 when the clock ticks (10 ms) did not advance in between.
    expect(scalars['System/CPU_Percent']).toBeGreaterThanOrEqual(0);
    expect(scalars['System/CPU_Percent']).toBeLessThanOrEqual(100);
  });

  it("uses the engine's Metal counters on Apple Silicon: memory proxy by default, powermetrics when asked and able", async () => {
    const metal: EngineMemory = {
      specificationVersion: 'v1',
      source: 'metal',
      sample: () => ({ activeBytes: 6 * GB, peakBytes: 7 * GB, cacheBytes: 2 * GB, deviceTotalBytes: 32 * GB }),
      releaseCache: async () => 0,
    };
    const proxy = new SystemMetrics({ nvidiaSmi: null, engineMemory: metal }).sample();
    expect(proxy).toMatchObject({ 'System/GPU_Memory_Used_GB': 8, 'System/GPU_Memory_Total_GB': 32, 'System/GPU_Memory_Percent': 25, 'System/GPU_Utilization_Estimated': 25 });

    const warnings: string[] = [];
    const failing = new SystemMetrics({ nvidiaSmi: null, engineMemory: metal, gpuUtilizationMode: 'powermetrics', powermetrics: '/nonexistent/powermetrics', warn: (m) => void warnings.push(m) });
    await failing.refresh();
    expect(failing.sample()['System/GPU_Utilization']).toBe(25);
    expect(warnings).toEqual([expect.stringContaining("using 'memory_proxy' instead")]);
  });

  it('reads GPU active residency and power from powermetrics text', () => {
    const text = '**** GPU usage ****\n\nGPU HW active frequency: 1296 MHz\nGPU HW active residency:  63.18% (389 MHz:   0% 1296 MHz:  63%)\nGPU idle residency:  36.82%\nGPU Power: 4512 mW\n';
    expect(parsePowermetrics(text)).toEqual({ utilizationPercent: 63.18, powerWatts: 4.512 });
    expect(parsePowermetrics('nothing')).toEqual({});
  });

  it('measures the footprint as anonymous + shared resident memory + swap', () => {
    expect(footprintBytes('VmRSS:\t 3000 kB\nRssAnon:\t 1000 kB\nRssFile:\t 1900 kB\nRssShmem:\t 100 kB\nVmSwap:\t 24 kB\n')).toBe(1124 * 1024);
    expect(footprintBytes('nothing here')).toBeUndefined();
  });
});
