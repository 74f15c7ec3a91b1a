/**
 * Finds, reads and validates the rlaif config: `--config` if given, else the first of
 * CONFIG_FILE_NAMES in the working directory or any parent.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cosmiconfig } from 'cosmiconfig';
import { ConfigError, RlaifError } from '../errors/rlaif-error.js';
import { configWarnings } from './cross-checks.js';
import type { ConfigWarning } from './cross-checks.js';
import { createLineLocator, loadScriptConfig, parseJsonConfig, parseYamlConfig } from './file-loaders.js';
import { applyOverrides } from './overrides.js';
import type { ConfigOverrides } from './overrides.js';
import { resolveConfigPaths } from './paths.js';
import { formatReferenceTranslation, isReferenceConfig, translateReferenceConfig } from './reference-config.js';
import type { RlaifConfig } from './schema.js';
import { validateConfig } from './validate.js';
import { pathExists } from '../io/path-exists.js';

/** Searched in this order in each directory from `cwd` upwards. */
export const CONFIG_FILE_NAMES: readonly string[] = [
  'rlaif.config.ts',
  'rlaif.config.mts',
  'rlaif.config.js',
  'rlaif.config.mjs',
  'rlaif.config.cjs',
  'rlaif.config.json',
  'rlaif.config.yaml',
  'rlaif.config.yml',
  '.rlaifrc.json',
  '.rlaifrc.yaml',
  '.rlaifrc.yml',
];

export interface LoadConfigOptions {
  /** `--config`: a file to load instead of searching, relative to `cwd`. */
  readonly configPath?: string | undefined;
  /** Where the search starts and where relative `--config` and override paths are resolved. */
  readonly cwd: string;
  /** Command-line flags applied on top of the file. */
  readonly overrides?: ConfigOverrides | undefined;
  /** Last directory searched (inclusive); default the filesystem root. */
  readonly stopDir?: string | undefined;
  /** When no config file is found, use the defaults (paths relative to `cwd`) instead of failing: `rlaif run --model --train-file`. */
  readonly defaultsWhenMissing?: boolean | undefined;
}

export interface LoadedConfig {
  /** The validated config, paths absolute. */
  readonly config: RlaifConfig;
  /** Absolute path of the config file. */
  readonly file: string | undefined;
  /** Directory relative config paths were resolved against. */
  readonly dir: string;
  /** Valid but suspicious settings, to log before the run. */
  readonly warnings: readonly ConfigWarning[];
  /** For a config.yaml in the reference system's format: the equivalent rlaif.config.ts and the keys left behind, to print once. */
  readonly referenceTranslation?: string;
}

const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

function createExplorer() {
  const script = (file: string) => loadScriptConfig(file);
  return cosmiconfig('rlaif', {
    searchPlaces: [...CONFIG_FILE_NAMES],
    searchStrategy: 'none',
    cache: false,
    ignoreEmptySearchPlaces: false,
    loaders: {
      ...Object.fromEntries(SCRIPT_EXTENSIONS.map((ext) => [ext, script])),
      '.json': parseJsonConfig,
      '.yaml': parseYamlConfig,
      '.yml': parseYamlConfig,
      noExt: parseYamlConfig,
    },
  });
}

/** Loads, validates and path-resolves the config; throws ConfigError naming the file and key on any problem. */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = path.resolve(options.cwd);
  const explorer = createExplorer();
  let found: { config: unknown; filepath: string } | null;
  if (options.configPath !== undefined) {
    const file = path.resolve(cwd, options.configPath);
    if (!(await pathExists(file))) {
      throw new ConfigError('config file not found', undefined, file, {
        hint: `check the --config path (resolved against ${cwd}), or omit --config to search for ${CONFIG_FILE_NAMES.join(', ')}`,
      });
    }
    found = await readWith(() => explorer.load(file), file);
  } else {
    found = await readWith(() => searchUpwards(explorer, cwd, path.resolve(options.stopDir ?? path.parse(cwd).root)), undefined);
  }
  if (found === null && options.defaultsWhenMissing === true) {
    let config = resolveConfigPaths(validateConfig({}), cwd);
    if (options.overrides !== undefined) config = applyOverrides(config, options.overrides, { cwd });
    return { config, file: undefined, dir: cwd, warnings: configWarnings(config) };
  }
  if (found === null) {
    throw new ConfigError(`no config file found in ${cwd} or its parent directories`, undefined, undefined, {
      hint: `create one of ${CONFIG_FILE_NAMES.join(', ')} (e.g. rlaif.config.ts with \`export default defineConfig({ data: { trainFile: './data/train.jsonl' } })\`, or run \`rlaif init\`), or pass --config <file>, or run with the defaults: \`rlaif run --model <id|dir> --train-file <file>\``,
    });
  }
  const file = found.filepath;
  const dir = path.dirname(file);
  const isData = !SCRIPT_EXTENSIONS.includes(path.extname(file));
  let locate = isData ? createLineLocator(await readFile(file, 'utf8')) : undefined;
  let raw = found.config;
  let referenceTranslation: string | undefined;
  if (isData && isReferenceConfig(raw)) {
    const translation = translateReferenceConfig(raw as Record<string, unknown>);
    raw = translation.config;
    referenceTranslation = formatReferenceTranslation(translation, path.basename(file));
    // Errors name rlaif's key; the line is the reference key it came from.
    const sourceOf = new Map([...translation.translated].map(([from, to]) => [to, from.split('.')]));
    const locateSource = locate;
    locate = (keyPath) => {
      for (let length = keyPath.length; length > 0; length--) {
        const source = sourceOf.get(keyPath.slice(0, length).join('.'));
        if (source) return locateSource?.(source);
      }
      return undefined;
    };
  }
  let config = resolveConfigPaths(validateConfig(raw, { file, locate }), dir);
  if (options.overrides !== undefined) config = applyOverrides(config, options.overrides, { cwd, file });
  return { config, file, dir, warnings: configWarnings(config), ...(referenceTranslation === undefined ? {} : { referenceTranslation }) };
}

async function searchUpwards(
  explorer: ReturnType<typeof createExplorer>,
  from: string,
  stopDir: string,
): Promise<{ config: unknown; filepath: string } | null> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const result = await explorer.search(dir);
    if (result !== null) return result;
    if (dir === stopDir || path.dirname(dir) === dir) return null;
  }
}

/** Runs a cosmiconfig read, turning its plain errors (unknown extension, unreadable file) into ConfigError. */
async function readWith<T>(read: () => Promise<T>, file: string | undefined): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (RlaifError.isInstance(error)) throw error;
    const failed = (error as { filepath?: unknown }).filepath;
    throw new ConfigError(`could not read the config: ${error instanceof Error ? error.message : String(error)}`, undefined, typeof failed === 'string' ? failed : file, {
      hint: `use one of ${CONFIG_FILE_NAMES.join(', ')} (or a .ts/.js/.json/.yaml file with --config)`,
      cause: error,
    });
  }
}

