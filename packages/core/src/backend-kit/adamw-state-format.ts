/**
 * The AdamW state files every backend writes and reads, so a run resumes on either engine:
 * `optimizer.safetensors` holds the moments as `exp_avg.<param>` and `exp_avg_sq.<param>` (PyTorch's
 * names) and `optimizer.json` the step count, parameter order and hyper-parameters. The engines
 * write and read the tensors themselves; this file owns the names, the JSON and the errors.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CheckpointError } from '../errors/index.js';
import { writeFileAtomic } from '../io/atomic-write.js';

export const OPTIMIZER_TENSORS_FILE = 'optimizer.safetensors';
export const OPTIMIZER_JSON_FILE = 'optimizer.json';

/** What `optimizer.json` holds. */
export interface AdamWStateJson {
  readonly format: 'rlaif-adamw-v1';
  /** Optimizer updates taken (the bias-correction step). */
  readonly step: number;
  /** Trainable parameter names, in the order the moments were kept. */
  readonly parameters: readonly string[];
  readonly betas: readonly [number, number];
  readonly epsilon: number;
  readonly weightDecay: number;
}

/** The safetensors keys of one parameter's first and second moments. */
export function momentKeys(parameter: string): { readonly first: string; readonly second: string } {
  return { first: `exp_avg.${parameter}`, second: `exp_avg_sq.${parameter}` };
}

/** What to do when a checkpoint's optimizer files are missing or unreadable. */
export const OPTIMIZER_RESUME_HINT = 'resume from a complete checkpoint directory (one written by Optimizer.save)';

/** Writes `optimizer.json` into `dir`. */
export async function writeAdamWJson(dir: string, state: Omit<AdamWStateJson, 'format'>): Promise<void> {
  const json: AdamWStateJson = { format: 'rlaif-adamw-v1', ...state };
  await writeFileAtomic(path.join(dir, OPTIMIZER_JSON_FILE), `${JSON.stringify(json, null, 2)}\n`);
}

/** Reads `optimizer.json` from `dir`; a missing, malformed or foreign file is a CheckpointError naming it. */
export async function readAdamWJson(dir: string): Promise<AdamWStateJson> {
  const jsonPath = path.join(dir, OPTIMIZER_JSON_FILE);
  let json: AdamWStateJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as AdamWStateJson;
  } catch (cause) {
    throw new CheckpointError('optimizer state is missing or not valid JSON', jsonPath, { hint: OPTIMIZER_RESUME_HINT, cause });
  }
  if (json.format !== 'rlaif-adamw-v1') {
    throw new CheckpointError(`unknown optimizer state format ${String(json.format)}`, jsonPath, {
      hint: 'this checkpoint was written by another tool; start the optimizer fresh',
    });
  }
  return json;
}

/**
 * Both moments of every parameter `json` names, looked up with `get` (an engine's view of the
 * tensors file at `tensorsPath`); a missing one is a CheckpointError saying the model changed.
 */
export function adamWMoments<T>(json: AdamWStateJson, tensorsPath: string, get: (key: string) => T | undefined): { readonly m: T[]; readonly v: T[] } {
  const pick = (key: string): T => {
    const value = get(key);
    if (value === undefined) {
      throw new CheckpointError(`tensor ${key} is missing`, tensorsPath, {
        hint: 'the checkpoint does not match this model/LoRA configuration (model.lora.* must be unchanged on resume)',
      });
    }
    return value;
  };
  return {
    m: json.parameters.map((name) => pick(momentKeys(name).first)),
    v: json.parameters.map((name) => pick(momentKeys(name).second)),
  };
}
