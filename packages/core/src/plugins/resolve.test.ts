import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../config/validate.js';
import type { RewardFn } from '../contracts/reward-fn.js';
import { PluginError, RlaifError } from '../errors/rlaif-error.js';
import { resolveAllPlugins, resolvePlugin } from './resolve.js';

// A throwaway project: its own node_modules holds small test-double plugin packages.
let project: string;
let configFile: string;

const teacherSource = (kind: string, version = 'v1') => `export default (options = {}) => ({
  specificationVersion: '${version}', kind: '${kind}', name: 'fake-' + (options.label ?? 'teacher'), options,
  reference: async (task) => ({ code: '', source: 'teacher' }),
  score: async () => ({ scores: [], referenceScore: null, usage: {} }),
  usage: () => ({}),
});\n`;

async function write(relative: string, content: string): Promise<void> {
  const file = path.join(project, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

async function fakePackage(name: string, source: string, packageJson: Record<string, unknown> = {}): Promise<void> {
  await write(`node_modules/${name}/package.json`, JSON.stringify({ name, version: '1.0.0', type: 'module', main: './index.js', ...packageJson }));
  await write(`node_modules/${name}/index.js`, source);
}

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'rlaif-plugins-'));
  configFile = path.join(project, 'rlaif.config.ts');
  await write('rlaif.config.ts', 'export default {};\n');
  await fakePackage('fake-teacher', teacherSource('teacher'));
  await fakePackage('@rlaif/teacher-exec', teacherSource('teacher'));
  await fakePackage('wrong-kind', teacherSource('sink'));
  await fakePackage('future-teacher', teacherSource('teacher', 'v2'));
  await fakePackage('@acme/esm-sink', `export const plugin = { specificationVersion: 'v1', kind: 'sink', name: 'acme', write() {}, async flush() {} };\n`, {
    exports: { '.': { import: './index.js' } },
  });
  await write(
    'node_modules/cjs-backend/package.json',
    JSON.stringify({ name: 'cjs-backend', version: '1.0.0', main: './index.cjs' }),
  );
  await write(
    'node_modules/cjs-backend/index.cjs',
    `module.exports = (options) => ({ specificationVersion: 'v1', kind: 'backend', name: 'cjs:' + options.device, load: async () => { throw new Error('unused'); } });\n`,
  );
  await fakePackage('fake-generator', `export default (options = {}) => ({ specificationVersion: 'v1', kind: 'generator', name: 'gen-' + (options.threads ?? 0), generate: async () => ({ groups: [], completionTokens: 0, seconds: 0 }) });\n`);
  await fakePackage('broken-dep', `import 'not-installed-anywhere';\nexport default () => ({});\n`);
  await fakePackage('throws-on-start', `export default () => { throw new Error('bad option x'); };\n`);
  await fakePackage('no-default', `export const other = 1;\n`);
  await write(
    'plugins/my-reward.ts',
    `const scale: number = 3;
export default (options: { offset?: number }) => ({
  specificationVersion: 'v1' as const, kind: 'reward' as const, name: 'my-reward',
  compute: (batch: readonly unknown[]) => batch.map(() => scale + (options.offset ?? 0)),
});\n`,
  );
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

async function pluginError(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PluginError) return error;
    throw error;
  }
  throw new Error('expected a PluginError');
}

const reward = (name: string, kind = 'reward'): RewardFn =>
  ({ specificationVersion: 'v1', kind, name, compute: (batch: readonly unknown[]) => batch.map(() => 1) }) as unknown as RewardFn;

describe('resolvePlugin', () => {
  it('returns a plugin object as-is after the contract check', async () => {
    const fn = reward('inline');
    expect(await resolvePlugin(fn, { expectedKind: 'reward', keyPath: 'rewards[0].fn', configFile })).toBe(fn);
  });

  it('rejects a plugin object of the wrong kind, naming the key path and the kind given', async () => {
    const error = await pluginError(resolvePlugin(reward('inline', 'teacher'), { expectedKind: 'reward', keyPath: 'rewards[0].fn', configFile }));
    expect(error.message).toContain(`${configFile}: rewards[0].fn: expected a reward plugin (kind: 'reward'), but the plugin object has kind "teacher"`);
    expect(error.code).toBe('RLAIF_PLUGIN');
    expect(error.hint).toMatch(/rewards\[0\]\.fn/);
  });

  it('imports a package installed next to the config and calls its factory with the options', async () => {
    const teacher = await resolvePlugin({ use: 'fake-teacher', label: 'x', model: 'm' }, { expectedKind: 'teacher', keyPath: 'teacher', configFile });
    expect(teacher.name).toBe('fake-x');
    expect((teacher as unknown as { options: unknown }).options).toEqual({ label: 'x', model: 'm' });
    expect((await resolvePlugin('fake-teacher', { expectedKind: 'teacher', keyPath: 'teacher', configFile })).name).toBe('fake-teacher');
  });

  it('finds an ESM-only package through its named `plugin` export, and a CommonJS factory', async () => {
    expect((await resolvePlugin('@acme/esm-sink', { expectedKind: 'sink', keyPath: 'sinks[0]', configFile })).name).toBe('acme');
    const backend = await resolvePlugin({ use: 'cjs-backend', device: 'cpu' }, { expectedKind: 'backend', keyPath: 'backend', configFile });
    expect(backend.name).toBe('cjs:cpu');
  });

  it('loads a relative .ts plugin file through jiti', async () => {
    const fn = await resolvePlugin({ use: './plugins/my-reward.ts', offset: 1 }, { expectedKind: 'reward', keyPath: 'rewards[1].fn', configFile });
    expect(await fn.compute([{} as never, {} as never], { step: 0, logMetric() {} })).toEqual([4, 4]);
  });

  it('uses built-ins before packages', async () => {
    const builtins = { mine: (options: Readonly<Record<string, unknown>>) => reward(`mine-${String(options.k)}`) };
    const fn = await resolvePlugin({ use: 'mine', k: 2 }, { expectedKind: 'reward', keyPath: 'rewards[0].fn', configFile, builtins });
    expect(fn.name).toBe('mine-2');
  });

  it('tells a factory where the config lives and where the plugin sits in it', async () => {
    const seen: unknown[] = [];
    const builtins = { mine: (_options: Readonly<Record<string, unknown>>, context?: unknown) => (seen.push(context), reward('mine')) };
    await resolvePlugin({ use: 'mine' }, { expectedKind: 'reward', keyPath: 'rewards[2].fn', configFile, builtins });
    await resolvePlugin('mine', { expectedKind: 'reward', keyPath: 'rewards[0].fn', configFile: undefined, cwd: '/somewhere', builtins });
    expect(seen).toEqual([
      { baseDir: path.dirname(configFile), keyPath: 'rewards[2].fn' },
      { baseDir: '/somewhere', keyPath: 'rewards[0].fn' },
    ]);
  });

  it('says how to install a missing package', async () => {
    const error = await pluginError(resolvePlugin('@rlaif/teacher-nope', { expectedKind: 'teacher', keyPath: 'teacher', configFile }));
    expect(error.message).toContain('teacher: package @rlaif/teacher-nope is not installed: run `npm i @rlaif/teacher-nope`');
    expect(error.plugin).toBe('@rlaif/teacher-nope');
  });

  it('falls back to packages installed next to rlaif itself', async () => {
    // `yaml` is a dependency of core, absent from the test project: found, then rejected as not a plugin.
    const error = await pluginError(resolvePlugin('yaml', { expectedKind: 'sink', keyPath: 'sinks[0]', configFile }));
    expect(error.message).not.toMatch(/not installed/);
    expect(error.plugin).toBe('yaml');
  });

  it('reports a missing plugin file with the directory it was resolved against', async () => {
    const error = await pluginError(resolvePlugin('./nope.ts', { expectedKind: 'reward', keyPath: 'rewards[0].fn', configFile }));
    expect(error.message).toContain(`plugin file ${path.join(project, 'nope.ts')} does not exist`);
  });

  it('rejects a package of the wrong kind or contract version', async () => {
    const kind = await pluginError(resolvePlugin('wrong-kind', { expectedKind: 'teacher', keyPath: 'teacher', configFile }));
    expect(kind.message).toMatch(/teacher: expected a teacher plugin \(kind: 'teacher'\), but wrong-kind has kind "sink"/);
    const version = await pluginError(resolvePlugin('future-teacher', { expectedKind: 'teacher', keyPath: 'teacher', configFile }));
    expect(version.message).toMatch(/specificationVersion "v2", but this rlaif supports 'v1'/);
  });

  it('rejects a plugin missing a contract method', async () => {
    const incomplete = { specificationVersion: 'v1', kind: 'sink', name: 's', write() {} } as never;
    const error = await pluginError(resolvePlugin(incomplete, { expectedKind: 'sink', keyPath: 'sinks[2]', configFile }));
    expect(error.message).toMatch(/sinks\[2\]: the plugin object is missing flush\(\)/);
  });

  it('wraps load and start failures and keeps the cause', async () => {
    const load = await pluginError(resolvePlugin('broken-dep', { expectedKind: 'teacher', keyPath: 'teacher', configFile }));
    expect(load.message).toMatch(/could not load plugin broken-dep: .*not-installed-anywhere/);
    expect(load.cause).toBeInstanceOf(Error);
    const start = await pluginError(resolvePlugin('throws-on-start', { expectedKind: 'teacher', keyPath: 'teacher', configFile }));
    expect(start.message).toMatch(/teacher: throws-on-start failed to start: bad option x/);
    const none = await pluginError(resolvePlugin('no-default', { expectedKind: 'teacher', keyPath: 'teacher', configFile }));
    expect(none.message).toMatch(/neither a default export nor a `plugin` export/);
  });

  it('rejects options for a package that exports an object', async () => {
    const error = await pluginError(resolvePlugin({ use: '@acme/esm-sink', dir: 'x' }, { expectedKind: 'sink', keyPath: 'sinks[0]', configFile }));
    expect(error.message).toMatch(/exports a plugin object, not a factory/);
  });

  it('passes a plugin factory’s own typed error through', async () => {
    const builtins = {
      needsKey: () => {
        throw new RlaifError('no API key', { hint: 'set KEY' });
      },
    };
    await expect(resolvePlugin('needsKey', { expectedKind: 'teacher', keyPath: 'teacher', configFile, builtins })).rejects.toThrow(/no API key\n {2}→ set KEY/);
  });
});

describe('resolveAllPlugins', () => {
  const backend = { specificationVersion: 'v1', kind: 'backend', name: 'b', load: async () => undefined } as never;

  it('picks the default teacher from the environment, logs why, and resolves built-in rewards', async () => {
    const config = validateConfig({ backend, rewards: ['ratio', { fn: 'difference', weight: 0.5 }], sinks: ['@acme/esm-sink'] });
    const lines: string[] = [];
    const logger = { info: (m: string) => lines.push(m), warn() {}, error() {}, debug() {} };
    const resolved = await resolveAllPlugins(config, configFile, { env: {}, logger });
    expect(resolved.backend).toBe(backend);
    expect(resolved.teacher.name).toBe('fake-teacher');
    expect(lines).toEqual([expect.stringMatching(/^teacher: @rlaif\/teacher-exec \(no teacher set in the config and none of .* is set/)]);
    expect(resolved.rewards.map((r) => [r.fn.name, r.weight])).toEqual([
      ['ratio', 1],
      ['difference', 0.5],
    ]);
    expect(resolved.sinks.map((s) => s.name)).toEqual(['acme']);
  });

  it('uses the configured teacher and names the failing key', async () => {
    const config = validateConfig({ backend, teacher: { use: 'fake-teacher', label: 'cfg' }, sinks: [], rewards: ['ratio', 'nope-reward'] });
    const error = await pluginError(resolveAllPlugins(config, configFile, { env: { OPENAI_API_KEY: 'k' } }));
    expect(error.message).toContain('rewards[1].fn: package nope-reward is not installed');
    const ok = validateConfig({ backend, teacher: { use: 'fake-teacher', label: 'cfg' }, sinks: [] });
    expect((await resolveAllPlugins(ok, configFile, { env: { OPENAI_API_KEY: 'k' } })).teacher.name).toBe('fake-cfg');
  });

  it('resolves the generator key with its options; absent means the backend\'s own; a wrong kind names the key', async () => {
    const none = await resolveAllPlugins(validateConfig({ backend, sinks: [] }), configFile, { env: {} });
    expect(none.generator).toBeUndefined();
    const configured = await resolveAllPlugins(validateConfig({ backend, sinks: [], generator: { use: 'fake-generator', threads: 3 } }), configFile, { env: {} });
    expect(configured.generator?.name).toBe('gen-3');
    const error = await pluginError(resolveAllPlugins(validateConfig({ backend, sinks: [], generator: 'fake-teacher' }), configFile, { env: {} }));
    expect(error.message).toContain("generator: expected a generator plugin (kind: 'generator')");
  });

  it("gives the built-in ratio reward rlaif.rewardEpsilon, unless its entry sets epsilon", async () => {
    const reward = async (config: ReturnType<typeof validateConfig>) => {
      const [{ fn }] = (await resolveAllPlugins(config, configFile, { env: {} })).rewards;
      const score = (overall: number) => ({ overall, breakdown: { correctness: overall, quality: overall, efficiency: overall, documentation: overall }, evidence: '' });
      const input = { rollout: {} as never, score: score(0.5), reference: { code: '', source: 'task' as const }, referenceScore: score(0.5) };
      return (await fn!.compute([input], { step: 0, logMetric: () => undefined }))[0];
    };
    expect(await reward(validateConfig({ backend, sinks: [], rlaif: { rewardEpsilon: 0.5 } }))).toBeCloseTo(0.5, 12);
    expect(await reward(validateConfig({ backend, sinks: [], rlaif: { rewardEpsilon: 0.5 }, rewards: [{ fn: { use: 'ratio', epsilon: 0.25 } }] }))).toBeCloseTo(2 / 3, 12);
    expect(await reward(validateConfig({ backend, sinks: [] }))).toBeCloseTo(1, 5);
  });
});
