import type { Logger } from '../observability/logger.js';

/** What every plugin receives once before use. Paths are absolute. */
export interface PluginContext {
  /** The run's output directory (`training.outputDir`). */
  readonly runDir: string;
  /** Directory for caches that should survive across runs (teacher responses, compiled artefacts). */
  readonly cacheDir: string;
  readonly logger: Logger;
  /** The run's seed; plugins derive their own streams from it. */
  readonly seed: number;
  /** Aborted when the run is asked to stop (Ctrl-C, budget): long calls should give up promptly. */
  readonly signal: AbortSignal;
}

/** The part every plugin contract shares. */
export interface PluginBase {
  /** Short unique name used in logs and metrics, e.g. `anthropic`, `exec`, `ratio`. */
  readonly name: string;
  /** Called once before first use. */
  setup?(context: PluginContext): Promise<void>;
  /** Releases resources; called once at the end of a run, also after errors. */
  close?(): Promise<void>;
}
