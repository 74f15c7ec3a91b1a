import { dirname } from 'node:path';
import { DataError } from '@rlaif/core';
import type { ModelConfig } from './model-config.js';
import type { SafetensorsHeader } from './safetensors-header.js';

/** Tensor name (HF layout) → the shape an architecture built from config.json needs; supplied by the backend's model. */
export type ExpectedTensors = ReadonlyMap<string, readonly number[]>;

// Tensors HF checkpoints may carry that are not parameters of the model: RoPE's cached inverse frequencies.
const IGNORED_TENSORS = /(^|\.)rotary_emb\.inv_freq$/;
const EMBEDDING = 'model.embed_tokens.weight';
const HEAD = 'lm_head.weight';

/**
 * The documented ignore list: `*.rotary_emb.inv_freq`, and `lm_head.weight` when config.json ties the
 * embeddings (some tied checkpoints still store a copy of the embedding there; the model reads the embedding).
 */
export function isIgnoredTensor(name: string, config: Pick<ModelConfig, 'tieWordEmbeddings'>): boolean {
  return IGNORED_TENSORS.test(name) || (config.tieWordEmbeddings && name === HEAD);
}

/**
 * Checks the checkpoint's headers against the architecture before any tensor is read: every expected
 * tensor is present once with the shape config.json implies, and nothing else is (see `isIgnoredTensor`).
 * Failures are DataErrors naming the file, the tensor, expected and found, and what to do.
 */
export function checkCheckpointTensors(headers: readonly SafetensorsHeader[], expected: ExpectedTensors, config: ModelConfig): void {
  const found = new Map<string, { file: string; shape: readonly number[] }>();
  for (const header of headers) {
    for (const [name, entry] of header.tensors) {
      const earlier = found.get(name);
      if (earlier) throw new DataError(`tensor ${name} is stored twice (also in ${earlier.file})`, header.file, undefined, { hint: redownload });
      found.set(name, { file: header.file, shape: entry.shape });
    }
  }
  const mismatches = [...expected].filter(([name, shape]) => found.has(name) && !sameShape(found.get(name)!.shape, shape));
  const first = mismatches[0];
  if (first) {
    const [name, shape] = first;
    const others = mismatches.length > 1 ? ` (and ${mismatches.length - 1} more tensors of the wrong shape)` : '';
    throw new DataError(`tensor ${name}: config.json implies shape ${fmt(shape)}, the file has ${fmt(found.get(name)!.shape)}${others}`, found.get(name)!.file, undefined, {
      hint: `${config.file} does not describe these weights: use the config.json of the same model and revision, or download the model again`,
    });
  }
  const missing = [...expected.keys()].filter((name) => !found.has(name));
  if (missing.length > 0) {
    const untiedHead = missing.includes(HEAD) && !config.tieWordEmbeddings;
    throw new DataError(`missing ${missing.length} tensor(s) the ${config.modelType} architecture needs: ${list(missing)}`, headers[0]?.file ?? dirname(config.file), undefined, {
      hint: untiedHead
        ? `config.json says tie_word_embeddings: false but there is no ${HEAD}; if the model ties its embeddings set "tie_word_embeddings": true in ${config.file}, otherwise download the model again`
        : `the download is incomplete or belongs to another model: download it again (check the revision) or fix num_hidden_layers/attention_bias in ${config.file}`,
    });
  }
  const tiedHead = config.tieWordEmbeddings ? found.get(HEAD) : undefined;
  const embedding = expected.get(EMBEDDING);
  if (tiedHead && embedding && !sameShape(tiedHead.shape, embedding)) {
    throw new DataError(`tensor ${HEAD}: the embeddings are tied, so it must match ${EMBEDDING} ${fmt(embedding)}, the file has ${fmt(tiedHead.shape)}`, tiedHead.file, undefined, {
      hint: `set "tie_word_embeddings": false in ${config.file} if the model has its own output head, or download the model again`,
    });
  }
  const unexpected = [...found].filter(([name]) => !expected.has(name) && !isIgnoredTensor(name, config));
  if (unexpected.length > 0) {
    throw new DataError(`${unexpected.length} tensor(s) the ${config.modelType} architecture does not have: ${list(unexpected.map(([name]) => name))}`, unexpected[0]![1].file, undefined, {
      hint: `the weights belong to another architecture or configuration: check model_type, num_hidden_layers, attention_bias and tie_word_embeddings in ${config.file}, or download the model again`,
    });
  }
}

const redownload = 'the checkpoint is damaged: download the model again (or check that the revision is the one you meant)';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function list(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, … (${names.length - 5} more)`;
}
