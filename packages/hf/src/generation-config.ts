import { join } from 'node:path';
import { DataError } from '@rlaif/core';
import { readOptionalJsonObject } from './json-file.js';
import { parseTokenIds } from './model-config.js';

/** The parts of `generation_config.json` that matter for sampling; absent keys are undefined. */
export interface GenerationConfig {
  /** End-of-sequence ids; the file may hold one id or a list. Empty when absent. */
  readonly eosTokenIds: readonly number[];
  readonly bosTokenId: number | undefined;
  readonly padTokenId: number | undefined;
  readonly temperature: number | undefined;
  readonly topP: number | undefined;
  readonly topK: number | undefined;
  readonly maxNewTokens: number | undefined;
  readonly doSample: boolean | undefined;
}

/** Reads `generation_config.json` from a model folder; a missing file gives an empty config. */
export async function readGenerationConfig(dir: string): Promise<GenerationConfig> {
  const file = join(dir, 'generation_config.json');
  const raw = (await readOptionalJsonObject(file)) ?? {};
  const fail = (key: string) => (message: string) =>
    new DataError(`${key}: ${message}`, file, undefined, { hint: `fix or remove "${key}" in ${file}` });
  const number = (key: string): number | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw fail(key)(`expected a number, got ${JSON.stringify(value)}`);
    return value;
  };
  const doSample = raw['do_sample'];
  return {
    eosTokenIds: parseTokenIds(raw['eos_token_id'], fail('eos_token_id')),
    bosTokenId: parseTokenIds(raw['bos_token_id'], fail('bos_token_id'))[0],
    padTokenId: parseTokenIds(raw['pad_token_id'], fail('pad_token_id'))[0],
    temperature: number('temperature'),
    topP: number('top_p'),
    topK: number('top_k'),
    maxNewTokens: number('max_new_tokens'),
    doSample: typeof doSample === 'boolean' ? doSample : undefined,
  };
}
