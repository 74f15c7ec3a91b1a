/**
 * Checks that span several fields. Errors make the config invalid; warnings are settings that
 * work but probably do not do what the user wants. Each says how to fix it.
 */
import type * as z from 'zod';
import type { RlaifConfig } from './schema.js';
import { DEFAULT_EVAL_SPLIT } from './schema.js';
import { isHubRepoName } from '../hub/hub-repo.js';

/** A valid but suspicious setting, reported before the run starts. */
export interface ConfigWarning {
  /** Dotted key path, e.g. `training.warmupSteps`. */
  readonly keyPath: string;
  readonly message: string;
  /** What to change to silence it. */
  readonly hint: string;
}

const GROUP_ADVANTAGES = new Set(['grpo', 'rloo', 'dr_grpo']);

/**
 * Zod check over the whole config: one issue per invalid combination. It also runs when fields are
 * invalid (so all problems are reported at once), hence each rule skips keys that already failed.
 */
export function crossFieldErrors(payload: z.core.ParsePayload<RlaifConfig>): void {
  if (typeof payload.value !== 'object' || payload.value === null) return;
  const fieldIssues = [...payload.issues];
  // A section "failed" when an issue lies inside it; an unknown top-level key leaves the sections intact.
  const failed = (section: string): boolean =>
    fieldIssues.some((issue) => (issue.path?.length ? issue.path[0] === section : issue.code !== 'unrecognized_keys'));
  const add = (path: PropertyKey[], input: unknown, message: string): void => {
    payload.issues.push({ code: 'custom', path, input, message });
  };
  const { rlaif, huggingface, sinks, model } = payload.value;
  if (!failed('model') && model.finetuning === 'full' && model.quantization !== 'none') {
    add(
      ['model', 'quantization'],
      model.quantization,
      "quantised weights cannot be trained: full fine-tuning updates every weight; set model.quantization to 'none', or model.finetuning to 'lora' (QLoRA)",
    );
  }
  if (!failed('rlaif') && GROUP_ADVANTAGES.has(rlaif.advantage) && rlaif.numSamplesPerPrompt < 2) {
    add(
      ['rlaif', 'numSamplesPerPrompt'],
      rlaif.numSamplesPerPrompt,
      `advantage '${rlaif.advantage}' compares samples within a group, so it needs numSamplesPerPrompt ≥ 2; set rlaif.numSamplesPerPrompt to 2 or more, or rlaif.advantage to 'none'`,
    );
  }
  if (!failed('huggingface') && !failed('model')) {
    if (huggingface.pushModel !== false && huggingface.repoId === undefined) {
      add(['huggingface', 'repoId'], undefined, `huggingface.pushModel is '${huggingface.pushModel}' but there is no repository to push to; set huggingface.repoId to <user>/<name>`);
    }
    if (huggingface.pushEveryCheckpoint && huggingface.repoId === undefined) {
      add(['huggingface', 'repoId'], undefined, 'huggingface.pushEveryCheckpoint needs a repository; set huggingface.repoId to <user>/<name>');
    }
    if (huggingface.pushDataset && huggingface.datasetRepoId === undefined) {
      add(['huggingface', 'datasetRepoId'], undefined, 'huggingface.pushDataset is on but there is no dataset repository; set huggingface.datasetRepoId to <user>/<name>');
    }
    for (const key of ['repoId', 'datasetRepoId'] as const) {
      const value = huggingface[key];
      if (value !== undefined && !isHubRepoName(value)) {
        add(['huggingface', key], value, `'${value}' is not a hub repository name; use <user or organisation>/<name>, e.g. alice/qwen-coder-rlaif`);
      }
    }
    if (model.finetuning === 'full' && (huggingface.pushModel === 'adapter' || huggingface.pushEveryCheckpoint)) {
      add(
        ['huggingface', huggingface.pushModel === 'adapter' ? 'pushModel' : 'pushEveryCheckpoint'],
        huggingface.pushModel,
        "full fine-tuning trains no adapter; set huggingface.pushModel to 'merged' or 'gguf' (and huggingface.pushEveryCheckpoint to false), or model.finetuning to 'lora'",
      );
    }
  }
  if (!failed('sinks')) {
    const names = sinks.filter((s): s is string => typeof s === 'string');
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined) {
      add(['sinks', sinks.lastIndexOf(duplicate)], duplicate, `sink '${duplicate}' is listed twice and would write every metric twice; remove one of them`);
    }
  }
}

/** Warnings for a valid config; pass `totalSteps` (RL updates) and `sftSteps` once the dataset size is known. */
export function configWarnings(config: RlaifConfig, plan: { totalSteps?: number; sftSteps?: number } = {}): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const { rlaif, training, data } = config;
  if (plan.totalSteps !== undefined && training.warmupSteps > plan.totalSteps) {
    warnings.push({
      keyPath: 'training.warmupSteps',
      message: `warmupSteps (${training.warmupSteps}) exceeds the ${plan.totalSteps} optimiser updates of this run, so the learning rate never reaches its peak`,
      hint: `set training.warmupSteps below ${plan.totalSteps}, e.g. ${Math.floor(plan.totalSteps / 10)}`,
    });
  }
  if (training.sft.enabled && plan.sftSteps !== undefined && training.sft.warmupSteps > plan.sftSteps) {
    warnings.push({
      keyPath: 'training.sft.warmupSteps',
      message: `warmupSteps (${training.sft.warmupSteps}) exceeds the ${plan.sftSteps} steps of the SFT warm-up, so its learning rate never reaches its peak`,
      hint: `set training.sft.warmupSteps below ${plan.sftSteps}, e.g. ${Math.floor(plan.sftSteps / 10)}`,
    });
  }
  if (rlaif.temperature === 0 && rlaif.numSamplesPerPrompt > 1) {
    warnings.push({
      keyPath: 'rlaif.temperature',
      message: 'temperature 0 is greedy: every sample of a group is identical, so group advantages are all zero',
      hint: 'set rlaif.temperature above 0 (e.g. 0.8) or rlaif.numSamplesPerPrompt to 1 with advantage none',
    });
  }
  if (rlaif.dropZeroVarianceGroups && rlaif.advantage === 'none') {
    warnings.push({
      keyPath: 'rlaif.dropZeroVarianceGroups',
      message: "with advantage 'none' equal-reward groups still carry a gradient, and dropping them discards it",
      hint: "set rlaif.dropZeroVarianceGroups to false, or use a group advantage such as 'grpo'",
    });
  }
  if (data.evalFile !== undefined && data.evalSplit > 0 && data.evalSplit !== DEFAULT_EVAL_SPLIT) {
    warnings.push({
      keyPath: 'data.evalSplit',
      message: 'evalSplit is ignored because evalFile is set',
      hint: 'remove data.evalSplit or data.evalFile',
    });
  }
  if (rlaif.ppoEpochs > 1 && rlaif.clipRange === 0) {
    warnings.push({
      keyPath: 'rlaif.clipRange',
      message: 'ppoEpochs > 1 reuses rollouts but clipRange 0 freezes the ratio, so the extra passes do not learn',
      hint: 'set rlaif.clipRange to e.g. 0.2, or rlaif.ppoEpochs to 1',
    });
  }
  if (training.saveSteps === 0 && training.saveEveryEpochs === 0 && training.saveEveryBatches === 0) {
    warnings.push({
      keyPath: 'training.saveSteps',
      message: 'all periodic checkpoints are disabled: a crash loses the whole run (only the final checkpoint is saved)',
      hint: 'set training.saveEveryEpochs to 1 or training.saveSteps to e.g. 500',
    });
  }
  return warnings;
}
