import type { Backend } from '../../contracts/backend.js';
import { PluginError } from '../../errors/index.js';
import { loadConfig } from '../../config/load.js';
import type { RlaifConfig } from '../../config/schema.js';
import { resolvePlugin } from '../../plugins/resolve.js';

/**
 * The backend for commands that work on a model outside a run (`generate`, `export`): `--backend`
 * when given, else the config's when `--config` is given, else `@rlaif/backend-mlx`.
 */
export async function commandBackend(options: {
  readonly backend?: string | undefined;
  readonly config?: string | undefined;
  readonly cwd: string;
}): Promise<{ backend: Backend; config: RlaifConfig | undefined }> {
  if (options.config) {
    const loaded = await loadConfig({ configPath: options.config, cwd: options.cwd });
    const ref = options.backend ?? loaded.config.backend;
    return { backend: await resolvePlugin(ref, { expectedKind: 'backend', keyPath: 'backend', configFile: loaded.file, cwd: options.cwd }), config: loaded.config };
  }
  const ref = options.backend ?? '@rlaif/backend-mlx';
  return { backend: await resolvePlugin(ref, { expectedKind: 'backend', keyPath: '--backend', configFile: undefined, cwd: options.cwd }), config: undefined };
}

/** Throws a PluginError when the backend lacks an optional capability. */
export function requireCapability<K extends 'experimental_export' | 'experimental_generateText'>(
  backend: Backend,
  capability: K,
  command: string,
): NonNullable<Backend[K]> {
  const method = backend[capability];
  if (typeof method !== 'function') {
    throw new PluginError(`backend '${backend.name}' does not support \`rlaif ${command}\``, backend.name, {
      hint: 'use a backend that does, such as @rlaif/backend-mlx (--backend @rlaif/backend-mlx)',
    });
  }
  return method.bind(backend) as NonNullable<Backend[K]>;
}
