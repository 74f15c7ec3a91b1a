import { readFileSync } from 'node:fs';
import os from 'node:os';

const GB = 1024 ** 3;

/**
 * Samples host and process resource use for the `System/*` tags. CPU percent is measured between
 * consecutive calls (the first call measures since construction).
 */
export class SystemMetrics {
  private lastCpu = cpuTimes();

  sample(): Record<string, number> {
    const cpu = cpuTimes();
    const busy = cpu.busy - this.lastCpu.busy;
    const total = cpu.total - this.lastCpu.total;
    this.lastCpu = cpu;
    const totalMemory = os.totalmem();
    const available = availableMemory();
    const used = totalMemory - available;
    const rss = process.memoryUsage.rss() / GB;
    return {
      'System/CPU_Percent': total > 0 ? (100 * busy) / total : 0,
      'System/Memory_Percent': (100 * used) / totalMemory,
      'System/Memory_Used_GB': used / GB,
      'System/Memory_Available_GB': available / GB,
      'System/Process_RSS_GB': rss,
      'System/Process_Memory_GB': rss,
    };
  }
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
