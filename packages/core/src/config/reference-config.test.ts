import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../cli/main.js';
import { captureIO } from '../testing/capture-io.js';
import { loadConfig } from './load.js';
import { isReferenceConfig, translateReferenceConfig } from './reference-config.js';
import { REFERENCE_KEYS } from './reference-keys.js';

const FIXTURE = new URL('./fixtures/reference-config.yaml', import.meta.url);
const referenceKeys = (raw: Record<string, Record<string, unknown>>) =>
  Object.entries(raw).flatMap(([section, body]) => (section === 'data' ? [] : Object.keys(body).map((key) => `${section}.${key}`)));

describe("the reference system's config.yaml", () => {
  it('is recognised, and every key its README documents is translated or named with a reason', async () => {
    const raw = parse(await readFile(FIXTURE, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(isReferenceConfig(raw)).toBe(true);
    expect(isReferenceConfig({ training: { batchSize: 2 }, rlaif: { numSamplesPerPrompt: 2 } })).toBe(false);
    // A snake_case typo in an rlaif config stays an unknown key (with a did-you-mean), not a translation.
    expect(isReferenceConfig({ training: { learning_rate: 1e-3 } })).toBe(false);
    // The fixture holds exactly the documented keys (plus undocumented ones rlaif has: model.name, training.output_dir).
    const documented = Object.keys(REFERENCE_KEYS).sort();
    expect(referenceKeys(raw).filter((key) => !['model.name', 'training.output_dir'].includes(key)).sort()).toEqual(documented);

    const translation = translateReferenceConfig(raw);
    const handled = [...translation.translated.keys(), ...translation.untranslated.map((u) => u.key)];
    expect(handled.filter((key) => !key.startsWith('data')).sort()).toEqual(referenceKeys(raw).sort());
    expect(translation.config).toMatchObject({
      model: { name: './tiny-model', maxLength: 512, quantization: '4bit' },
      training: { batchSize: 2, gradientAccumulationSteps: 16, saveSteps: 500, saveEveryEpochs: 1, saveEveryBatches: 0, saveTotalLimit: 3, outputDir: './runs/from-reference', datasetsDir: './datasets' },
      rlaif: { numSamplesPerPrompt: 2, klPenalty: 0.1, maxNewTokens: 64 },
      logging: { baselineEvalBatches: 1, healthCheck: { enabled: true, intervalBatches: 5 }, gpuUtilizationMode: 'memory_proxy' },
      sinks: ['@rlaif/sink-tensorboard', { use: '@rlaif/sink-jsonl', dir: './logs/json_summaries' }],
      huggingface: { repoId: 'mlx-community/code-rlaif', datasetRepoId: 'mlx-community/code-rlaif-dataset', private: false },
    });
    const reasons = new Map(translation.untranslated.map((u) => [u.key, u.reason]));
    for (const key of Object.keys(raw['hardware']!)) expect(reasons.get(`hardware.${key}`)?.length, key).toBeGreaterThan(40);
    expect(reasons.get('huggingface.hf_token_env')).toMatch(/HF_TOKEN/);
    for (const [key, reason] of reasons) expect(reason, key).not.toMatch(/not documented by the reference/);
  });

  it('names an undocumented key that rlaif does not have, and carries over one it has', () => {
    const translation = translateReferenceConfig({ training: { learning_rate: 2e-5, fancy_option: 1 }, hardware: {} });
    expect(translation.config).toEqual({ training: { learningRate: 2e-5 } });
    expect(translation.untranslated).toEqual([{ key: 'training.fancy_option', reason: expect.stringMatching(/^no rlaif key training\.fancyOption/) }]);
  });

  it('reports a bad value under the rlaif key with the line of the reference key it came from', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rlaif-reference-'));
    await writeFile(path.join(dir, 'config.yaml'), 'training:\n  epochs: 1\n  batch_size: -2\n');
    await expect(loadConfig({ cwd: dir, configPath: 'config.yaml' })).rejects.toThrow(/line 3/);
  });

  it('`rlaif run config.yaml --dry-run` works and prints the equivalent rlaif.config.ts once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rlaif-reference-'));
    await copyFile(FIXTURE, path.join(dir, 'config.yaml'));
    const tasks = ['add', 'sub', 'mul'].map((id) => JSON.stringify({ id, language: 'python', prompt: `Write ${id}(a, b).`, reference: `def ${id}(a, b):\n    return a\n` }));
    await writeFile(path.join(dir, 'train.jsonl'), `${tasks.join('\n')}\n`);
    // The reference's upload_to_hub carries over as huggingface.pushModel, which needs a token before the run (a dry run contacts no hub).
    const io = captureIO(dir, { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', GEMINI_API_KEY: '', GOOGLE_API_KEY: '', HF_TOKEN: 'hf_dryrun' });
    const code = await main(['run', 'config.yaml', '--dry-run'], io);
    const output = `${io.out()}\n${io.err()}`;
    expect(code, output).toBe(0);
    expect(output.match(/is in the reference system's config.yaml format/g)).toHaveLength(1);
    expect(output).toContain("export default defineConfig({");
    expect(output).toMatch(/hardware\.use_mlx_for_generation: the MLX backend/);
    expect(output).toMatch(/Samples:.*\(2 per prompt, ≤ 64 tokens each\)/);
  });
});
