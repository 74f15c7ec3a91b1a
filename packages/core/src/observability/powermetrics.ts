/**
 * Apple Silicon GPU utilisation from macOS `powermetrics` (`logging.gpuUtilizationMode:
 * 'powermetrics'`): the GPU's active residency over a short sample. powermetrics needs root;
 * when it cannot run, the caller falls back to the memory proxy.
 */
import { execFile } from 'node:child_process';

/** Active residency (%) and GPU power (W) from powermetrics' `gpu_power` sampler text; absent fields are undefined. */
export function parsePowermetrics(text: string): { utilizationPercent?: number; powerWatts?: number } {
  const residency = /GPU (?:HW )?active residency:\s*([\d.]+)\s*%/.exec(text)?.[1];
  const power = /GPU Power:\s*([\d.]+)\s*mW/.exec(text)?.[1];
  return {
    ...(residency === undefined ? {} : { utilizationPercent: Number(residency) }),
    ...(power === undefined ? {} : { powerWatts: Number(power) / 1000 }),
  };
}

/** One 500 ms powermetrics sample; undefined when it cannot run (not macOS, or not root). */
export function queryPowermetrics(command = 'powermetrics', timeoutMs = 5000): Promise<ReturnType<typeof parsePowermetrics> | undefined> {
  return new Promise((resolve) => {
    execFile(command, ['--samplers', 'gpu_power', '-i', '500', '-n', '1'], { timeout: timeoutMs }, (error, stdout) => {
      const parsed = error ? undefined : parsePowermetrics(stdout);
      resolve(parsed && parsed.utilizationPercent !== undefined ? parsed : undefined);
    });
  });
}
