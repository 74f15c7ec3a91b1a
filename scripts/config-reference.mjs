#!/usr/bin/env node
// Prints the config reference (every key, its type, default and help line) as a Markdown table,
// generated from the schema in @rlaif/core. `--write` replaces the table between the markers in README.md.
// Run after `npm run build`: node scripts/config-reference.mjs --write
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { rlaifConfigObjectSchema } from '@rlaif/core';

const START = '<!-- config-reference:start -->';
const END = '<!-- config-reference:end -->';

function typeOf(node) {
  if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const parts = node.anyOf ?? node.oneOf;
  // A choice of values (`'adapter' | 'merged' | 'gguf' | false`) is listed; any other union is a plugin ref.
  if (parts?.every((part) => part.enum || part.type === 'boolean')) return parts.map((part) => (part.enum ? typeOf(part) : 'boolean')).join(' \\| ');
  if (parts) return 'plugin';
  if (node.type === 'array') return node.items?.type === 'number' ? 'number[]' : node.items?.type === 'string' ? 'string[]' : 'list';
  return node.type ?? 'any';
}

function rows(node, prefix, out) {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child.type === 'object' && child.properties && Object.keys(child.properties).length) {
      out.push(`| **\`${path}\`** | section | | ${child.description ?? ''} |`);
      rows(child, path, out);
    } else {
      const fallback = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
      out.push(`| \`${path}\` | ${typeOf(child)} | ${fallback.replaceAll('|', '\\|')} | ${(child.description ?? '').replaceAll('|', '\\|')} |`);
    }
  }
  return out;
}

export function configReference() {
  const schema = z.toJSONSchema(rlaifConfigObjectSchema, { io: 'input', unrepresentable: 'any' });
  return ['| key | type | default | meaning |', '| --- | --- | --- | --- |', ...rows(schema, '', [])].join('\n');
}

const table = configReference();
if (process.argv.includes('--write')) {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < 0) throw new Error(`README.md lacks the ${START} … ${END} markers`);
  writeFileSync(new URL('../README.md', import.meta.url), `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`);
} else {
  process.stdout.write(`${table}\n`);
}
