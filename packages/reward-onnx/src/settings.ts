/** The options of `onnxReward`, their defaults, and the one check that turns user input into them. */
import { ConfigError, nearestKey } from '@rlaif/core';

/** What the reward model reads: the prompt (chat-templated when the model has a template) plus the completion, or the completion alone. */
export type RewardInputText = 'prompt+completion' | 'completion';

/** Where tokens are cut from a text longer than `maxLength`; `error` refuses such a text. */
export type TruncationSide = 'left' | 'right' | 'error';

/** How a row of the model's output becomes a reward. */
export type RewardScore = 'logit' | 'probability';

/** Options of `onnxReward`. */
export interface OnnxRewardSettings {
  /** Local folder (relative to the config file in JSON/YAML configs) or hub id holding model.onnx or onnx/model.onnx, tokenizer.json and config.json. */
  readonly model: string;
  /** Hub revision when `model` is a hub id; default `main`. */
  readonly revision?: string;
  /** Name in metrics and datasets; default `onnx_reward`. */
  readonly name?: string;
  /** Texts per inference call; default 8. */
  readonly batchSize?: number;
  /** Tokens per text at most, special tokens included; default config.json's max_position_embeddings. */
  readonly maxLength?: number;
  /** Which end of a too-long text is cut; default `left` (the completion's end is what the reward is about). */
  readonly truncation?: TruncationSide;
  /** `prompt+completion` (default) or `completion` only. */
  readonly input?: RewardInputText;
  /** ONNX output holding the scores, shape [batch, labels]; default `logits`. */
  readonly output?: string;
  /** Label index, or a label name from config.json's id2label; default the last label (the only one of a 1-label reward head). */
  readonly label?: number | string;
  /** `logit` (default): the raw score; `probability`: softmax over the labels (sigmoid for one label). */
  readonly score?: RewardScore;
  /** Normalise by the running mean and std of every score seen so far (makes the function stateful); default false. */
  readonly normalize?: boolean;
  /** Intra-op threads of ONNX Runtime; default its own choice (all cores). */
  readonly threads?: number;
  /** ONNX Runtime execution providers in order of preference; default `['cpu']` (CUDA needs the user's own onnxruntime-node GPU install). */
  readonly executionProviders?: readonly string[];
}

/** The settings with defaults filled in (maxLength stays open until config.json is read). */
export interface ResolvedSettings {
  readonly model: string;
  readonly revision: string;
  readonly name: string;
  readonly batchSize: number;
  readonly maxLength: number | undefined;
  readonly truncation: TruncationSide;
  readonly input: RewardInputText;
  readonly output: string;
  readonly label: number | string | undefined;
  readonly score: RewardScore;
  readonly normalize: boolean;
  readonly threads: number | undefined;
  readonly executionProviders: readonly string[];
  /** Where the options sit, for messages (`rewards[1].fn`, or `onnxReward` when called from code). */
  readonly keyPath: string;
}

const KEYS = ['model', 'revision', 'name', 'batchSize', 'maxLength', 'truncation', 'input', 'output', 'label', 'score', 'normalize', 'threads', 'executionProviders'] as const;

/** Checks the user's options once, before anything is loaded; a bad one is a ConfigError naming the key. */
export function resolveSettings(options: Readonly<Record<string, unknown>>, keyPath: string): ResolvedSettings {
  const fail = (key: string, message: string, hint: string): never => {
    throw new ConfigError(message, `${keyPath}.${key}`, undefined, { hint });
  };
  for (const key of Object.keys(options)) {
    if ((KEYS as readonly string[]).includes(key)) continue;
    const near = nearestKey(key, KEYS);
    fail(key, 'unknown option of @rlaif/reward-onnx', near ? `did you mean '${near}'?` : `the options are ${KEYS.join(', ')}`);
  }
  const text = (key: string, fallback?: string): string => {
    const value = options[key] ?? fallback;
    if (typeof value !== 'string' || value.trim() === '') return fail(key, `expected a non-empty string, got ${JSON.stringify(value)}`, hintOf(key));
    return value;
  };
  const choice = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = options[key] ?? fallback;
    if (!allowed.includes(value as T)) return fail(key, `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`, hintOf(key));
    return value as T;
  };
  const positiveInteger = (key: string): number | undefined => {
    const value = options[key];
    if (value === undefined) return undefined;
    if (!Number.isSafeInteger(value) || (value as number) <= 0) return fail(key, `expected a positive integer, got ${JSON.stringify(value)}`, hintOf(key));
    return value as number;
  };
  const label = options['label'];
  if (label !== undefined && !(typeof label === 'string' && label !== '') && !(Number.isSafeInteger(label) && (label as number) >= 0)) {
    fail('label', `expected a label index (0, 1, …) or a label name, got ${JSON.stringify(label)}`, hintOf('label'));
  }
  const normalize = options['normalize'] ?? false;
  if (typeof normalize !== 'boolean') fail('normalize', `expected true or false, got ${JSON.stringify(normalize)}`, hintOf('normalize'));
  const providers = options['executionProviders'] ?? ['cpu'];
  if (!Array.isArray(providers) || providers.length === 0 || !providers.every((p) => typeof p === 'string' && p !== '')) {
    fail('executionProviders', `expected a non-empty list of provider names, got ${JSON.stringify(providers)}`, hintOf('executionProviders'));
  }
  return {
    model: text('model'),
    revision: text('revision', 'main'),
    name: text('name', 'onnx_reward'),
    batchSize: positiveInteger('batchSize') ?? 8,
    maxLength: positiveInteger('maxLength'),
    truncation: choice('truncation', ['left', 'right', 'error'], 'left'),
    input: choice('input', ['prompt+completion', 'completion'], 'prompt+completion'),
    output: text('output', 'logits'),
    label: label as number | string | undefined,
    score: choice('score', ['logit', 'probability'], 'logit'),
    normalize: normalize as boolean,
    threads: positiveInteger('threads'),
    executionProviders: providers as string[],
    keyPath,
  };
}

function hintOf(key: string): string {
  const hints: Record<string, string> = {
    model: "give the folder of an exported reward model (model.onnx or onnx/model.onnx, tokenizer.json, config.json), e.g. model: './rm', or a hub id",
    revision: 'a branch, tag or commit of the hub repository, e.g. main',
    name: 'a short name for metrics, e.g. quality_rm',
    batchSize: 'e.g. batchSize: 8',
    maxLength: "e.g. maxLength: 512; at most the model's max_position_embeddings",
    truncation: "left keeps the end of the completion, right keeps the start, error refuses too-long texts",
    input: "'prompt+completion' scores the pair, 'completion' the completion alone",
    output: 'the name of an output of the ONNX graph, usually logits',
    label: "e.g. label: 1, or a name from config.json's id2label",
    score: "'logit' for the raw score, 'probability' for softmax (sigmoid with one label)",
    normalize: 'true normalises by the running mean and std',
    threads: 'e.g. threads: 2',
    executionProviders: "e.g. ['cpu'], or ['cuda', 'cpu'] with a CUDA build of onnxruntime-node",
  };
  return hints[key] ?? '';
}
