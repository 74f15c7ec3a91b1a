/** Checks that a value is a plugin of the expected kind and contract version, before the run uses it. */
import { describeValue } from '../config/validate.js';
import { PluginError } from '../errors/rlaif-error.js';
import { REQUIRED_METHODS } from './kinds.js';
import type { PluginKind, PluginKindMap } from './kinds.js';

/** What the checked value is and where it came from, for messages. */
export interface ContractSubject {
  readonly keyPath: string;
  readonly configFile: string | undefined;
  /** How the user named it: package, path, built-in name or `plugin object`. */
  readonly source: string;
}

/** Throws PluginError unless `value` has `kind === expectedKind`, `specificationVersion: 'v1'`, a name and the kind's methods. */
export function assertPluginContract<K extends PluginKind>(value: unknown, expectedKind: K, subject: ContractSubject): PluginKindMap[K] {
  const prefix = `${subject.configFile === undefined ? '' : `${subject.configFile}: `}${subject.keyPath}: `;
  const fail = (message: string, hint: string): never => {
    throw new PluginError(`${prefix}${message}`, subject.source, { hint });
  };
  if (typeof value !== 'object' || value === null) {
    return fail(`${subject.source} did not give a plugin object, got ${describeValue(value)}`, `a ${expectedKind} plugin's factory must return an object with kind: '${expectedKind}'`);
  }
  const plugin = value as Record<string, unknown>;
  if (plugin.kind !== expectedKind) {
    return fail(
      `expected a ${expectedKind} plugin (kind: '${expectedKind}'), but ${subject.source} has kind ${describeValue(plugin.kind)}`,
      `put a ${expectedKind} plugin at ${subject.keyPath}; check that the right package or export is named there`,
    );
  }
  if (plugin.specificationVersion !== 'v1') {
    return fail(
      `${subject.source} implements specificationVersion ${describeValue(plugin.specificationVersion)}, but this rlaif supports 'v1'`,
      'install versions of the plugin and @rlaif/core that agree on the contract version',
    );
  }
  if (typeof plugin.name !== 'string' || plugin.name === '') {
    return fail(`${subject.source} has no name`, `a ${expectedKind} plugin needs a non-empty \`name\` for logs and metrics`);
  }
  const missing = REQUIRED_METHODS[expectedKind].filter((method) => typeof plugin[method] !== 'function');
  if (missing.length > 0) {
    return fail(
      `${subject.source} is missing ${missing.map((m) => `${m}()`).join(', ')} required of a ${expectedKind} plugin`,
      `implement the ${expectedKind} contract from @rlaif/core in ${subject.source}`,
    );
  }
  return value as PluginKindMap[K];
}
