/** The plugin kinds a config can name, and the contract each kind must satisfy. */
import type { Backend } from '../contracts/backend.js';
import type { Generator } from '../contracts/generator.js';
import type { MetricsSink } from '../contracts/metrics-sink.js';
import type { RewardFn } from '../contracts/reward-fn.js';
import type { Teacher } from '../contracts/teacher.js';

/** Contract type per `kind` value. */
export interface PluginKindMap {
  backend: Backend;
  generator: Generator;
  teacher: Teacher;
  reward: RewardFn;
  sink: MetricsSink;
}

export type PluginKind = keyof PluginKindMap;

/** Any plugin object a config may hold. */
export type AnyPlugin = PluginKindMap[PluginKind];

/** Where a config names a plugin, passed to its factory beside the options. */
export interface PluginFactoryContext {
  /** The config file's folder (the working directory without a file): relative paths in the options are relative to it. */
  readonly baseDir: string;
  /** Where the plugin sits in the config (`teacher`, `rewards[1].fn`), for messages about its options. */
  readonly keyPath: string;
}

/** A factory turning an options object into a plugin (what built-ins and plugin packages export). */
export type PluginFactory<P> = (options: Readonly<Record<string, unknown>>, context?: PluginFactoryContext) => P | Promise<P>;

/** Named factories resolvable without a package, e.g. the built-in rewards `ratio`, `difference`. */
export type PluginBuiltins<K extends PluginKind> = Readonly<Record<string, PluginFactory<PluginKindMap[K]>>>;

/** Methods each kind must have, checked at resolve time so a wrong plugin fails before the run starts. */
export const REQUIRED_METHODS: { readonly [K in PluginKind]: readonly (keyof PluginKindMap[K] & string)[] } = {
  backend: ['load'],
  generator: ['generate'],
  teacher: ['reference', 'score', 'usage'],
  reward: ['compute'],
  sink: ['write', 'flush'],
};
