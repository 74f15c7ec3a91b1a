/**
 * Validates raw config data against the schema and turns every zod issue into one readable line:
 * the key path, what was expected, what was given, and for unknown keys the nearest valid key.
 */
import type * as z from 'zod';
import { ConfigError } from '../errors/rlaif-error.js';
import { nearestKey } from './nearest-key.js';
import { formatKeyPath, objectKeysAt, schemaAtPath } from './schema-path.js';
import { rlaifConfigObjectSchema, rlaifConfigSchema } from './schema.js';
import type { RlaifConfig } from './schema.js';

/** One problem found in a config. */
export interface ConfigIssue {
  /** `rlaif.temperature`, `rewards[0].weight`. */
  readonly keyPath: string;
  /** What was expected and what was given. */
  readonly message: string;
  /** 1-based line in the config file, for JSON/YAML files. */
  readonly line: number | undefined;
  /** The field's help line from the schema. */
  readonly help: string | undefined;
}

/** An invalid config: every problem at once in `issues`, each also a line of the message. */
export class ConfigValidationError extends ConfigError {
  constructor(
    readonly issues: readonly ConfigIssue[],
    file: string | undefined,
    hint: string,
  ) {
    const lines = issues.map((issue) => `  - ${renderIssue(issue)}`);
    const only = issues.length === 1 ? issues[0] : undefined;
    super(
      only ? `${only.message}${only.line === undefined ? '' : ` (line ${only.line})`}${only.help ? ` [${only.help}]` : ''}` : `invalid config, ${issues.length} problems:\n${lines.join('\n')}`,
      only?.keyPath,
      file,
      { hint },
    );
  }
}

function renderIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.keyPath : `${issue.keyPath} (line ${issue.line})`;
  return `${where}: ${issue.message}${issue.help ? ` [${issue.help}]` : ''}`;
}

/** How to place issues: the file for messages, a line locator, and a label per key path (CLI flags). */
export interface ValidateOptions {
  readonly file?: string | undefined;
  /** Returns the 1-based line of a key path in the source file, when known. */
  readonly locate?: ((path: readonly PropertyKey[]) => number | undefined) | undefined;
  /** Renames key paths in messages, e.g. `training.seed` → `--seed (training.seed)`. */
  readonly keyLabel?: ((keyPath: string) => string) | undefined;
  /** Overrides the default "what to do next" hint. */
  readonly hint?: string | undefined;
}

/** Parses raw config data (all fields optional) into a complete RlaifConfig, or throws ConfigValidationError. */
export function validateConfig(input: unknown, options: ValidateOptions = {}): RlaifConfig {
  const result = rlaifConfigSchema.safeParse(input ?? {}, { reportInput: true });
  if (result.success) return result.data;
  // Listed in file order when lines are known, so the message reads top to bottom like the file.
  const issues = result.error.issues
    .flatMap((issue) => toConfigIssues(issue, options))
    .sort((a, b) => (a.line ?? Number.POSITIVE_INFINITY) - (b.line ?? Number.POSITIVE_INFINITY));
  const where = options.file ?? 'your config';
  throw new ConfigValidationError(
    issues,
    options.file,
    options.hint ?? `fix the key${issues.length > 1 ? 's' : ''} above in ${where}; defineConfig() in rlaif.config.ts type-checks every key`,
  );
}

function toConfigIssues(issue: z.core.$ZodIssue, options: ValidateOptions): ConfigIssue[] {
  const make = (path: readonly PropertyKey[], message: string): ConfigIssue => {
    const keyPath = formatKeyPath(path);
    return {
      keyPath: options.keyLabel ? options.keyLabel(keyPath) : keyPath,
      message,
      line: options.locate?.(path),
      help: schemaAtPath(rlaifConfigObjectSchema, path).description,
    };
  };
  if (issue.code === 'unrecognized_keys') {
    const valid = objectKeysAt(rlaifConfigObjectSchema, issue.path);
    return issue.keys.map((key) => {
      const suggestion = nearestKey(key, valid);
      const message = suggestion
        ? `unknown key; did you mean \`${suggestion}\`?`
        : `unknown key; valid keys here: ${valid.map((k) => `\`${k}\``).join(', ')}`;
      return { ...make([...issue.path, key], message), help: undefined };
    });
  }
  return [make(issue.path, describeIssue(issue))];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const given = 'input' in issue ? describeValue(issue.input) : 'nothing';
  switch (issue.code) {
    case 'invalid_type':
      if (!('input' in issue) || issue.input === undefined) return `is required (expected ${article(issue.expected)})`;
      if (typeof issue.input === 'string' && issue.input.trim() !== '' && Number.isFinite(Number(issue.input)) && (issue.expected === 'number' || issue.expected === 'int')) {
        return `expected ${article(issue.expected)}, got the string ${given}; remove the quotes`;
      }
      return `expected ${article(issue.expected)}, got ${given}`;
    case 'too_small':
      return `expected ${boundText(issue.origin, issue.inclusive ? '≥' : '>', issue.minimum, 'at least')}, got ${given}`;
    case 'too_big':
      return `expected ${boundText(issue.origin, issue.inclusive ? '≤' : '<', issue.maximum, 'at most')}, got ${given}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const suggestion = typeof issue.input === 'string' ? nearestKey(issue.input, issue.values.map(String)) : undefined;
      return `expected one of ${values.join(' | ')}, got ${given}${suggestion ? `; did you mean '${suggestion}'?` : ''}`;
    }
    case 'custom':
      return 'input' in issue ? `${issue.message}; got ${given}` : issue.message;
    default:
      return `${issue.message}; got ${given}`;
  }
}

function boundText(origin: string, op: string, bound: number | bigint, countWord: string): string {
  if (origin === 'array' || origin === 'set') return `${countWord} ${bound} item${bound === 1 ? '' : 's'}`;
  if (origin === 'string') return bound === 1 && countWord === 'at least' ? 'a non-empty string' : `a string of ${countWord} ${bound} characters`;
  return `a number ${op} ${bound}`;
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  if (type === 'array' || type === 'object') return `an ${type}`;
  return `a ${type}`;
}

/** A short rendering of a user's value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return truncate(JSON.stringify(value));
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return truncate(safeJson(value) ?? `an array of ${value.length}`);
  const keys = Object.keys(value);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${truncate(keys.join(', '))}`;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

const truncate = (text: string, max = 60): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
