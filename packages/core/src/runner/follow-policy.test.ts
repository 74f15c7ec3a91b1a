import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend, Policy } from '../contracts/backend.js';
import type { Generator, PolicyBinding } from '../contracts/generator.js';
import type { Optimizer } from '../contracts/optimizer.js';
import { ConfigError } from '../errors/rlaif-error.js';
import { silentLogger } from '../observability/logger.js';
import { sampleRollout, sampleTask } from '../testing/fixtures.js';
import { followPolicy, POLICY_SYNC_DIR } from './follow-policy.js';

// Test doubles: an optimizer whose version the test moves and whose save writes it to disk, and a
// generator recording what it was bound to and which folders it was asked to load.
function fakeOptimizer(): Optimizer & { advance(): void } {
  let version = 0;
  return {
    specificationVersion: 'v1',
    kind: 'optimizer',
    name: 'fake',
    get version() {
      return version;
    },
    advance: () => void version++,
    step: () => Promise.reject(new Error('unused')),
    supervisedStep: () => Promise.reject(new Error('unused')),
    save: (dir) => writeFile(path.join(dir, 'weights.txt'), `version ${version}`),
    load: () => Promise.resolve(),
  };
}

function recordingGenerator(withSync = true) {
  const synced: { version: number; content: string }[] = [];
  const bound: PolicyBinding[] = [];
  const generator: Generator = {
    specificationVersion: 'v1',
    kind: 'generator',
    name: 'recording',
    async generate(tasks) {
      const version = synced.at(-1)?.version ?? -1;
      return { groups: tasks.map((t) => [{ ...sampleRollout(t, 'x'), policyVersion: version }]), completionTokens: 1, seconds: 0.1 };
    },
    async bindPolicy(binding) {
      bound.push(binding);
    },
    ...(withSync ? { syncPolicy: async (dir: string, version: number) => void synced.push({ version, content: await readFile(path.join(dir, 'weights.txt'), 'utf8') }) } : {}),
  };
  return { generator, synced, bound };
}

const policy = (promptTokens?: Policy['promptTokens']): Policy =>
  ({ generator: recordingGenerator().generator, optimizer: fakeOptimizer(), info: {}, close: async () => {}, ...(promptTokens ? { promptTokens } : {}) }) as unknown as Policy;
const backend: Backend = { specificationVersion: 'v1', kind: 'backend', name: 'fake-backend', load: () => Promise.reject(new Error('unused')) };
const spec = { model: { nameOrPath: 'm', revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: false, systemPrompt: '' }, lora: undefined } as const;
const sampling = { temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 4, stop: [], seed: 1 };

describe('followPolicy', () => {
  it('binds the generator to the policy and syncs each new optimizer version before sampling, once', async () => {
    const runDir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-follow-'));
    const optimizer = fakeOptimizer();
    const { generator, synced, bound } = recordingGenerator();
    const followed = await followPolicy(generator, { policy: policy(() => [7, 8]), optimizer, backend, spec, runDir, logger: silentLogger });
    expect(bound).toHaveLength(1);
    expect(bound[0]!.promptTokens(sampleTask())).toEqual([7, 8]);

    const first = await followed.generate([sampleTask()], 1, sampling);
    expect(first.groups[0]![0]!.policyVersion).toBe(0);
    await followed.generate([sampleTask()], 1, sampling);
    expect(synced).toEqual([{ version: 0, content: 'version 0' }]);

    optimizer.advance();
    optimizer.advance();
    const later = await followed.generate([sampleTask()], 1, sampling);
    expect(later.groups[0]![0]!.policyVersion).toBe(2);
    expect(synced.map((s) => s.content)).toEqual(['version 0', 'version 2']);
    // Only the version the engine holds stays on disk.
    expect(await readdir(path.join(runDir, POLICY_SYNC_DIR))).toEqual(['v2']);
    await followed.close?.();
    await expect(readdir(path.join(runDir, POLICY_SYNC_DIR))).rejects.toThrow();
  });

  it('refuses a generator that cannot load new weights, and a backend that gives no prompt tokens', async () => {
    const runDir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-follow-'));
    const options = { optimizer: fakeOptimizer(), backend, spec, runDir, logger: silentLogger };
    const noSync = followPolicy(recordingGenerator(false).generator, { ...options, policy: policy(() => [1]) });
    await expect(noSync).rejects.toThrow(ConfigError);
    await expect(noSync).rejects.toThrow(/generator: generator 'recording' cannot load updated weights/);
    const noTokens = followPolicy(recordingGenerator().generator, { ...options, policy: policy() });
    await expect(noTokens).rejects.toThrow(/backend 'fake-backend' does not give prompt token ids/);
  });
});
