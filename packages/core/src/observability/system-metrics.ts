import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { EngineMemory } from '../contracts/engine-memory.js';
import { queryNvidiaSmi, type GpuReading } from './nvidia-smi.js';
import { queryPowermetrics } from './powermetrics.js';

const GB = 1024 ** 3;

/** How `System/GPU_Utilization` is estimated on Apple Silicon (the reference's `logging.gpu_utilization_mode`). */
export type GpuUtilizationMode = 'memory_proxy' | 'powermetrics';

export interface SystemMetricsOptions {
  /** The engine's memory counters: on Metal they are the GPU's memory (Apple Silicon has no nvidia-smi). */
  readonly engineMemory?: EngineMemory | undefined;
  readonly gpuUtilizationMode?: GpuUtilizationMode;
  /** The nvidia-smi command; null = do not query. Default `nvidia-smi` except on macOS. */
  readonly nvidiaSmi?: string | null;
  /** The powermetrics command (mode `powermetrics`). */
  readonly powermetrics?: string;
  /** Told once when powermetrics cannot run and the memory proxy is used instead. */
  readonly warn?: (message: string) => void;
}

/**
 * Samples host and process resource use for the `System/*` tags. CPU percent is measured between
 * consecutive calls (the first call measures since construction). GPU tags come from nvidia-smi
 * where an NVIDIA GPU answers, from the engine's Metal counters on Apple Silicon, and are absent
 * (not zero) elsewhere. The GPU commands run in the background: each sample reports the latest
 * reading and starts the next.
 */
export class SystemMetrics {
  private lastCpu = cpuTimes();
  private nvidia: GpuReading[] | undefined;
  private appleGpu: { utilizationPercent?: number; powerWatts?: number } | undefined;
  private nvidiaCommand: string | null;
  private powermetricsCommand: string | null;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly options: SystemMetricsOptions = {}) {
    this.nvidiaCommand = options.nvidiaSmi === undefined ? (process.platform === 'darwin' ? null : 'nvidia-smi') : options.nvidiaSmi;
    const metal = options.engineMemory?.source === 'metal';
    this.powermetricsCommand = metal && options.gpuUtilizationMode === 'powermetrics' ? (options.powermetrics ?? 'powermetrics') : null;
  }

  sample(): Record<string, number> {
    const cpu = cpuTimes();
    const busy = cpu.busy - this.lastCpu.busy;
    const total = cpu.total - this.lastCpu.total;
    this.lastCpu = cpu;
    const totalMemory = os.totalmem();
    const available = availableMemory();
    const used = totalMemory - available;
    const rss = process.memoryUsage.rss() / GB;
    const footprint = footprintBytes();
    void this.refresh();
    return {
      'System/CPU_Percent': total > 0 ? (100 * busy) / total : 0,
      'System/Memory_Percent': (100 * used) / totalMemory,
      'System/Memory_Used_GB': used / GB,
      'System/Memory_Available_GB': available / GB,
      'System/Process_RSS_GB': rss,
      'System/Process_Memory_GB': rss,
      ...(footprint === undefined ? {} : { 'System/Process_Footprint_GB': footprint / GB }),
      ...this.gpuScalars(),
    };
  }

  /** Queries the GPU commands once (at most one query in flight); resolves when the readings are in. */
  refresh(): Promise<void> {
    this.refreshing ??= this.query().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async query(): Promise<void> {
    if (this.nvidiaCommand !== null) {
      this.nvidia = await queryNvidiaSmi(this.nvidiaCommand);
      // No NVIDIA GPU or driver: stop asking.
      if (this.nvidia === undefined || this.nvidia.length === 0) this.nvidiaCommand = null;
    }
    if (this.powermetricsCommand !== null) {
      this.appleGpu = await queryPowermetrics(this.powermetricsCommand);
      if (this.appleGpu === undefined) {
        this.options.warn?.(
          `logging.gpuUtilizationMode 'powermetrics': \`${this.powermetricsCommand}\` could not run (it needs root: start rlaif with sudo); using 'memory_proxy' instead`,
        );
        this.powermetricsCommand = null;
      }
    }
  }

  private gpuScalars(): Record<string, number> {
    if (this.nvidia?.length) return nvidiaScalars(this.nvidia);
    const engine = this.options.engineMemory;
    if (engine?.source !== 'metal') return {};
    const memory = engine.sample();
    const usedBytes = memory.activeBytes + (memory.cacheBytes ?? 0);
    const out: Record<string, number> = { 'System/GPU_Memory_Used_GB': usedBytes / GB };
    if (memory.deviceTotalBytes) {
      out['System/GPU_Memory_Total_GB'] = memory.deviceTotalBytes / GB;
      out['System/GPU_Memory_Percent'] = (100 * usedBytes) / memory.deviceTotalBytes;
    }
    const utilization = this.appleGpu?.utilizationPercent ?? out['System/GPU_Memory_Percent'];
    if (utilization !== undefined) {
      out['System/GPU_Utilization'] = utilization;
      out['System/GPU_Utilization_Estimated'] = utilization;
    }
    if (this.appleGpu?.powerWatts !== undefined) out['System/GPU_Power_W'] = this.appleGpu.powerWatts;
    return out;
  }
}

/** `System/GPU_*` over every NVIDIA GPU: mean utilisation, summed memory and power, hottest temperature. */
export function nvidiaScalars(gpus: readonly GpuReading[]): Record<string, number> {
  const values = (pick: (gpu: GpuReading) => number | undefined) => gpus.map(pick).filter((v): v is number => v !== undefined);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  const utilization = values((g) => g.utilizationPercent);
  if (utilization.length) {
    out['System/GPU_Utilization'] = sum(utilization) / utilization.length;
    out['System/GPU_Utilization_Estimated'] = out['System/GPU_Utilization'];
  }
  const used = values((g) => g.memoryUsedBytes);
  const total = values((g) => g.memoryTotalBytes);
  if (used.length) out['System/GPU_Memory_Used_GB'] = sum(used) / GB;
  if (total.length) out['System/GPU_Memory_Total_GB'] = sum(total) / GB;
  if (used.length && total.length === used.length && sum(total) > 0) out['System/GPU_Memory_Percent'] = (100 * sum(used)) / sum(total);
  const temperature = values((g) => g.temperatureC);
  if (temperature.length) out['System/GPU_Temperature_C'] = Math.max(...temperature);
  const power = values((g) => g.powerWatts);
  if (power.length) out['System/GPU_Power_W'] = sum(power);
  return out;
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const { user, nice, sys, idle, irq } = cpu.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/** MemAvailable from /proc/meminfo where present (free memory undercounts reclaimable cache). */
function availableMemory(): number {
  try {
    const match = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return os.freemem();
}

/**
 * The process's physical footprint on Linux: anonymous and shared resident memory plus swap
 * (/proc/self/status), i.e. what it costs the machine without file-backed pages the kernel can
 * drop — the counterpart of macOS's phys_footprint. Undefined where /proc is absent.
 */
export function footprintBytes(status?: string): number | undefined {
  let text = status;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/status', 'utf8');
    } catch {
      return undefined;
    }
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
  const anon = kb('RssAnon');
  if (!Number.isFinite(anon)) return undefined;
  return (anon + (kb('RssShmem') || 0) + (kb('VmSwap') || 0)) * 1024;
}
