/**
 * `rlaif run config.yaml` with the reference system's own config.yaml: its snake_case sections and
 * keys are recognised and translated to rlaif's (reference-keys.ts), and the result is shown once
 * as the equivalent `rlaif.config.ts`, with every key that has no equivalent named and why.
 */
import { objectKeysAt } from './schema-path.js';
import { REFERENCE_KEYS } from './reference-keys.js';
import { rlaifConfigObjectSchema, rlaifConfigSchema } from './schema.js';

/** The reference's config.yaml sections. */
const REFERENCE_SECTIONS = ['model', 'teacher', 'training', 'rlaif', 'hardware', 'logging', 'huggingface'] as const;

/** A reference key left behind, and why. */
export interface UntranslatedKey {
  readonly key: string;
  readonly reason: string;
}

export interface ReferenceTranslation {
  /** rlaif's config (the input of validation). */
  readonly config: Record<string, unknown>;
  /** Reference key → rlaif key, for every key carried over. */
  readonly translated: ReadonlyMap<string, string>;
  readonly untranslated: readonly UntranslatedKey[];
}

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * True when the file is in the reference's format: a `hardware` section, or a key the reference
 * documents. A snake_case typo in an rlaif config (`training.learning_rate`) is not enough: it stays
 * an unknown key with a did-you-mean.
 */
export function isReferenceConfig(raw: unknown): boolean {
  if (!isPlain(raw)) return false;
  if (isPlain(raw['hardware'])) return true;
  return REFERENCE_SECTIONS.some((section) => isPlain(raw[section]) && Object.keys(raw[section]).some((key) => `${section}.${key}` in REFERENCE_KEYS));
}

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Translates a reference config.yaml (already parsed); keys already in rlaif's form pass through. */
export function translateReferenceConfig(raw: Plain): ReferenceTranslation {
  const config: Plain = {};
  const translated = new Map<string, string>();
  const untranslated: UntranslatedKey[] = [];
  const rlaifSections = new Set(Object.keys(rlaifConfigObjectSchema.shape));
  for (const [section, body] of Object.entries(raw)) {
    if (!isPlain(body)) {
      if (rlaifSections.has(section)) config[section] = body;
      else untranslated.push({ key: section, reason: `not a section of the reference's config.yaml nor of rlaif's (${[...rlaifSections].join(', ')})` });
      continue;
    }
    for (const [key, value] of Object.entries(body)) {
      const from = `${section}.${key}`;
      const rule = REFERENCE_KEYS[from];
      if (rule && 'none' in rule) {
        untranslated.push({ key: from, reason: rule.none });
      } else if (rule) {
        setPath(config, rule.to, rule.value ? rule.value(value, body) : value);
        translated.set(from, rule.to);
      } else if (objectKeysAt(rlaifConfigObjectSchema, [section]).includes(camel(key))) {
        // Not documented by the reference, but rlaif has the same key in the same section.
        setPath(config, `${section}.${camel(key)}`, value);
        translated.set(from, `${section}.${camel(key)}`);
      } else {
        untranslated.push({ key: from, reason: `no rlaif key ${section}.${camel(key)}: not documented by the reference and not an rlaif setting (see the configuration reference in rlaif's README)` });
      }
    }
  }
  dropRejected(config, translated, untranslated);
  return { config, translated, untranslated };
}

/**
 * A carried-over value that rlaif's cross-field checks reject (e.g. an upload this version cannot do)
 * is left behind with rlaif's reason; a value of the wrong type or range stays, so validation names it.
 */
function dropRejected(config: Plain, translated: Map<string, string>, untranslated: UntranslatedKey[]): void {
  const result = rlaifConfigSchema.safeParse(config);
  if (result.success) return;
  for (const issue of result.error.issues) {
    if (issue.code !== 'custom') continue;
    const target = issue.path.join('.');
    for (const [from, to] of translated) {
      if (to !== target) continue;
      deletePath(config, to);
      translated.delete(from);
      untranslated.push({ key: from, reason: `rlaif rejects the value: ${issue.message}` });
    }
  }
}

function setPath(target: Plain, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = isPlain(node[part]) ? (node[part] as Plain) : (node[part] = {});
  node[parts.at(-1)!] = value;
}

function deletePath(target: Plain, dotted: string): void {
  const parts = dotted.split('.');
  let node: unknown = target;
  for (const part of parts.slice(0, -1)) node = isPlain(node) ? node[part] : undefined;
  if (isPlain(node)) delete node[parts.at(-1)!];
}

/** The translation as the `rlaif.config.ts` a user would write, then the keys left behind and why. */
export function formatReferenceTranslation(translation: ReferenceTranslation, file: string): string {
  const lines = [
    `${file} is in the reference system's config.yaml format; rlaif reads it as this rlaif.config.ts:`,
    '',
    "import { defineConfig } from '@rlaif/core';",
    '',
    `export default defineConfig(${renderValue(translation.config, '')});`,
  ];
  if (translation.untranslated.length) {
    lines.push('', 'Keys with no rlaif equivalent (ignored):');
    for (const { key, reason } of translation.untranslated) lines.push(`  ${key}: ${reason}`);
  }
  return lines.join('\n');
}

function renderValue(value: unknown, indent: string): string {
  if (isPlain(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, v]) => `${inner}${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${renderValue(v, inner)},`).join('\n')}\n${indent}}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => renderValue(v, indent)).join(', ')}]`;
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value);
}
