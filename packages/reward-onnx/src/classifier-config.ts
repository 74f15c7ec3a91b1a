/** The fields of a sequence classifier's config.json that scoring needs. */
import { DataError } from '@rlaif/core';
import { readJsonObject } from '@rlaif/hf';

export interface ClassifierConfig {
  readonly file: string;
  readonly modelType: string;
  /** Label names by index (config.json `id2label`); `LABEL_<i>` when absent. */
  readonly labels: readonly string[];
  /** The id the graph treats as padding (last-token pooling of decoder classifiers looks for it); null when unset. */
  readonly padTokenId: number | null;
  /** Longest input the position embeddings allow; null when the config does not say. */
  readonly maxPositions: number | null;
}

/** Reads config.json; malformed label or id fields are DataErrors naming the key. */
export async function readClassifierConfig(file: string): Promise<ClassifierConfig> {
  const raw = await readJsonObject(file);
  const fail = (key: string, message: string): never => {
    throw new DataError(`${key}: ${message}`, file, undefined, { hint: "fix config.json or export it again from the model (model.config.save_pretrained)" });
  };
  const labels = labelNames(raw['id2label'], raw['num_labels'], (message) => fail('id2label', message));
  const padTokenId = raw['pad_token_id'] ?? null;
  if (padTokenId !== null && !Number.isSafeInteger(padTokenId)) fail('pad_token_id', `expected an integer, got ${JSON.stringify(padTokenId)}`);
  const maxPositions = raw['max_position_embeddings'] ?? null;
  if (maxPositions !== null && !(Number.isSafeInteger(maxPositions) && (maxPositions as number) > 0)) {
    fail('max_position_embeddings', `expected a positive integer, got ${JSON.stringify(maxPositions)}`);
  }
  return {
    file,
    modelType: typeof raw['model_type'] === 'string' ? raw['model_type'] : 'unknown',
    labels,
    padTokenId: padTokenId as number | null,
    maxPositions: maxPositions as number | null,
  };
}

// transformers writes id2label with string keys "0", "1", …; without it num_labels (default 2) counts them.
function labelNames(id2label: unknown, numLabels: unknown, fail: (message: string) => never): string[] {
  if (id2label === undefined || id2label === null) {
    const count = numLabels ?? 2;
    if (!Number.isSafeInteger(count) || (count as number) <= 0) return fail(`no id2label and num_labels is ${JSON.stringify(numLabels)}`);
    return Array.from({ length: count as number }, (_, i) => `LABEL_${i}`);
  }
  if (typeof id2label !== 'object' || Array.isArray(id2label)) return fail('expected an object of index → label name');
  const entries = Object.entries(id2label as Record<string, unknown>);
  const names: string[] = [];
  for (const [key, name] of entries) {
    const index = Number(key);
    if (!Number.isSafeInteger(index) || index < 0 || index >= entries.length || typeof name !== 'string') {
      return fail(`entry ${JSON.stringify(key)}: ${JSON.stringify(name)} is not an index 0..${entries.length - 1} with a name`);
    }
    names[index] = name;
  }
  if (names.length === 0) return fail('is empty');
  // Two keys for one index ("1" and "01") leave another index without a name.
  const unnamed = names.findIndex((name) => name === undefined);
  if (names.length !== entries.length || unnamed >= 0) return fail(`no name for label ${unnamed >= 0 ? unnamed : names.length}`);
  return names;
}
