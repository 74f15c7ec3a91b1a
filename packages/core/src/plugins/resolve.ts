/**
 * Turns the PluginRefs of a validated config into plugin objects: objects are checked, names are
 * looked up among built-ins and then imported as packages or files, and factories get their options.
 */
import path from 'node:path';
import { defaultTeacher } from '../config/default-teacher.js';
import { describePluginRef, isPluginObject } from '../config/plugin-ref.js';
import type { PluginRef } from '../config/plugin-ref.js';
import type { RlaifConfig } from '../config/schema.js';
import type { Backend } from '../contracts/backend.js';
import type { Generator } from '../contracts/generator.js';
import type { MetricsSink } from '../contracts/metrics-sink.js';
import type { RewardFn } from '../contracts/reward-fn.js';
import type { Teacher } from '../contracts/teacher.js';
import { PluginError, RlaifError } from '../errors/rlaif-error.js';
import { silentLogger } from '../observability/logger.js';
import type { Logger } from '../observability/logger.js';
import { configuredBuiltinRewards } from '../rewards/index.js';
import { assertPluginContract } from './contract.js';
import type { PluginBuiltins, PluginFactory, PluginKind, PluginKindMap } from './kinds.js';
import { importPluginModule } from './load-module.js';

export interface ResolvePluginOptions<K extends PluginKind> {
  readonly expectedKind: K;
  /** Where the ref sits in the config (`teacher`, `rewards[0].fn`), for messages. */
  readonly keyPath: string;
  /** Packages and relative paths are resolved from this file's directory. */
  readonly configFile: string | undefined;
  /** Base directory when there is no config file; default `process.cwd()`. */
  readonly cwd?: string | undefined;
  /** Names resolved without importing anything; they take precedence over packages of the same name. */
  readonly builtins?: PluginBuiltins<K> | undefined;
}

/** Resolves one PluginRef into a plugin satisfying the `expectedKind` contract. */
export async function resolvePlugin<K extends PluginKind>(ref: PluginRef, options: ResolvePluginOptions<K>): Promise<PluginKindMap[K]> {
  const subject = { keyPath: options.keyPath, configFile: options.configFile, source: describePluginRef(ref) };
  if (isPluginObject(ref)) return assertPluginContract(ref, options.expectedKind, { ...subject, source: 'the plugin object' });
  const { name, pluginOptions } = typeof ref === 'string' ? { name: ref, pluginOptions: {} } : splitUse(ref);
  const builtin = options.builtins !== undefined && Object.hasOwn(options.builtins, name) ? options.builtins[name] : undefined;
  if (builtin !== undefined) {
    return assertPluginContract(await callFactory(builtin, pluginOptions, name, options), options.expectedKind, { ...subject, source: `built-in '${name}'` });
  }
  const namespace = await importPluginModule(name, { configFile: options.configFile, cwd: options.cwd ?? process.cwd(), keyPath: options.keyPath });
  const exported = pickExport(namespace);
  if (typeof exported === 'function') {
    const plugin = await callFactory(exported as PluginFactory<unknown>, pluginOptions, name, options);
    return assertPluginContract(plugin, options.expectedKind, subject);
  }
  if (exported === undefined) {
    throw new PluginError(`${prefix(options)}${name} has neither a default export nor a \`plugin\` export`, name, {
      hint: 'export the plugin factory as `export default` (or `export const plugin`) from the package entry',
    });
  }
  if (Object.keys(pluginOptions).length > 0) {
    throw new PluginError(`${prefix(options)}${name} exports a plugin object, not a factory, so it takes no options`, name, {
      hint: `remove the options next to \`use: '${name}'\`, or export a factory function from ${name}`,
    });
  }
  return assertPluginContract(exported, options.expectedKind, subject);
}

function splitUse(ref: { readonly use: string; readonly [option: string]: unknown }): { name: string; pluginOptions: Record<string, unknown> } {
  const { use, ...pluginOptions } = ref;
  return { name: use, pluginOptions };
}

/** The default export or a named `plugin` export; unwraps CommonJS-transpiled `{ default }` modules. */
function pickExport(namespace: Record<string, unknown>): unknown {
  let exported = namespace.default ?? namespace.plugin;
  if (typeof exported === 'object' && exported !== null && !('kind' in exported)) {
    const inner = exported as Record<string, unknown>;
    exported = inner.default ?? inner.plugin ?? exported;
  }
  return exported;
}

async function callFactory(
  factory: PluginFactory<unknown>,
  pluginOptions: Readonly<Record<string, unknown>>,
  name: string,
  options: ResolvePluginOptions<PluginKind>,
): Promise<unknown> {
  const baseDir = options.configFile === undefined ? (options.cwd ?? process.cwd()) : path.dirname(options.configFile);
  try {
    return await factory(pluginOptions, { baseDir, keyPath: options.keyPath });
  } catch (error) {
    // A plugin's own typed error (e.g. a missing API key) already says what to do: keep it.
    if (RlaifError.isInstance(error)) throw error;
    throw new PluginError(`${prefix(options)}${name} failed to start: ${error instanceof Error ? error.message : String(error)}`, name, {
      hint: `check the options given at ${options.keyPath}`,
      cause: error,
    });
  }
}

const prefix = (options: ResolvePluginOptions<PluginKind>): string =>
  `${options.configFile === undefined ? '' : `${options.configFile}: `}${options.keyPath}: `;

/** The plugins of one run, ready to use. */
export interface ResolvedPlugins {
  readonly backend: Backend;
  /** Samples on another engine; undefined = the backend's own Generator (config key `generator` absent). */
  readonly generator?: Generator | undefined;
  readonly teacher: Teacher;
  readonly rewards: readonly { readonly fn: RewardFn; readonly weight: number }[];
  readonly sinks: readonly MetricsSink[];
}

export interface ResolveAllOptions {
  /** Environment for the default teacher choice; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Receives the line saying which teacher was picked and why. */
  readonly logger?: Logger | undefined;
  /** Base directory when there is no config file. */
  readonly cwd?: string | undefined;
  /** Parts the caller supplies itself (an embedding application, a test): their config keys are not resolved. */
  readonly supplied?: Partial<ResolvedPlugins> | undefined;
  /** Built-in names per kind; rewards default to the built-ins with the config's defaults (configuredBuiltinRewards). */
  readonly builtins?: { readonly [K in PluginKind]?: PluginBuiltins<K> } | undefined;
}

/** Resolves every plugin of `config`, in config order; the first failure throws. */
export async function resolveAllPlugins(config: RlaifConfig, configFile: string | undefined, options: ResolveAllOptions = {}): Promise<ResolvedPlugins> {
  const common = { configFile, cwd: options.cwd };
  const builtins = options.builtins ?? {};
  const supplied = options.supplied ?? {};
  const backend = supplied.backend ?? (await resolvePlugin(config.backend, { ...common, expectedKind: 'backend', keyPath: 'backend', builtins: builtins.backend }));
  const generator =
    supplied.generator ??
    (config.generator === undefined ? undefined : await resolvePlugin(config.generator, { ...common, expectedKind: 'generator', keyPath: 'generator', builtins: builtins.generator }));
  const teacher = supplied.teacher ?? (await resolveTeacher(config, options, common, builtins));
  const rewards: { fn: RewardFn; weight: number }[] = [...(supplied.rewards ?? [])];
  if (!supplied.rewards) {
    for (const [i, entry] of (config.rewards ?? [{ fn: 'ratio', weight: 1 }]).entries()) {
      const fn = await resolvePlugin(entry.fn, { ...common, expectedKind: 'reward', keyPath: `rewards[${i}].fn`, builtins: builtins.reward ?? configuredBuiltinRewards(config.rlaif) });
      rewards.push({ fn, weight: entry.weight });
    }
  }
  const sinks: MetricsSink[] = [...(supplied.sinks ?? [])];
  if (!supplied.sinks) {
    for (const [i, ref] of config.sinks.entries()) {
      sinks.push(await resolvePlugin(ref, { ...common, expectedKind: 'sink', keyPath: `sinks[${i}]`, builtins: builtins.sink }));
    }
  }
  return { backend, generator, teacher, rewards, sinks };
}

/** The config's teacher, or the default one the environment picks (logged with the reason). */
async function resolveTeacher(
  config: RlaifConfig,
  options: ResolveAllOptions,
  common: { configFile: string | undefined; cwd: string | undefined },
  builtins: NonNullable<ResolveAllOptions['builtins']>,
): Promise<Teacher> {
  let teacherRef = config.teacher;
  if (teacherRef === undefined) {
    const choice = defaultTeacher(options.env ?? process.env);
    (options.logger ?? silentLogger).info(`teacher: ${choice.ref} (${choice.reason})`, { teacher: choice.ref });
    teacherRef = choice.ref;
  }
  return resolvePlugin(teacherRef, { ...common, expectedKind: 'teacher', keyPath: 'teacher', builtins: builtins.teacher });
}
