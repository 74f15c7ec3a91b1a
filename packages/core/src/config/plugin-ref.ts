/**
 * How a config names a plugin: the plugin object itself (TypeScript configs), a package or built-in
 * name (`'@rlaif/teacher-openai'`, `'ratio'`), or `{ use: 'package', ...options }` (JSON/YAML configs).
 */
import * as z from 'zod';
import type { AnyPlugin } from '../plugins/kinds.js';

/** A package, relative path or built-in name plus the options passed to its factory. */
export interface UsePluginRef {
  /** Package name (`@rlaif/teacher-openai`), path (`./my-reward.ts`) or built-in name (`ratio`). */
  readonly use: string;
  readonly [option: string]: unknown;
}

/** A plugin given by value, by name, or by name with options. */
export type PluginRef = AnyPlugin | string | UsePluginRef;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for something that looks like a plugin object; its contract is checked at resolve time. */
export function isPluginObject(value: unknown): value is AnyPlugin {
  return isRecord(value) && !('use' in value) && ('kind' in value || 'specificationVersion' in value);
}

/** True for `{ use: 'name', ...options }` with a non-empty name. */
export function isUsePluginRef(value: unknown): value is UsePluginRef {
  return isRecord(value) && typeof value.use === 'string' && value.use.length > 0;
}

/** True for any accepted PluginRef shape. */
export function isPluginRef(value: unknown): value is PluginRef {
  return (typeof value === 'string' && value.length > 0) || isUsePluginRef(value) || isPluginObject(value);
}

/** A short human name for a ref, for logs and errors. */
export function describePluginRef(ref: PluginRef): string {
  if (typeof ref === 'string') return ref;
  if (isUsePluginRef(ref)) return ref.use;
  return typeof ref.name === 'string' ? `${ref.kind} plugin '${ref.name}'` : `${String(ref.kind)} plugin object`;
}

const PLUGIN_REF_EXPECTED =
  "expected a plugin object (with kind and specificationVersion), a package name such as '@rlaif/teacher-openai', or { use: 'package-name', ...options }";

/** Zod schema of a PluginRef: shallow on purpose, plugin objects are checked against their contract later. */
export const pluginRefSchema = z.custom<PluginRef>(isPluginRef, { error: PLUGIN_REF_EXPECTED });
