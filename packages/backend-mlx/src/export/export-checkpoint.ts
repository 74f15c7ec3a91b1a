/**
 * Exports a training checkpoint (PEFT adapter) for use outside rlaif: the adapter alone (`peft`),
 * the base model with the adapter merged in Hugging Face layout (`merged`), or one GGUF file for
 * llama.cpp / Ollama (`gguf`). The CLI's `rlaif export` calls `exportCheckpoint`.
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { nn } from '@frost-beta/mlx';
import { CheckpointError, writeFileAtomic } from '@rlaif/core';
import { readModelConfig, resolveModel } from '@rlaif/hf';
import { loadModel } from '../load/load-model.js';
import { saveSafetensorsAtomic } from '../checkpoint/atomic-write.js';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, loadPeftAdapter, readPeftAdapterConfig } from '../checkpoint/peft-adapter.js';
import { isFullModelCheckpoint } from '../checkpoint/full-model.js';
import { applyLora } from '../lora/apply-lora.js';
import type { MergeDtype } from '../lora/merge-lora.js';
import { mergedParameters } from '../lora/merge-lora.js';
import type { GgufFileType } from './gguf-model.js';
import { writeGgufModel } from './gguf-model.js';
import { writeGgufLora } from './gguf-lora.js';

/** What to export and where. */
export interface ExportCheckpointOptions {
  /** A directory written by Optimizer.save (adapter_config.json + adapter_model.safetensors). */
  readonly checkpointDir: string;
  /** Base model folder or hub id; default: the adapter's base_model_name_or_path. */
  readonly baseModel?: string;
  /** `gguf-lora`: the adapter alone as a llama.cpp GGUF adapter, applied at run time on the base's `gguf` export. */
  readonly format: 'peft' | 'merged' | 'gguf' | 'gguf-lora';
  /** Created if missing; existing files of the same names are replaced. */
  readonly outputDir: string;
  /** Storage dtype of merged safetensors (default float32). */
  readonly dtype?: MergeDtype;
  /** Element type of GGUF weight matrices (default f16). */
  readonly ggufType?: GgufFileType;
  /** Hub revision and cache options for hub ids. */
  readonly revision?: string;
  readonly cacheDir?: string;
  readonly offline?: boolean;
}

/** What was written. */
export interface ExportResult {
  readonly format: ExportCheckpointOptions['format'];
  readonly outputDir: string;
  /** Paths of the files written, absolute. */
  readonly files: readonly string[];
}

/** Tokenizer and generation files copied next to exported models when the base has them. */
export const MODEL_SIDE_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.json',
  'merges.txt',
  'tokenizer.model',
  'chat_template.jinja',
  'generation_config.json',
];

/** Runs the export described by `options`. */
export async function exportCheckpoint(options: ExportCheckpointOptions): Promise<ExportResult> {
  if (await isFullModelCheckpoint(options.checkpointDir)) return exportFullModel(options);
  const adapterConfig = await readPeftAdapterConfig(options.checkpointDir);
  await mkdir(options.outputDir, { recursive: true });
  const files: string[] = [];
  if (options.format === 'peft') {
    for (const name of [ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE]) {
      const target = path.join(options.outputDir, name);
      await copyFile(path.join(options.checkpointDir, name), target);
      files.push(target);
    }
    return { format: 'peft', outputDir: options.outputDir, files };
  }
  const baseModel = options.baseModel ?? adapterConfig.base_model_name_or_path;
  if (!baseModel) {
    throw new CheckpointError('the adapter does not name its base model', path.join(options.checkpointDir, ADAPTER_CONFIG_FILE), {
      hint: 'pass baseModel (a model folder or hub id) to the export',
    });
  }
  const modelDir = await resolveModel(baseModel, { revision: options.revision, cacheDir: options.cacheDir, offline: options.offline });
  if (options.format === 'gguf-lora') {
    const file = path.join(options.outputDir, 'adapter.gguf');
    await writeGgufLora(file, options.checkpointDir, await readModelConfig(modelDir));
    return { format: 'gguf-lora', outputDir: options.outputDir, files: [file] };
  }
  const loaded = await loadModel(modelDir, { dtype: 'float32' });
  const lora = applyLora(loaded.model, {
    rank: adapterConfig.r,
    alpha: adapterConfig.lora_alpha,
    dropout: adapterConfig.lora_dropout,
    targetModules: adapterConfig.target_modules,
  });
  await loadPeftAdapter(options.checkpointDir, lora);
  if (options.format === 'merged') {
    files.push(...(await writeMergedModel(loaded.model, modelDir, options.outputDir, options.dtype ?? 'float32')));
  } else {
    const file = path.join(options.outputDir, 'model.gguf');
    await writeGgufModel(file, {
      modelDir,
      config: loaded.config,
      weights: mergedParameters(loaded.model, 'float32'),
      fileType: options.ggufType ?? 'f16',
      name: path.basename(baseModel),
    });
    files.push(file);
  }
  return { format: options.format, outputDir: options.outputDir, files };
}

/** A full fine-tuning checkpoint is already a model folder: `merged` rewrites it clean, `gguf` converts it. */
async function exportFullModel(options: ExportCheckpointOptions): Promise<ExportResult> {
  if (options.format === 'peft' || options.format === 'gguf-lora') {
    throw new CheckpointError('a full fine-tuning checkpoint holds the whole model, not a PEFT adapter', options.checkpointDir, {
      hint: 'export it with --format merged (Hugging Face folder) or --format gguf; the checkpoint folder itself also loads in transformers',
    });
  }
  const loaded = await loadModel(options.checkpointDir, { dtype: 'float32' });
  await mkdir(options.outputDir, { recursive: true });
  if (options.format === 'merged') {
    const files = await writeMergedModel(loaded.model, options.checkpointDir, options.outputDir, options.dtype ?? 'float32');
    return { format: 'merged', outputDir: options.outputDir, files };
  }
  const file = path.join(options.outputDir, 'model.gguf');
  await writeGgufModel(file, {
    modelDir: options.checkpointDir,
    config: loaded.config,
    weights: mergedParameters(loaded.model, 'float32'),
    fileType: options.ggufType ?? 'f16',
    name: path.basename(path.resolve(options.checkpointDir)),
  });
  return { format: 'gguf', outputDir: options.outputDir, files: [file] };
}

/**
 * Writes `model` with adapters merged as a Hugging Face folder: config.json (dtype updated,
 * quantisation removed), model.safetensors and the base folder's tokenizer files.
 */
export async function writeMergedModel(model: nn.Module, baseDir: string, outputDir: string, dtype: MergeDtype): Promise<string[]> {
  await mkdir(outputDir, { recursive: true });
  const files: string[] = [];
  const weights = path.join(outputDir, 'model.safetensors');
  await saveSafetensorsAtomic(weights, mergedParameters(model, dtype), { format: 'pt' });
  files.push(weights);
  const config = JSON.parse(await readFile(path.join(baseDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  config['torch_dtype'] = dtype;
  delete config['quantization_config'];
  const configFile = path.join(outputDir, 'config.json');
  await writeFileAtomic(configFile, `${JSON.stringify(config, null, 2)}\n`);
  files.push(configFile);
  for (const name of MODEL_SIDE_FILES) {
    const source = path.join(baseDir, name);
    const target = path.join(outputDir, name);
    try {
      await copyFile(source, target);
      files.push(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return files;
}
