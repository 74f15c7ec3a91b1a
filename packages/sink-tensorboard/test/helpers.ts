import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger, PluginContext } from '@rlaif/core';

/** A logger that keeps warnings so tests can assert on them. */
export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, error() {}, info() {}, debug() {}, warn: (message: string) => void warnings.push(message) };
}

/** A fresh run directory and the plugin context pointing at it. */
export async function tempRunContext(logger: Logger = recordingLogger()): Promise<PluginContext> {
  const runDir = await mkdtemp(join(tmpdir(), 'rlaif-tb-'));
  return { runDir, cacheDir: join(runDir, 'cache'), logger, seed: 1, signal: new AbortController().signal };
}
