import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/rlaif-error.js';
import { configWarnings } from './cross-checks.js';
import { defineConfig } from './define-config.js';
import { objectKeysAt, schemaAtPath } from './schema-path.js';
import { rlaifConfigObjectSchema } from './schema.js';
import { stepPlan, toLoraSpec, toModelSpec, toOptimizationSpec, toSamplingParams } from './specs.js';
import { ConfigValidationError, validateConfig } from './validate.js';

describe('config schema defaults', () => {
  it('fills every section from an empty config', () => {
    const config = validateConfig({});
    expect(config.model.name).toBe('Qwen/Qwen2.5-Coder-0.5B-Instruct');
    expect(config.model.lora).toEqual({ rank: 16, alpha: 32, dropout: 0.05, targetModules: [] });
    expect(config.backend).toBe('@rlaif/backend-mlx');
    expect(config.teacher).toBeUndefined();
    // Chosen from the data by prepareRun (defaultRewards).
    expect(config.rewards).toBeUndefined();
    expect(config.sinks).toEqual(['@rlaif/sink-tensorboard', '@rlaif/sink-jsonl']);
    expect(config.training.adamBetas).toEqual([0.9, 0.999]);
    expect(config.training.sft.enabled).toBe(false);
    expect(config.rlaif.advantage).toBe('grpo');
    expect(config.rlaif.klEstimator).toBe('k3');
    expect(config.logging.healthCheck).toEqual({ enabled: true, intervalBatches: 5, releaseCacheGrowthGB: 1, releaseCacheAboveGB: 4 });
    expect(config.huggingface.private).toBe(true);
  });

  it('keeps training.datasetsDir inside the run directory', () => {
    expect(validateConfig({ training: { datasetsDir: './collected' } }).training.datasetsDir).toBe('./collected');
    for (const dir of ['../elsewhere', '/abs/datasets', 'a/../../b']) {
      expect(() => validateConfig({ training: { datasetsDir: dir } }), dir).toThrow(/training\.datasetsDir.*inside the run directory/);
    }
  });

  it('keeps given values and fills the rest of the same section', () => {
    const config = validateConfig({ rlaif: { temperature: 0.3 }, model: { lora: { rank: 4 } } });
    expect(config.rlaif.temperature).toBe(0.3);
    expect(config.rlaif.topP).toBe(0.95);
    expect(config.model.lora.rank).toBe(4);
    expect(config.model.lora.alpha).toBe(32);
  });

  it('normalises bare reward refs to { fn, weight: 1 }', () => {
    const config = validateConfig({ rewards: ['difference', { use: './r.ts', scale: 2 }, { fn: 'pass_rate', weight: 0.5 }] });
    expect(config.rewards).toEqual([
      { fn: 'difference', weight: 1 },
      { fn: { use: './r.ts', scale: 2 }, weight: 1 },
      { fn: 'pass_rate', weight: 0.5 },
    ]);
  });

  it('accepts its own output again unchanged (overrides re-validate it)', () => {
    const once = validateConfig({ rewards: ['ratio'], teacher: { use: '@rlaif/teacher-openai', model: 'x' } });
    expect(validateConfig(once)).toEqual(once);
  });

  it('describes every field with one help line', () => {
    const undocumented: string[] = [];
    const visit = (path: string[]) => {
      for (const key of objectKeysAt(rlaifConfigObjectSchema, path)) {
        const description = schemaAtPath(rlaifConfigObjectSchema, [...path, key]).description;
        if (description === undefined || description.includes('\n')) undocumented.push([...path, key].join('.'));
        visit([...path, key]);
      }
    };
    visit([]);
    expect(undocumented).toEqual([]);
    expect(schemaAtPath(rlaifConfigObjectSchema, ['training', 'sft', 'learningRate']).description).toMatch(/warm-up/);
  });

  it('defineConfig returns its argument', () => {
    const input = { rlaif: { temperature: 0.1 } };
    expect(defineConfig(input)).toBe(input);
  });
});

describe('config value checks', () => {
  const issuesOf = (input: unknown) => {
    try {
      validateConfig(input, { file: '/p/rlaif.config.ts' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigValidationError).issues;
    }
    throw new Error('expected the config to be rejected');
  };

  it('rejects a negative temperature and topP outside (0, 1]', () => {
    const issues = issuesOf({ rlaif: { temperature: -1, topP: 0 } });
    expect(issues.map((i) => i.keyPath)).toEqual(['rlaif.temperature', 'rlaif.topP']);
    expect(issues[0]?.message).toBe('expected a number ≥ 0, got -1');
    expect(issues[1]?.message).toBe('expected a number > 0, got 0');
    expect(issues[0]?.help).toMatch(/temperature/);
  });

  it('needs at least 2 samples per prompt for group advantages, and says how to fix it', () => {
    for (const advantage of ['grpo', 'rloo', 'dr_grpo']) {
      const issues = issuesOf({ rlaif: { numSamplesPerPrompt: 1, advantage } });
      expect(issues).toHaveLength(1);
      expect(issues[0]?.keyPath).toBe('rlaif.numSamplesPerPrompt');
      expect(issues[0]?.message).toMatch(/≥ 2.*set rlaif\.numSamplesPerPrompt to 2 or more/);
    }
    expect(validateConfig({ rlaif: { numSamplesPerPrompt: 1, advantage: 'none' } }).rlaif.numSamplesPerPrompt).toBe(1);
  });

  it('checks hub uploads: a repository for each push, a valid name, no adapter from full fine-tuning', () => {
    expect(issuesOf({ huggingface: { pushModel: 'merged', pushDataset: true } }).map((i) => i.keyPath)).toEqual(['huggingface.repoId', 'huggingface.datasetRepoId']);
    expect(issuesOf({ huggingface: { pushModel: 'gguf', repoId: 'not a repo' } })[0]!.message).toMatch(/not a hub repository name; use <user or organisation>\/<name>/);
    expect(issuesOf({ model: { finetuning: 'full' }, huggingface: { pushModel: 'adapter', repoId: 'me/model' } })[0]!.keyPath).toBe('huggingface.pushModel');
    expect(validateConfig({ huggingface: { pushModel: 'merged', pushDataset: true, repoId: 'me/model', datasetRepoId: 'me/data' } }).huggingface.pushModel).toBe('merged');
    // The reference system's boolean means the adapter.
    expect(validateConfig({ huggingface: { pushModel: true, repoId: 'me/model' } }).huggingface.pushModel).toBe('adapter');
    expect(issuesOf({ huggingface: { pushModel: 'lora', repoId: 'me/model' } })[0]!.keyPath).toBe('huggingface.pushModel');
  });

  it('reports field errors without crashing the cross-field rules, and no duplicate issue per key', () => {
    const issues = issuesOf({ rlaif: null, sinks: 'x', huggingface: 5, training: { epochs: 0 } });
    expect(issues.map((i) => i.keyPath).sort()).toEqual(['huggingface', 'rlaif', 'sinks', 'training.epochs']);
    expect(issuesOf({ rlaif: { numSamplesPerPrompt: 0 } }).map((i) => i.message)).toEqual(['expected a number ≥ 1, got 0']);
  });

  it('rejects a config that is not an object, and still checks combinations next to an unknown key', () => {
    expect(issuesOf('rlaif')).toEqual([expect.objectContaining({ keyPath: '(root)', message: 'expected an object, got "rlaif"' })]);
    expect(issuesOf([1]).map((i) => i.message)).toEqual(['expected an object, got [1]']);
    expect(issuesOf({ hardware: {}, rlaif: { numSamplesPerPrompt: 1 } }).map((i) => i.keyPath)).toEqual(['hardware', 'rlaif.numSamplesPerPrompt']);
  });

  it('rejects a sink listed twice', () => {
    const issues = issuesOf({ sinks: ['@rlaif/sink-jsonl', '@rlaif/sink-jsonl'] });
    expect(issues[0]?.keyPath).toBe('sinks[1]');
  });

  it('rejects a reward entry whose fn is not a plugin ref', () => {
    const issues = issuesOf({ rewards: [{ fn: 42 }] });
    expect(issues[0]?.keyPath).toBe('rewards[0].fn');
    expect(issues[0]?.message).toMatch(/expected a plugin object.*got 42/);
  });
});

describe('config warnings', () => {
  it('warns (not errors) when warmup is longer than the run', () => {
    const config = validateConfig({ training: { warmupSteps: 100 } });
    const warnings = configWarnings(config, { totalSteps: 30 });
    expect(warnings.map((w) => w.keyPath)).toContain('training.warmupSteps');
    expect(configWarnings(config, { totalSteps: 300 }).map((w) => w.keyPath)).not.toContain('training.warmupSteps');
  });

  it("warns when the SFT warm-up's own warmup is longer than the warm-up, only with SFT enabled", () => {
    const config = validateConfig({ training: { sft: { enabled: true, warmupSteps: 50, schedule: 'cosine' } } });
    expect(configWarnings(config, { sftSteps: 40 }).map((w) => w.keyPath)).toContain('training.sft.warmupSteps');
    expect(configWarnings(config, { sftSteps: 150 }).map((w) => w.keyPath)).not.toContain('training.sft.warmupSteps');
    const disabled = validateConfig({ training: { sft: { enabled: false, warmupSteps: 50 } } });
    expect(configWarnings(disabled, { sftSteps: 40 }).map((w) => w.keyPath)).not.toContain('training.sft.warmupSteps');
  });

  it('warns about greedy sampling with groups and an ignored evalSplit', () => {
    const warnings = configWarnings(validateConfig({ rlaif: { temperature: 0 }, data: { evalFile: 'e.jsonl', evalSplit: 0.2 } }));
    expect(warnings.map((w) => w.keyPath).sort()).toEqual(['data.evalSplit', 'rlaif.temperature']);
    // The default split is not the user's doing: no warning for it.
    expect(configWarnings(validateConfig({ data: { evalFile: 'e.jsonl' } })).map((w) => w.keyPath)).not.toContain('data.evalSplit');
    expect(warnings.every((w) => w.hint.length > 0)).toBe(true);
  });

  it('has no warnings for the defaults', () => {
    expect(configWarnings(validateConfig({}), { totalSteps: 100 })).toEqual([]);
  });
});

describe('mapping to contract specs', () => {
  const config = validateConfig({
    model: { name: 'm', quantization: '4bit', dtype: 'float16', lora: { rank: 8, targetModules: ['q_proj'] } },
    training: { learningRate: 2e-5, batchSize: 3, epochs: 2, gradientAccumulationSteps: 2, microBatchSize: 5 },
    rlaif: { temperature: 0.7, stop: ['```'], klPenalty: 0, klEstimator: 'k1', aggregation: 'sequence' },
  });

  it('maps model and lora', () => {
    expect(toModelSpec(config)).toEqual({
      nameOrPath: 'm',
      revision: 'main',
      dtype: 'float16',
      quantizeBits: 4,
      chatTemplate: true,
      systemPrompt: config.model.systemPrompt,
    });
    expect(toLoraSpec(config)).toEqual({ rank: 8, alpha: 32, dropout: 0.05, targetModules: ['q_proj'] });
  });

  it('maps full fine-tuning to no LoRA spec, and refuses it on quantised weights', () => {
    expect(toLoraSpec(validateConfig({ model: { finetuning: 'full' } }))).toBeUndefined();
    expect(() => validateConfig({ model: { finetuning: 'full', quantization: '8bit' } })).toThrow(/model\.quantization[\s\S]*full fine-tuning updates every weight/);
    expect(() => validateConfig({ model: { finetuning: 'partial' } })).toThrow(/model\.finetuning/);
  });

  it('maps optimisation and sampling', () => {
    const opt = toOptimizationSpec(config, 17);
    expect(opt).toMatchObject({ learningRate: 2e-5, totalSteps: 17, klPenalty: 0, klEstimator: 'k1', aggregation: 'sequence', microBatchSize: 5 });
    expect(opt.adamBetas).toEqual([0.9, 0.999]);
    expect(toSamplingParams(config)).toEqual({ temperature: 0.7, topP: 0.95, topK: 0, minP: 0, maxNewTokens: 512, stop: ['```'], seed: 42 });
    expect(toSamplingParams(config, 7).seed).toBe(7);
  });

  it('turns truncated importance sampling on by default only when another engine samples', () => {
    expect(toOptimizationSpec(validateConfig({}), 1).importanceSamplingCap).toBe(0);
    expect(toOptimizationSpec(validateConfig({ generator: '@rlaif/generator-llamacpp' }), 1).importanceSamplingCap).toBe(2);
    expect(toOptimizationSpec(validateConfig({ generator: '@rlaif/generator-llamacpp', rlaif: { importanceSamplingCap: 0 } }), 1).importanceSamplingCap).toBe(0);
    expect(toOptimizationSpec(validateConfig({ rlaif: { importanceSamplingCap: 5 } }), 1).importanceSamplingCap).toBe(5);
  });

  it('plans optimiser steps from the task count', () => {
    // 10 tasks / batch 3 = 4 batches per epoch, 2 epochs = 8 batches, accumulation 2 = 4 updates.
    expect(stepPlan(config, 10).policyUpdates).toBe(4);
    expect(stepPlan(validateConfig({ training: { batchSize: 2, epochs: 3, maxBatchesPerEpoch: 2 } }), 10).policyUpdates).toBe(6);
    // 4 batches per epoch accumulating 3: each epoch closes an update after batch 3 and at its end (not ceil(8 / 3) = 3).
    expect(stepPlan(validateConfig({ training: { batchSize: 3, epochs: 2, gradientAccumulationSteps: 3 } }), 12).policyUpdates).toBe(4);
  });
});
