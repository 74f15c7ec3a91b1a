import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/rlaif-error.js';
import { applyOverrides } from './overrides.js';
import { CONFIG_FILE_NAMES, loadConfig } from './load.js';
import { ConfigValidationError, validateConfig } from './validate.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(relative: string, content: string): Promise<string> {
  const file = path.join(dir, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

async function loadError(options: Parameters<typeof loadConfig>[0]): Promise<ConfigError> {
  try {
    await loadConfig(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig: formats', () => {
  it('loads rlaif.config.ts that imports a sibling .ts reward module', async () => {
    await write(
      'rewards/length.ts',
      `import type { Stub } from './types.ts';
export const lengthReward: Stub = {
  specificationVersion: 'v1', kind: 'reward', name: 'length',
  compute: (batch: readonly { rollout: { text: string } }[]) => batch.map((b) => Math.min(1, b.rollout.text.length / 10)),
};`,
    );
    await write('rewards/types.ts', `export interface Stub { readonly name: string; [k: string]: unknown }\n`);
    const file = await write(
      'rlaif.config.ts',
      `import { lengthReward } from './rewards/length';
const temperature: number = 0.5;
export default { rewards: [{ fn: lengthReward, weight: 2 }, 'ratio'], rlaif: { temperature } };`,
    );
    const { config, file: found, dir: base } = await loadConfig({ cwd: dir });
    expect(found).toBe(file);
    expect(base).toBe(dir);
    expect(config.rlaif.temperature).toBe(0.5);
    const fn = config.rewards[0]?.fn as { name: string; compute: (b: unknown[]) => number[] };
    expect(fn.name).toBe('length');
    expect(fn.compute([{ rollout: { text: 'hello' } }])).toEqual([0.5]);
    expect(config.rewards[1]).toEqual({ fn: 'ratio', weight: 1 });
  });

  it('loads rlaif.config.mjs exporting a function', async () => {
    await write('rlaif.config.mjs', `export default async () => ({ training: { epochs: 7 } });\n`);
    expect((await loadConfig({ cwd: dir })).config.training.epochs).toBe(7);
  });

  it('loads .rlaifrc.json and .rlaifrc.yaml with plugins given by name and options', async () => {
    await write('.rlaifrc.json', JSON.stringify({ teacher: { use: '@rlaif/teacher-openai', model: 'gpt-x' }, rlaif: { topK: 5 } }));
    const json = await loadConfig({ cwd: dir });
    expect(json.config.teacher).toEqual({ use: '@rlaif/teacher-openai', model: 'gpt-x' });
    expect(json.config.rlaif.topK).toBe(5);
    await rm(path.join(dir, '.rlaifrc.json'));
    await write('.rlaifrc.yaml', 'sinks:\n  - "@rlaif/sink-jsonl"\nrewards:\n  - fn: difference\n    weight: 0.5\n');
    const yaml = await loadConfig({ cwd: dir });
    expect(yaml.config.sinks).toEqual(['@rlaif/sink-jsonl']);
    expect(yaml.config.rewards).toEqual([{ fn: 'difference', weight: 0.5 }]);
  });

  it('loads rlaif.config.cjs, and prefers it over .rlaifrc.json in the same directory', async () => {
    await write('rlaif.config.cjs', 'module.exports = { rlaif: { maxNewTokens: 64 } };\n');
    await write('.rlaifrc.json', '{ "rlaif": { "maxNewTokens": 1 } }');
    const { config, file } = await loadConfig({ cwd: dir });
    expect(file).toBe(path.join(dir, 'rlaif.config.cjs'));
    expect(config.rlaif.maxNewTokens).toBe(64);
  });

  it('treats an empty YAML file as all defaults', async () => {
    await write('.rlaifrc.yml', '');
    expect((await loadConfig({ cwd: dir })).config.training.epochs).toBe(3);
  });
});

describe('loadConfig: finding the file', () => {
  it('searches parent directories and resolves paths against the config directory', async () => {
    await write('.rlaifrc.yaml', 'data:\n  trainFile: data/t.jsonl\n  evalFile: ../shared/e.jsonl\nmodel:\n  name: ./models/tiny\ntraining:\n  outputDir: out\n');
    const nested = path.join(dir, 'a', 'b');
    await mkdir(nested, { recursive: true });
    const { config, dir: base } = await loadConfig({ cwd: nested });
    expect(base).toBe(dir);
    expect(config.data.trainFile).toBe(path.join(dir, 'data/t.jsonl'));
    expect(config.data.evalFile).toBe(path.resolve(dir, '../shared/e.jsonl'));
    expect(config.model.name).toBe(path.join(dir, 'models/tiny'));
    expect(config.training.outputDir).toBe(path.join(dir, 'out'));
  });

  it('leaves hub ids alone', async () => {
    await write('.rlaifrc.json', '{ "model": { "name": "Qwen/Qwen2.5-Coder-1.5B-Instruct" } }');
    expect((await loadConfig({ cwd: dir })).config.model.name).toBe('Qwen/Qwen2.5-Coder-1.5B-Instruct');
  });

  it('loads --config directly, relative to cwd', async () => {
    await write('configs/exp.yaml', 'training:\n  seed: 3\n');
    const { config, file } = await loadConfig({ cwd: dir, configPath: 'configs/exp.yaml' });
    expect(file).toBe(path.join(dir, 'configs/exp.yaml'));
    expect(config.training.seed).toBe(3);
    expect(config.data.trainFile).toBe(path.join(dir, 'configs/data/train.jsonl'));
  });

  it('fails clearly when --config does not exist', async () => {
    const error = await loadError({ cwd: dir, configPath: 'nope.ts' });
    expect(error.file).toBe(path.join(dir, 'nope.ts'));
    expect(error.message).toMatch(/config file not found/);
    expect(error.hint).toMatch(/--config/);
  });

  it('lists the searched names when no config is found', async () => {
    const error = await loadError({ cwd: dir, stopDir: dir });
    expect(error.message).toContain(`no config file found in ${dir}`);
    for (const name of CONFIG_FILE_NAMES) expect(error.hint).toContain(name);
    expect(error.hint).toMatch(/rlaif init/);
    expect(error.hint).toMatch(/--config/);
  });

  it('runs with the defaults when told to and no config file is found (rlaif run --model --train-file)', async () => {
    const { config, file } = await loadConfig({ cwd: dir, stopDir: dir, defaultsWhenMissing: true, overrides: { model: './student', trainFile: 'tasks.jsonl' } });
    expect(file).toBeUndefined();
    expect(config.model.name).toBe(path.join(dir, 'student'));
    expect(config.data.trainFile).toBe(path.join(dir, 'tasks.jsonl'));
    expect(config.training.outputDir).toBe(path.join(dir, 'runs/rlaif'));
    expect(config.sinks).toEqual(['@rlaif/sink-tensorboard', '@rlaif/sink-jsonl']);
  });

  it('rejects an unsupported --config extension with a ConfigError', async () => {
    await write('c.toml', 'a = 1');
    const error = await loadError({ cwd: dir, configPath: 'c.toml' });
    expect(error.message).toMatch(/could not read the config/);
  });
});

describe('loadConfig: errors name the file and line', () => {
  it('reports bad JSON with its line', async () => {
    const file = await write('.rlaifrc.json', '{\n  "rlaif": {\n    "temperature": 0.5\n    "topP": 0.9\n  }\n}\n');
    const error = await loadError({ cwd: dir });
    expect(error.file).toBe(file);
    expect(error.message).toMatch(/invalid JSON at line 4/);
  });

  it('gives JSON validation errors their line', async () => {
    await write('.rlaifrc.json', '{\n  "training": {\n    "learning_rate": 0.001\n  }\n}\n');
    const error = await loadError({ cwd: dir });
    expect(error.message).toContain('training.learning_rate: unknown key; did you mean `learningRate`? (line 3)');
  });

  it('reports bad YAML with its line', async () => {
    await write('.rlaifrc.yaml', 'rlaif:\n  temperature: 0.5\n  stop: [unclosed\n');
    const error = await loadError({ cwd: dir });
    expect(error.message).toMatch(/invalid YAML at line 4, column 1: Flow sequence/);
    expect(error.message).not.toMatch(/at line.*at line/);
  });

  it('reports a TypeScript config that throws', async () => {
    await write('rlaif.config.ts', `import { missing } from './does-not-exist';\nexport default { missing };\n`);
    const error = await loadError({ cwd: dir });
    expect(error.message).toMatch(/could not run the config file/);
    expect(error.file).toBe(path.join(dir, 'rlaif.config.ts'));
  });

  it('reports every validation problem with key path, line and suggestion', async () => {
    await write('.rlaifrc.yaml', 'model:\n  name: m\nrlaif:\n  temperature: -1\n  numSamplesPerPromt: 4\ntraining:\n  epochs: "3"\n');
    const error = await loadError({ cwd: dir });
    expect(error).toBeInstanceOf(ConfigValidationError);
    const issues = (error as ConfigValidationError).issues;
    expect(issues.map((i) => [i.keyPath, i.line])).toEqual([
      ['rlaif.temperature', 4],
      ['rlaif.numSamplesPerPromt', 5],
      ['training.epochs', 7],
    ]);
    expect(issues[2]?.message).toBe('expected a number, got the string "3"; remove the quotes');
    expect(error.message).toContain('did you mean `numSamplesPerPrompt`?');
    expect(error.message).toContain(path.join(dir, '.rlaifrc.yaml'));
  });
});

describe('overrides', () => {
  it('applies CLI flags, resolving paths against cwd', async () => {
    await write('proj/rlaif.config.mjs', 'export default { data: { trainFile: "./train.jsonl" } };\n');
    const shell = path.join(dir, 'shell');
    await mkdir(shell);
    const { config } = await loadConfig({
      cwd: shell,
      configPath: '../proj/rlaif.config.mjs',
      overrides: { model: './local-model', evalFile: 'e.jsonl', outputDir: '/abs/out', seed: '9' },
    });
    expect(config.model.name).toBe(path.join(shell, 'local-model'));
    expect(config.data.trainFile).toBe(path.join(dir, 'proj/train.jsonl'));
    expect(config.data.evalFile).toBe(path.join(shell, 'e.jsonl'));
    expect(config.training.outputDir).toBe('/abs/out');
    expect(config.training.seed).toBe(9);
  });

  it('validates overrides and names the flag', () => {
    const base = validateConfig({});
    expect(() => applyOverrides(base, { seed: 'abc' })).toThrow(/--seed \(training\.seed\): expected a number, got "abc"/);
    expect(() => applyOverrides(base, { trainFile: '' })).toThrow(/--train-file \(data\.trainFile\)/);
  });

  it('returns the same config when no flag is given', () => {
    const base = validateConfig({});
    expect(applyOverrides(base, { model: undefined })).toBe(base);
    expect(applyOverrides(base, { model: 'org/model' }).model.name).toBe('org/model');
  });
});
