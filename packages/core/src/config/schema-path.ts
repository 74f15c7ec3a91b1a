/** Walks a zod schema along a key path, to find the valid keys and the help line at that path. */
import * as z from 'zod';

type Schema = z.core.$ZodType;
type Def = Readonly<Record<string, unknown>> & { readonly type: string };

const defOf = (schema: Schema): Def => schema._zod.def as unknown as Def;

/** What the schema says about one key path. */
export interface SchemaPathInfo {
  /** The schema at the path with wrappers (default, optional, preprocess) removed; undefined if the path leaves the schema. */
  readonly schema: Schema | undefined;
  /** The `.describe()` line of the field, if any. */
  readonly description: string | undefined;
}

/** Removes default/optional/preprocess wrappers, keeping the first description met on the way. */
function unwrap(schema: Schema): { schema: Schema; description: string | undefined } {
  let current = schema;
  let description = z.globalRegistry.get(current)?.description;
  for (;;) {
    const def = defOf(current);
    let inner: unknown;
    if (def.type === 'default' || def.type === 'prefault' || def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly') {
      inner = def.innerType;
    } else if (def.type === 'pipe') {
      // z.preprocess is a pipe from a transform into the real schema.
      inner = defOf(def.in as Schema).type === 'transform' ? def.out : def.in;
    } else {
      return { schema: current, description };
    }
    current = inner as Schema;
    description ??= z.globalRegistry.get(current)?.description;
  }
}

/** Follows `path` (object keys, array indices) from `root`. */
export function schemaAtPath(root: Schema, path: readonly PropertyKey[]): SchemaPathInfo {
  let { schema, description } = unwrap(root);
  for (const segment of path) {
    const def = defOf(schema);
    let next: unknown;
    if (def.type === 'object') next = (def.shape as Record<string, Schema>)[String(segment)];
    else if (def.type === 'array') next = def.element;
    else if (def.type === 'tuple') next = (def.items as Schema[])[Number(segment)];
    if (next === undefined) return { schema: undefined, description: undefined };
    ({ schema, description } = unwrap(next as Schema));
  }
  return { schema, description };
}

/** The keys an object schema at `path` accepts (empty if it is not an object). */
export function objectKeysAt(root: Schema, path: readonly PropertyKey[]): string[] {
  const { schema } = schemaAtPath(root, path);
  if (schema === undefined) return [];
  const def = defOf(schema);
  return def.type === 'object' ? Object.keys(def.shape as Record<string, unknown>) : [];
}

/** `rlaif.stop[0]`-style rendering of a key path. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}
