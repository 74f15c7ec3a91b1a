/**
 * Imports a plugin module the way the user's project would: package names are resolved from the
 * config file's directory (so locally installed plugins are found), paths relative to it, and
 * TypeScript files go through jiti.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import { PluginError } from '../errors/rlaif-error.js';
import { pathExists } from '../io/path-exists.js';

/** Where a plugin reference is looked up from. */
export interface ModuleLookup {
  /** The config file; package names and relative paths are resolved from its directory. */
  readonly configFile: string | undefined;
  /** Used instead of the config file's directory when there is no config file. */
  readonly cwd: string;
  /** Key path of the reference, for error messages (`teacher`, `rewards[1].fn`). */
  readonly keyPath: string;
}

const TS_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** True when `specifier` is a file path rather than a package name. */
export function isPathSpecifier(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || path.isAbsolute(specifier) || /^\.\.?\\/.test(specifier);
}

/** Imports `specifier` and returns its module namespace; throws PluginError when it is missing or fails to load. */
export async function importPluginModule(specifier: string, lookup: ModuleLookup): Promise<Record<string, unknown>> {
  const parent = lookup.configFile ?? path.join(lookup.cwd, 'rlaif.config.js');
  const where = lookup.configFile === undefined ? '' : `${lookup.configFile}: `;
  const jiti = createJiti(parent, { moduleCache: false, interopDefault: false });
  let file: string;
  if (isPathSpecifier(specifier)) {
    file = path.resolve(path.dirname(parent), specifier);
    if (!(await pathExists(file))) {
      throw new PluginError(`${where}${lookup.keyPath}: plugin file ${file} does not exist`, specifier, {
        hint: `fix the path at ${lookup.keyPath}; relative paths are resolved against ${path.dirname(parent)}`,
      });
    }
  } else {
    // The project's own install wins; next to rlaif itself is the fallback, so `npx rlaif` finds the plugins bundled with it.
    const resolved = jiti.esmResolve(specifier, { try: true }) ?? createJiti(import.meta.url).esmResolve(specifier, { try: true });
    if (resolved === undefined) {
      throw new PluginError(`${where}${lookup.keyPath}: package ${specifier} is not installed: run \`npm i ${specifier}\``, specifier, {
        hint: `install it in ${path.dirname(parent)} (where the config lives), or fix the name at ${lookup.keyPath}`,
      });
    }
    file = resolved.startsWith('file:') ? fileURLToPath(resolved) : resolved;
  }
  try {
    const namespace = TS_EXTENSIONS.has(path.extname(file)) ? await jiti.import(file) : await import(pathToFileURL(file).href);
    return namespace as Record<string, unknown>;
  } catch (error) {
    throw new PluginError(
      `${where}${lookup.keyPath}: could not load plugin ${specifier}: ${error instanceof Error ? error.message : String(error)}`,
      specifier,
      { hint: `fix the error above in ${file}, or reinstall it (npm i ${specifier})`, cause: error },
    );
  }
}

