import { join } from 'node:path';
import { DataError } from '@rlaif/core';
import { fileExists, readJsonObject } from './json-file.js';

/** Where a checkpoint's tensors live. */
export interface WeightFiles {
  /** Absolute paths of the safetensors files, in shard order. */
  readonly files: readonly string[];
  /** Tensor name → file, when the checkpoint is sharded (from model.safetensors.index.json). */
  readonly weightMap: Readonly<Record<string, string>> | null;
}

const SINGLE_FILE = 'model.safetensors';
const INDEX_FILE = 'model.safetensors.index.json';

/** Finds `model.safetensors`, or the shards listed in `model.safetensors.index.json` (each must exist). */
export async function findWeightFiles(dir: string): Promise<WeightFiles> {
  const single = join(dir, SINGLE_FILE);
  if (await fileExists(single)) return { files: [single], weightMap: null };
  const indexFile = join(dir, INDEX_FILE);
  if (!(await fileExists(indexFile))) {
    throw new DataError(`no ${SINGLE_FILE} or ${INDEX_FILE} found`, dir, undefined, {
      hint: 'rlaif loads safetensors checkpoints only; convert PyTorch .bin weights with transformers (save_pretrained(safe_serialization=True)) or download the model again',
    });
  }
  const index = await readJsonObject(indexFile);
  const map = index['weight_map'];
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new DataError('weight_map: expected an object of tensor name → shard file', indexFile, undefined, { hint: 'download the index file again' });
  }
  const weightMap: Record<string, string> = {};
  const shards = new Set<string>();
  for (const [tensor, shard] of Object.entries(map as Record<string, unknown>)) {
    if (typeof shard !== 'string' || shard.includes('..') || shard.startsWith('/')) {
      throw new DataError(`weight_map.${tensor}: expected a shard file name inside the model folder, got ${JSON.stringify(shard)}`, indexFile, undefined, {
        hint: 'download the index file again',
      });
    }
    weightMap[tensor] = join(dir, shard);
    shards.add(shard);
  }
  if (shards.size === 0) throw new DataError('weight_map is empty', indexFile, undefined, { hint: 'download the index file again' });
  const files = [...shards].sort().map((shard) => join(dir, shard));
  const missing: string[] = [];
  for (const file of files) if (!(await fileExists(file))) missing.push(file);
  if (missing.length > 0) {
    throw new DataError(`${missing.length} shard(s) listed in the index are missing: ${missing.join(', ')}`, indexFile, undefined, {
      hint: 'the download is incomplete: fetch the model again (rlaif resumes into the Hugging Face cache)',
    });
  }
  return { files, weightMap };
}
