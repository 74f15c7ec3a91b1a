/** Keys whose values are secrets: never written to run.json, logs or checkpoints. */
const SECRET_KEY = /(api[-_]?key|secret|token|password|authorization|credential)/i;

/** Numbers and booleans hold no secret: `rlaif.maxNewTokens` is a count and stays readable. */
const isSecret = (key: string, value: unknown): boolean => SECRET_KEY.test(key) && typeof value !== 'number' && typeof value !== 'boolean';

/**
 * A JSON-safe copy of `value` with secret-looking keys replaced by `[redacted]` and plugin objects
 * reduced to their kind and name (their functions and settings may hold keys).
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 12) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.kind === 'string' && typeof record.specificationVersion === 'string') {
      return { kind: record.kind, name: record.name ?? null };
    }
    return Object.fromEntries(
      Object.entries(record)
        .filter(([, v]) => typeof v !== 'function')
        .map(([k, v]) => [k, isSecret(k, v) ? '[redacted]' : redactSecrets(v, depth + 1)]),
    );
  }
  return value;
}
