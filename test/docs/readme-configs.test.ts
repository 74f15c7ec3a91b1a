/**
 * What the READMEs show works: every config in a fenced block loads through the real config loader
 * (schema and cross-checks), and every relative link points at a file of this repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { isReferenceConfig, loadConfig, rlaifConfigObjectSchema, validateConfig } from '@rlaif/core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MARKDOWN = execFileSync('git', ['ls-files', '*.md'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
const SECTIONS = new Set(Object.keys(rlaifConfigObjectSchema.shape));

/** Factories README snippets call without importing them, and where they come from. */
const IMPORTS: Record<string, string> = {
  defineConfig: '@rlaif/core',
  mlx: '@rlaif/backend-mlx',
  llamacpp: '@rlaif/generator-llamacpp',
  vllm: '@rlaif/generator-vllm',
  exec: '@rlaif/teacher-exec',
  anthropic: '@rlaif/teacher-anthropic',
  openai: '@rlaif/teacher-openai',
  gemini: '@rlaif/teacher-gemini',
  tensorboard: '@rlaif/sink-tensorboard',
  jsonl: '@rlaif/sink-jsonl',
};

interface Block {
  readonly file: string;
  readonly line: number;
  readonly lang: string;
  readonly code: string;
}

function fencedBlocks(file: string): Block[] {
  const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && !/^\s*```\s*$/.test(lines[i]!)) body.push(lines[i]!.slice(open[1]!.length));
    blocks.push({ file, line: start + 1, lang: open[2]!, code: body.join('\n') });
  }
  return blocks;
}

const blocks = MARKDOWN.flatMap(fencedBlocks);
const scriptConfigs = blocks.filter((b) => ['ts', 'typescript', 'js'].includes(b.lang) && b.code.includes('defineConfig('));
/** JSON/YAML blocks that are whole configs: objects made only of config sections. */
const dataConfigs = blocks.flatMap((b) => {
  if (!['json', 'yaml', 'yml'].includes(b.lang)) return [];
  let value: unknown;
  try {
    value = b.lang === 'json' ? JSON.parse(b.code) : parseYaml(b.code);
  } catch {
    return [];
  }
  const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  return keys.length > 0 && keys.every((k) => SECTIONS.has(k)) && !isReferenceConfig(value) ? [{ ...b, value }] : [];
});
/** YAML blocks in the reference system's config.yaml format: `rlaif run config.yaml` must read them. */
const referenceConfigs = blocks.flatMap((b) => {
  if (!['yaml', 'yml'].includes(b.lang)) return [];
  try {
    const value: unknown = parseYaml(b.code);
    return isReferenceConfig(value) ? [b] : [];
  } catch {
    return [];
  }
});

const scratch = mkdtemp(path.join(root, 'test/docs/.readme-configs-'));
afterAll(async () => rm(await scratch, { recursive: true, force: true }));

describe('README configs', () => {
  it('are found', () => {
    expect(scriptConfigs.length).toBeGreaterThanOrEqual(6);
  });

  it.each(scriptConfigs.map((b) => [`${b.file}:${b.line}`, b] as const))('%s loads', async (_where, block) => {
    const missing = Object.entries(IMPORTS).filter(([name]) => new RegExp(`\\b${name}\\(`).test(block.code) && !new RegExp(`import[^;]*\\b${name}\\b`).test(block.code));
    const imports = missing.map(([name, from]) => (name === 'defineConfig' ? `import { defineConfig } from '${from}';` : `import ${name} from '${from}';`));
    // Snippets elide the rest with `/* , ... */`; the loader must see valid TypeScript.
    const code = block.code.replace(/\/\*\s*,?\s*\.\.\.\s*\*\//g, '');
    const file = path.join(await scratch, `${path.basename(path.dirname(block.file)) || 'root'}-${block.line}.config.ts`);
    await writeFile(file, `${imports.join('\n')}\n${code}\n`);
    const loaded = await loadConfig({ configPath: file, cwd: root });
    expect(loaded.config.model.name).toBeTruthy();
  });

  it.each(dataConfigs.map((b) => [`${b.file}:${b.line}`, b] as const))('%s validates', (_where, block) => {
    expect(() => validateConfig(block.value)).not.toThrow();
  });

  it.each(referenceConfigs.map((b) => [`${b.file}:${b.line}`, b] as const))('%s loads as a reference config.yaml', async (_where, block) => {
    const file = path.join(await scratch, `${path.basename(path.dirname(block.file)) || 'root'}-${block.line}-config.yaml`);
    await writeFile(file, block.code);
    const loaded = await loadConfig({ configPath: file, cwd: root });
    expect(loaded.referenceTranslation).toMatch(/reference system's config.yaml format/);
  });
});

describe('README links', () => {
  it('point at files of this repository', () => {
    const broken: string[] = [];
    for (const file of MARKDOWN) {
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!) || target!.startsWith('#')) continue;
        const resolved = path.resolve(root, path.dirname(file), target!.split('#')[0]!);
        if (!resolved.startsWith(root) || !existsSync(resolved)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('name no path of one machine', () => {
    const local = MARKDOWN.flatMap((file) => [...readFileSync(path.join(root, file), 'utf8').matchAll(/(?<![\w.])\/(work|home|Users)\/\S+/g)].map((m) => `${file}: ${m[0]}`));
    expect(local).toEqual([]);
  });
});
