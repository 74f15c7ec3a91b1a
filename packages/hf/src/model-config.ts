import { join } from 'node:path';
import { DataError } from '@rlaif/core';
import { readJsonObject, type JsonObject } from './json-file.js';

/** Llama 3 style RoPE frequency scaling (`rope_scaling` with `rope_type: 'llama3'`). */
export interface Llama3RopeScaling {
  readonly ropeType: 'llama3';
  readonly factor: number;
  readonly lowFreqFactor: number;
  readonly highFreqFactor: number;
  readonly originalMaxPositionEmbeddings: number;
}

/** Linear position interpolation (`rope_type: 'linear'`): positions are divided by `factor`. */
export interface LinearRopeScaling {
  readonly ropeType: 'linear';
  readonly factor: number;
}

/** The RoPE scalings rlaif implements; `null` in config.json means none. */
export type RopeScaling = Llama3RopeScaling | LinearRopeScaling;

/** The fields of a decoder-only transformer's config.json that rlaif uses, with HF defaults filled in. */
export interface ModelConfig {
  /** Absolute path of the config.json this was read from. */
  readonly file: string;
  /** Architecture name as written in config.json (`qwen2`, `llama`, …). */
  readonly modelType: string;
  readonly hiddenSize: number;
  readonly numHiddenLayers: number;
  readonly numAttentionHeads: number;
  /** Key/value heads for grouped-query attention; equals numAttentionHeads when absent. */
  readonly numKeyValueHeads: number;
  readonly intermediateSize: number;
  readonly rmsNormEps: number;
  readonly ropeTheta: number;
  readonly ropeScaling: RopeScaling | null;
  readonly vocabSize: number;
  readonly tieWordEmbeddings: boolean;
  readonly maxPositionEmbeddings: number;
  /** Bias on q/k/v/o projections (Llama `attention_bias`); Qwen2 always has q/k/v bias. */
  readonly attentionBias: boolean;
  /** Bias on the MLP projections (Llama `mlp_bias`). */
  readonly mlpBias: boolean;
  /** Per-head dimension; hiddenSize / numAttentionHeads when absent. */
  readonly headDim: number;
  readonly bosTokenId: number | null;
  /** End-of-sequence ids; config.json may hold one id or a list. */
  readonly eosTokenIds: readonly number[];
  /** Activation of the MLP (`hidden_act`); rlaif implements `silu`. */
  readonly hiddenAct: string;
  /** Storage dtype the checkpoint declares (`torch_dtype`), if any. */
  readonly torchDtype: string | null;
  /** The raw JSON, for architecture-specific keys. */
  readonly raw: Readonly<JsonObject>;
}

/** Reads and checks `config.json` in a model folder; bad or missing keys are DataErrors naming the key. */
export async function readModelConfig(dir: string): Promise<ModelConfig> {
  const file = join(dir, 'config.json');
  const raw = await readJsonObject(file);
  return parseModelConfig(raw, file);
}

/** Checks an already parsed config.json object (see `readModelConfig`). */
export function parseModelConfig(raw: JsonObject, file: string): ModelConfig {
  const fields = new ConfigFields(raw, file);
  const hiddenSize = fields.positiveInt('hidden_size');
  const numAttentionHeads = fields.positiveInt('num_attention_heads');
  const numKeyValueHeads = fields.positiveInt('num_key_value_heads', numAttentionHeads);
  if (numAttentionHeads % numKeyValueHeads !== 0) {
    throw fields.error('num_key_value_heads', `${numKeyValueHeads} does not divide num_attention_heads (${numAttentionHeads})`);
  }
  const headDim = fields.positiveInt('head_dim', Math.floor(hiddenSize / numAttentionHeads));
  if (raw['head_dim'] === undefined && hiddenSize % numAttentionHeads !== 0) {
    throw fields.error('hidden_size', `${hiddenSize} is not a multiple of num_attention_heads (${numAttentionHeads}) and head_dim is not set`);
  }
  return {
    file,
    modelType: fields.string('model_type'),
    hiddenSize,
    numHiddenLayers: fields.positiveInt('num_hidden_layers'),
    numAttentionHeads,
    numKeyValueHeads,
    intermediateSize: fields.positiveInt('intermediate_size'),
    rmsNormEps: fields.positiveNumber('rms_norm_eps', 1e-6),
    ...parseRope(fields),
    vocabSize: fields.positiveInt('vocab_size'),
    tieWordEmbeddings: fields.boolean('tie_word_embeddings', false),
    maxPositionEmbeddings: fields.positiveInt('max_position_embeddings', 2048),
    attentionBias: fields.boolean('attention_bias', false),
    mlpBias: fields.boolean('mlp_bias', false),
    headDim,
    bosTokenId: fields.optionalTokenIds('bos_token_id')[0] ?? null,
    eosTokenIds: fields.optionalTokenIds('eos_token_id'),
    hiddenAct: typeof raw['hidden_act'] === 'string' ? raw['hidden_act'] : 'silu',
    torchDtype: stringOrNull(raw['torch_dtype']) ?? stringOrNull(raw['dtype']),
    raw,
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

// transformers ≥ 5 writes `rope_parameters` {rope_type, rope_theta, …}; older files `rope_theta` + `rope_scaling`.
function parseRope(fields: ConfigFields): { ropeTheta: number; ropeScaling: RopeScaling | null } {
  const parameters = fields.raw['rope_parameters'];
  if (parameters !== undefined && parameters !== null) {
    const nested = fields.nested('rope_parameters');
    return { ropeTheta: nested.positiveNumber('rope_theta', fields.positiveNumber('rope_theta', 10000)), ropeScaling: parseRopeScaling(nested, true) };
  }
  const scaling = fields.raw['rope_scaling'];
  return {
    ropeTheta: fields.positiveNumber('rope_theta', 10000),
    ropeScaling: scaling === undefined || scaling === null ? null : parseRopeScaling(fields.nested('rope_scaling'), false),
  };
}

function parseRopeScaling(scaling: ConfigFields, missingTypeIsDefault: boolean): RopeScaling | null {
  // Older checkpoints spell the key `type`.
  const type = scaling.raw['rope_type'] ?? scaling.raw['type'];
  if (type === 'llama3') {
    return {
      ropeType: 'llama3',
      factor: scaling.positiveNumber('factor'),
      lowFreqFactor: scaling.positiveNumber('low_freq_factor'),
      highFreqFactor: scaling.positiveNumber('high_freq_factor'),
      originalMaxPositionEmbeddings: scaling.positiveInt('original_max_position_embeddings'),
    };
  }
  if (type === 'linear') return { ropeType: 'linear', factor: scaling.positiveNumber('factor') };
  if (type === 'default' || (type === undefined && missingTypeIsDefault)) return null;
  throw scaling.error('rope_type', `unsupported RoPE scaling ${JSON.stringify(type)}`, "supported: 'llama3', 'linear', 'default' or null");
}

// Typed access to config keys; every failure names the file and the key.
class ConfigFields {
  constructor(
    readonly raw: JsonObject,
    readonly file: string,
    private readonly prefix = '',
  ) {}

  error(key: string, message: string, hint?: string): DataError {
    const keyPath = key.startsWith(this.prefix) ? key : `${this.prefix}${key}`;
    return new DataError(`${keyPath}: ${message}`, this.file, undefined, {
      hint: hint ?? `set "${keyPath}" in ${this.file} to a valid value (see the model card)`,
    });
  }

  /** The fields of an object-valued key, with errors naming `key.subkey`. */
  nested(key: string): ConfigFields {
    const value = this.raw[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.error(key, 'expected an object or null');
    return new ConfigFields(value as JsonObject, this.file, `${this.prefix}${key}.`);
  }

  string(key: string): string {
    const value = this.raw[key];
    if (typeof value !== 'string' || value === '') throw this.error(key, `expected a non-empty string, got ${JSON.stringify(value)}`);
    return value;
  }

  positiveNumber(key: string, fallback?: number): number {
    const value = this.raw[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw this.error(key, value === undefined ? 'missing required key' : `expected a positive number, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  positiveInt(key: string, fallback?: number): number {
    const value = this.positiveNumber(key, fallback);
    if (!Number.isInteger(value)) throw this.error(key, `expected an integer, got ${value}`);
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.raw[key] ?? fallback;
    if (typeof value !== 'boolean') throw this.error(key, `expected true or false, got ${JSON.stringify(value)}`);
    return value;
  }

  optionalTokenIds(key: string): number[] {
    return parseTokenIds(this.raw[key], (message) => this.error(key, message));
  }
}

/** Normalises a token id field that may be null, one id, or a list of ids. */
export function parseTokenIds(value: unknown, fail: (message: string) => Error): number[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  for (const id of list) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw fail(`expected a token id or a list of ids, got ${JSON.stringify(value)}`);
  }
  return list as number[];
}
