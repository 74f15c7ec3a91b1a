/**
 * `onnxReward({ model })`: a RewardFn that scores each rollout with a learned reward model exported to
 * ONNX, run in-process by onnxruntime-node. Tokenises prompt + completion with the model's own tokenizer
 * (the prompt through its chat template when it has one), runs batched inference and returns the chosen
 * label's logit or probability.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isExplicitRelativePath, type PluginFactoryContext, type RewardFn } from '@rlaif/core';
import { resolveModel } from '@rlaif/hf';
import { encodeForReward, rewardText } from './encode.js';
import { findModelFiles, type ModelFiles } from './model-folder.js';
import { RewardModel } from './reward-model.js';
import { RunningStats } from './running-stats.js';
import { scoreOf } from './scores.js';
import { resolveSettings, type OnnxRewardSettings } from './settings.js';

/** The reward function plus control of its model's lifetime. */
export interface OnnxRewardFn extends RewardFn {
  /** Loads the model now (otherwise the first `compute` does); resolves to it. */
  ready(): Promise<RewardModel>;
  /** Frees the ONNX Runtime session; a later `compute` loads the model again. */
  release(): Promise<void>;
}

/**
 * A learned reward model as a RewardFn. A local folder is checked at once; a hub id is fetched into the
 * Hugging Face cache on first use.
 * @example rewards: [{ fn: 'pass_rate', weight: 0.7 }, { fn: onnxReward({ model: './rm' }), weight: 0.3 }]
 */
export function onnxReward(options: OnnxRewardSettings, context?: PluginFactoryContext): OnnxRewardFn {
  const settings = resolveSettings(options as unknown as Readonly<Record<string, unknown>>, context?.keyPath ?? 'onnxReward');
  const files = locateModel(settings.model, settings.revision, context?.baseDir ?? process.cwd());
  const stats = new RunningStats();
  let loading: Promise<RewardModel> | undefined;
  const ready = (): Promise<RewardModel> => (loading ??= files().then((found) => RewardModel.load(found, settings)));

  return {
    specificationVersion: 'v1',
    kind: 'reward',
    name: settings.name,
    ready,
    async release() {
      const model = loading;
      loading = undefined;
      await (await model?.catch(() => undefined))?.release();
    },
    async compute(batch, { logMetric }) {
      if (batch.length === 0) return [];
      const model = await ready();
      const started = performance.now();
      const encoded = batch.map(({ rollout }) => {
        const { text, templated } = rewardText(model.tokenizer, rollout.task.prompt, rollout.text, settings.input);
        return encodeForReward(model.tokenizer, text, { maxLength: model.maxLength, truncation: settings.truncation, addSpecialTokens: !templated, keyPath: settings.keyPath });
      });
      const { outputs, calls } = await model.run(encoded.map((e) => e.ids));
      const milliseconds = performance.now() - started;
      logMetric(`${settings.name}/SamplesPerSec`, (batch.length * 1000) / Math.max(milliseconds, 1e-3));
      logMetric(`${settings.name}/LatencyMs`, milliseconds / calls);
      logMetric(`${settings.name}/TruncatedFraction`, encoded.filter((e) => e.truncated).length / batch.length);
      const scores = outputs.map((row) => scoreOf(row, model.labelIndex, settings.score));
      if (!settings.normalize) return scores;
      stats.push(scores);
      return scores.map((score) => stats.normalize(score));
    },
  };
}

// A local folder is checked now, so a bad path fails before the run starts; a hub id is resolved on first use.
function locateModel(model: string, revision: string, baseDir: string): () => Promise<ModelFiles> {
  const local = resolve(baseDir, model);
  if (isExplicitRelativePath(model) || isAbsolute(model) || existsSync(local)) {
    const files = findModelFiles(local);
    return () => Promise.resolve(files);
  }
  return async () => findModelFiles(await resolveModel(model, { revision, include: isOnnxModelFile, checkSnapshot: async (folder) => findModelFiles(folder) }));
}

/** The hub files an ONNX reward model needs: configs, tokenizer files, templates and the graph (with external data), not other weights. */
export function isOnnxModelFile(path: string): boolean {
  if (/^(onnx\/)?model\.onnx(_data|\.data)?$/.test(path)) return true;
  return /^(onnx\/)?[^/]+\.(json|jinja|txt|model)$/.test(path);
}
