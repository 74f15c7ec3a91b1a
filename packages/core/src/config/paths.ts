/** Makes the config's file paths absolute, so the run does not depend on the shell's directory. */
import path from 'node:path';
import type { RlaifConfig } from './schema.js';

/** True for `./x`, `../x`, `.`, `..`: a local path rather than a hub id such as `Qwen/Qwen2.5-Coder-0.5B`. */
export function isExplicitRelativePath(value: string): boolean {
  return /^\.\.?([\\/]|$)/.test(value);
}

/** Resolves data files and `training.outputDir` against `baseDir`; `model.name` only when it starts with `./` or `../`. */
export function resolveConfigPaths(config: RlaifConfig, baseDir: string): RlaifConfig {
  const modelName = isExplicitRelativePath(config.model.name) ? path.resolve(baseDir, config.model.name) : config.model.name;
  return {
    ...config,
    model: { ...config.model, name: modelName },
    data: {
      ...config.data,
      trainFile: path.resolve(baseDir, config.data.trainFile),
      evalFile: config.data.evalFile === undefined ? undefined : path.resolve(baseDir, config.data.evalFile),
    },
    training: { ...config.training, outputDir: path.resolve(baseDir, config.training.outputDir) },
  };
}
