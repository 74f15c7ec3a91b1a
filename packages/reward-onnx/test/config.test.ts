/**
 * From a JSON config by package name beside other rewards: the model folder is relative to the config
 * file, the options' key path names the reward entry, and the combined reward weighs it in.
 * Imports the package as a user's project would, so it needs the build (`npm run build`).
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { combineRewards, prepareRun, silentLogger } from '@rlaif/core';
import { sampleRollout, sampleTask, uniformScore } from '@rlaif/core/testing';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// A project folder; the package is found next to rlaif itself, the fallback `npx rlaif` uses.
function project(reward: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rlaif-rm-json-'));
  cpSync(path.join(packageDir, 'fixtures', 'bert'), path.join(dir, 'rm'), { recursive: true });
  writeFileSync(path.join(dir, 'train.jsonl'), `${JSON.stringify({ id: 't', language: 'python', prompt: 'add', tests: 'def test_x():\n    pass\n' })}\n`);
  const config = {
    teacher: '@rlaif/teacher-exec',
    rewards: [
      { fn: 'pass_rate', weight: 0.7 },
      { fn: { use: '@rlaif/reward-onnx', ...reward }, weight: 0.3 },
    ],
    data: { trainFile: './train.jsonl', evalSplit: 0 },
    sinks: [],
  };
  writeFileSync(path.join(dir, 'rlaif.config.json'), JSON.stringify(config));
  return dir;
}

describe('@rlaif/reward-onnx in a JSON config', () => {
  it('loads the model folder relative to the config file and combines with pass_rate by weight', async () => {
    const dir = project({ model: './rm', name: 'quality' });
    // Started from another folder: './rm' must still mean the folder beside the config.
    const prepared = await prepareRun({ configPath: path.join(dir, 'rlaif.config.json'), cwd: os.tmpdir(), overrides: {}, logger: silentLogger, env: {} });
    const rewards = prepared.plugins.rewards;
    expect(rewards.map((r) => [r.fn.name, r.weight])).toEqual([
      ['pass_rate', 0.7],
      ['quality', 0.3],
    ]);
    const executed = { ...uniformScore(1), execution: { compiled: true, testsPassed: 1, testsTotal: 2, timedOut: false, runtimeMs: 1, tests: [] } };
    const batch = [{ rollout: sampleRollout(sampleTask(), 'def add(a, b):\n    return a + b\n'), score: executed, reference: null, referenceScore: null }];
    const combined = await combineRewards(rewards, batch, { step: 1, logMetric: () => undefined });
    const quality = combined.perFunction['quality']![0]!;
    expect(combined.rewards[0]).toBeCloseTo(0.7 * 0.5 + 0.3 * quality, 10);
  });

  it('names the reward entry when an option is wrong', async () => {
    const dir = project({ model: './rm', maxLenght: 32 });
    await expect(prepareRun({ configPath: path.join(dir, 'rlaif.config.json'), cwd: dir, overrides: {}, logger: silentLogger, env: {} })).rejects.toThrow(
      /rewards\[1\]\.fn\.maxLenght: unknown option of @rlaif\/reward-onnx\n.*did you mean 'maxLength'/,
    );
  });
});
