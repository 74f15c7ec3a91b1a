/**
 * Every config key is read by the code that should use it, and every key a hint, warning or error
 * names exists. Keys are the leaves of the schema; "read" means some source file outside the
 * schema accesses it under its own section (`rlaif.rewardEpsilon`, `sft.batchSize`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { rlaifConfigObjectSchema } from '@rlaif/core';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface SchemaNode {
  readonly _zod: { readonly def: { readonly type: string; readonly shape?: Record<string, SchemaNode>; readonly innerType?: SchemaNode; readonly in?: SchemaNode } };
}

/** Dotted paths of every key of the schema: sections, sub-objects and leaves. */
function schemaPaths(node: SchemaNode, prefix: string[] = [], out = { all: new Set<string>(), leaves: [] as string[] }) {
  let current: SchemaNode | undefined = node;
  while (current && current._zod.def.type !== 'object' && (current._zod.def.innerType ?? current._zod.def.in)) {
    current = current._zod.def.innerType ?? current._zod.def.in;
  }
  if (current?._zod.def.type === 'object' && current._zod.def.shape) {
    if (prefix.length) out.all.add(prefix.join('.'));
    for (const [key, child] of Object.entries(current._zod.def.shape)) schemaPaths(child, [...prefix, key], out);
  } else {
    out.all.add(prefix.join('.'));
    out.leaves.push(prefix.join('.'));
  }
  return out;
}

const { all: KEY_PATHS, leaves: LEAVES } = schemaPaths(rlaifConfigObjectSchema as unknown as SchemaNode);
const SOURCES = execFileSync('git', ['ls-files', 'packages/*/src/**.ts', 'packages/*/src/*.ts'], { cwd: root, encoding: 'utf8' })
  .trim()
  .split('\n')
  .filter((file) => !file.endsWith('.test.ts') && !file.includes('/testing/'))
  .map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }));

describe('config keys', () => {
  it('are each read by the code outside the schema', () => {
    const readers = SOURCES.filter(({ file }) => !file.endsWith('config/schema.ts'));
    const unread = LEAVES.filter((leaf) => {
      const parts = leaf.split('.');
      const key = parts.at(-1)!;
      // A top-level key is read as `config.key` or destructured from the config.
      const access = parts.length === 1 ? new RegExp(`\\bconfig\\??\\.${key}\\b|\\{[^}]*\\b${key}\\b[^}]*\\}\\s*=\\s*config\\b`) : new RegExp(`\\b${parts.at(-2)}\\??\\.${key}\\b`);
      return !readers.some(({ text }) => access.test(text));
    });
    expect(unread, 'keys no code reads: wire them or delete them from the schema').toEqual([]);
  });

  it('named in hints, warnings and errors all exist', () => {
    const named = new Map<string, string>();
    for (const { file, text } of SOURCES) {
      for (const literal of userFacingStrings(text)) for (const keyPath of keyMentions(literal)) named.set(keyPath, file);
    }
    // Prose and snippets of the READMEs too (`model.name`, not file names such as model.safetensors).
    for (const file of execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' }).trim().split('\n')) {
      const text = readFileSync(path.join(root, file), 'utf8').replace(/\bbase_model\.model\.\S+/g, '');
      for (const keyPath of keyMentions(text)) named.set(keyPath, file);
    }
    expect(named.size).toBeGreaterThan(20);
    const missing = [...named].filter(([keyPath]) => !KEY_PATHS.has(keyPath)).map(([keyPath, file]) => `${keyPath} (${file})`);
    expect(missing).toEqual([]);
  });
});

/** Dotted config paths mentioned in `text`; file names (model.safetensors), tensor names (model.norm.weight), tokenizer.json's `model.type` and Python's `model.config.*` are not. */
function keyMentions(text: string): string[] {
  return [...text.matchAll(/\b(model|data|training|rlaif|logging|huggingface|optimization)\.[A-Za-z]\w*(?:\.[A-Za-z]\w*)*/g)]
    .map((match) => match[0])
    .filter((keyPath) => !/\.(safetensors|json|jsonl|gguf|onnx|ts|js|mjs|yaml|yml|log)$/.test(keyPath) && keyPath !== 'model.type' && !keyPath.startsWith('model.config.') && !/^model\.(layers|norm|embed_tokens)\b/.test(keyPath));
}

/**
 * String and template literals a user reads: `hint:`/`message:`/`setting:`/`keyPath:` values, the
 * arguments of `new …Error(…)`, of `logger.warn/error/info(…)` and of `issues.push(…)`.
 */
function userFacingStrings(text: string): string[] {
  const source = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const collect = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) out.push(node.text);
    else if (ts.isTemplateExpression(node)) out.push(node.head.text, ...node.templateSpans.map((span) => span.literal.text));
    ts.forEachChild(node, collect);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && ['hint', 'message', 'setting', 'keyPath'].includes(node.name.text)) collect(node.initializer);
    else if (ts.isNewExpression(node) && /Error$/.test(node.expression.getText(source))) node.arguments?.forEach(collect);
    else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ['warn', 'error', 'info', 'push'].includes(node.expression.name.text)) node.arguments.forEach(collect);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}
