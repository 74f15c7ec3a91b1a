import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { PluginContext } from '../contracts/plugin.js';
import { silentLogger } from '../observability/logger.js';

/** A PluginContext over fresh temporary directories, for conformance suites. */
export async function temporaryPluginContext(signal: AbortSignal = new AbortController().signal): Promise<PluginContext> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'rlaif-conformance-'));
  return { runDir: path.join(root, 'run'), cacheDir: path.join(root, 'cache'), logger: silentLogger, seed: 1234, signal };
}
