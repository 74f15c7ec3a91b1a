/**
 * NVIDIA GPUs through `nvidia-smi --query-gpu` (CSV with header and units, parsed by column name so
 * the order and `[N/A]` fields of any driver version are handled). No NVIDIA GPU, no readings.
 */
import { execFile } from 'node:child_process';

/** The columns queried, in nvidia-smi's names. */
export const NVIDIA_SMI_FIELDS = ['index', 'utilization.gpu', 'memory.used', 'memory.total', 'temperature.gpu', 'power.draw'] as const;

/** One GPU; a field nvidia-smi reports as `[N/A]` or `[Not Supported]` is absent. */
export interface GpuReading {
  readonly index: number;
  readonly utilizationPercent?: number;
  readonly memoryUsedBytes?: number;
  readonly memoryTotalBytes?: number;
  readonly temperatureC?: number;
  readonly powerWatts?: number;
}

const MIB = 1024 ** 2;

/** Parses `nvidia-smi --query-gpu=… --format=csv` output (header line first). */
export function parseNvidiaSmiCsv(text: string): GpuReading[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines.shift()?.split(',').map((name) => name.trim().replace(/\s*\[.*\]$/, ''));
  if (!header) return [];
  return lines.map((line, position) => {
    const cells = line.split(',').map((cell) => cell.trim());
    const value = (field: string): number | undefined => {
      const cell = cells[header.indexOf(field)];
      const number = cell === undefined ? Number.NaN : Number.parseFloat(cell);
      return Number.isFinite(number) ? number : undefined;
    };
    const used = value('memory.used');
    const total = value('memory.total');
    return {
      index: value('index') ?? position,
      ...optional('utilizationPercent', value('utilization.gpu')),
      ...optional('memoryUsedBytes', used === undefined ? undefined : used * MIB),
      ...optional('memoryTotalBytes', total === undefined ? undefined : total * MIB),
      ...optional('temperatureC', value('temperature.gpu')),
      ...optional('powerWatts', value('power.draw')),
    };
  });
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}

/**
 * Runs nvidia-smi; resolves to its readings, or to undefined when the command is missing or fails
 * (no NVIDIA GPU or driver here).
 */
export function queryNvidiaSmi(command = 'nvidia-smi', timeoutMs = 5000): Promise<GpuReading[] | undefined> {
  return new Promise((resolve) => {
    execFile(command, [`--query-gpu=${NVIDIA_SMI_FIELDS.join(',')}`, '--format=csv'], { timeout: timeoutMs }, (error, stdout) => {
      resolve(error ? undefined : parseNvidiaSmiCsv(stdout));
    });
  });
}
