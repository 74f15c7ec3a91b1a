/**
 * Checks that span several fields. Errors make the config invalid; warnings are settings that
 * work but probably do not do what the user wants. Each says how to fix it.
 */
import type * as z from 'zod';
import type { RlaifConfig } from './schema.js';
import { DEFAULT_EVAL_SPLIT } from './schema.js';

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
  // Uploading is not built yet: refuse rather than silently skip what the user asked for.
  if (!failed('huggingface') && huggingface.pushModel) {
    add(
      ['huggingface', 'pushModel'],
      true,
      'uploading to the Hugging Face hub is not available in this version of rlaif; set huggingface.pushModel to false and upload checkpoints/checkpoint-final-*/ (PEFT layout) with `huggingface-cli upload <repo> <dir>`',
    );
  }
  if (!failed('huggingface') && huggingface.pushDataset) {
    add(
      ['huggingface', 'pushDataset'],
      true,
      'uploading to the Hugging Face hub is not available in this version of rlaif; set huggingface.pushDataset to false and upload datasets/ (with its README.md dataset card) with `huggingface-cli upload --repo-type dataset <repo> <dir>`',
    );
  }
  if (!failed('sinks')) {
    const names = sinks.filter((s): s is string => typeof s === 'string');
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined) {
      add(['sinks', sinks.lastIndexOf(duplicate)], duplicate, `sink '${duplicate}' is listed twice and would write every metric twice; remove one of them`);
    }
  }
}

/** Warnings for a valid config; pass `totalSteps` once the dataset size is known. */
export function configWarnings(config: RlaifConfig, plan: { totalSteps?: number } = {}): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const { rlaif, training, data, huggingface } = config;
  if (plan.totalSteps !== undefined && training.warmupSteps > plan.totalSteps) {
    warnings.push({
      keyPath: 'training.warmupSteps',
      message: `warmupSteps (${training.warmupSteps}) exceeds the ${plan.totalSteps} optimiser updates of this run, so the learning rate never reaches its peak`,
      hint: `set training.warmupSteps below ${plan.totalSteps}, e.g. ${Math.floor(plan.totalSteps / 10)}`,
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
  // Kept so a reference system's config.yaml loads; until uploads land, say how to upload by hand.
  const visibility = huggingface.private ? ' --private' : '';
  if (huggingface.repoId !== undefined) {
    warnings.push({
      keyPath: 'huggingface.repoId',
      message: 'this version of rlaif does not upload to the Hugging Face hub; huggingface.repoId is only used in this hint',
      hint: `after the run: huggingface-cli upload ${huggingface.repoId} <outputDir>/checkpoints/checkpoint-final-gs<N>${visibility}`,
    });
  }
  if (huggingface.datasetRepoId !== undefined) {
    warnings.push({
      keyPath: 'huggingface.datasetRepoId',
      message: 'this version of rlaif does not upload to the Hugging Face hub; huggingface.datasetRepoId is only used in this hint',
      hint: `after the run: huggingface-cli upload --repo-type dataset ${huggingface.datasetRepoId} <outputDir>/datasets${visibility}`,
    });
  }
  return warnings;
}
