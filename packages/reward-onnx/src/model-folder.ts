/** The files of an exported reward model, in the layout Optimum and the hub use. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@rlaif/core';

/** Absolute paths of the files a reward model needs. */
export interface ModelFiles {
  readonly dir: string;
  /** `model.onnx`, else `onnx/model.onnx`. */
  readonly onnx: string;
  readonly config: string;
  /** The folder holding tokenizer.json (and tokenizer_config.json, chat template). */
  readonly tokenizerDir: string;
}

/** Where the ONNX graph may sit, first match wins. */
export const ONNX_CANDIDATES = ['model.onnx', 'onnx/model.onnx'] as const;

/**
 * Finds model.onnx (or onnx/model.onnx), config.json and tokenizer.json in `dir`; synchronous so a
 * factory can refuse a bad folder before the run starts. A missing file is a DataError naming it.
 */
export function findModelFiles(dir: string): ModelFiles {
  if (!isDirectory(dir)) {
    throw new DataError('reward model folder not found', dir, undefined, {
      hint: 'set `model` to a folder holding model.onnx (or onnx/model.onnx), tokenizer.json and config.json, or to a hub id such as org/name',
    });
  }
  const onnx = ONNX_CANDIDATES.map((name) => join(dir, name)).find(isFile);
  if (onnx === undefined) {
    throw new DataError(`no ${ONNX_CANDIDATES.join(' or ')} in the reward model folder`, dir, undefined, {
      hint: 'export the model to ONNX first, e.g. `optimum-cli export onnx --task text-classification --model <model> <folder>`',
    });
  }
  const config = join(dir, 'config.json');
  if (!isFile(config)) {
    throw new DataError('the reward model folder has no config.json', dir, undefined, {
      hint: "copy the model's config.json next to the ONNX file (Optimum's export writes it)",
    });
  }
  // Optimum writes the tokenizer beside the graph; some hub repos keep it at the top only.
  const tokenizerDir = [dir, join(dir, 'onnx')].find((d) => isFile(join(d, 'tokenizer.json')));
  if (tokenizerDir === undefined) {
    throw new DataError('the reward model folder has no tokenizer.json', dir, undefined, {
      hint: "save the model's fast tokenizer there (tokenizer.save_pretrained(folder) in Python writes tokenizer.json)",
    });
  }
  return { dir, onnx, config, tokenizerDir };
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
