/** Command-line overrides (`--model --train-file --eval-file --output-dir --seed`) applied on top of a loaded config. */
import { resolveConfigPaths } from './paths.js';
import type { RlaifConfig } from './schema.js';
import { validateConfig } from './validate.js';

/** Values given on the command line; strings as parseArgs returns them. */
export interface ConfigOverrides {
  readonly model?: string | undefined;
  readonly trainFile?: string | undefined;
  readonly evalFile?: string | undefined;
  readonly outputDir?: string | undefined;
  readonly seed?: number | string | undefined;
}

const FLAGS: Readonly<Record<string, string>> = {
  'model.name': '--model',
  'data.trainFile': '--train-file',
  'data.evalFile': '--eval-file',
  'training.outputDir': '--output-dir',
  'training.seed': '--seed',
};

/** Applies overrides and validates the result; relative paths are resolved against `cwd` (where the flags were typed). */
export function applyOverrides(
  config: RlaifConfig,
  overrides: ConfigOverrides,
  options: { cwd?: string; file?: string | undefined } = {},
): RlaifConfig {
  const given = Object.entries(overrides).filter(([, value]) => value !== undefined);
  if (given.length === 0) return config;
  // parseArgs yields strings; a numeric string becomes a number, anything else is left for the schema to reject.
  const seed = typeof overrides.seed === 'string' && /^\s*\d+\s*$/.test(overrides.seed) ? Number(overrides.seed) : overrides.seed;
  const raw = {
    ...config,
    model: { ...config.model, name: overrides.model ?? config.model.name },
    data: {
      ...config.data,
      trainFile: overrides.trainFile ?? config.data.trainFile,
      evalFile: overrides.evalFile ?? config.data.evalFile,
    },
    training: { ...config.training, outputDir: overrides.outputDir ?? config.training.outputDir, seed: seed ?? config.training.seed },
  };
  const validated = validateConfig(raw, {
    file: options.file,
    keyLabel: (keyPath) => (FLAGS[keyPath] ? `${FLAGS[keyPath]} (${keyPath})` : keyPath),
    hint: 'fix the command-line flag or the config key named above',
  });
  const fromCli = resolveConfigPaths(validated, options.cwd ?? process.cwd());
  // Only the overridden paths take the cwd as base; the others were already resolved against the config file.
  return {
    ...validated,
    model: { ...validated.model, name: overrides.model === undefined ? validated.model.name : fromCli.model.name },
    data: {
      ...validated.data,
      trainFile: overrides.trainFile === undefined ? validated.data.trainFile : fromCli.data.trainFile,
      evalFile: overrides.evalFile === undefined ? validated.data.evalFile : fromCli.data.evalFile,
    },
    training: {
      ...validated.training,
      outputDir: overrides.outputDir === undefined ? validated.training.outputDir : fromCli.training.outputDir,
    },
  };
}
