/**
 * `rlaif export` on the TensorFlow.js backend, for checkpoints of either engine (same files): the adapter
 * alone (`peft`), or the model with the adapter merged as a float32 Hugging Face folder (`merged`). GGUF is
 * written by @rlaif/backend-mlx's exporter; asking this backend for it is an error that says so.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ExportRequest } from '@rlaif/core';
import { BackendError, CheckpointError } from '@rlaif/core';
import { resolveModel } from '@rlaif/hf';
import { isFullModelCheckpoint, saveFullModel } from '../checkpoint/full-model.js';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, loadPeftAdapter, readPeftAdapterConfig } from '../checkpoint/peft-adapter.js';
import { loadModel } from '../load/load-model.js';
import { applyLora } from '../lora/apply-lora.js';

/** Where hub ids are resolved. */
export interface ExportSettings {
  readonly cacheDir?: string;
  readonly offline?: boolean;
}

/** Runs the export described by `request`; resolves to the files written. */
export async function exportCheckpoint(request: ExportRequest, settings: ExportSettings = {}): Promise<{ outputDir: string; files: string[] }> {
  const { checkpointDir, outputDir, format } = request;
  if (format === 'gguf') {
    throw new BackendError('GGUF export is implemented by @rlaif/backend-mlx, not the TensorFlow.js backend', {
      hint: `checkpoints of both engines are the same files: run \`rlaif export ${checkpointDir} --format gguf --backend @rlaif/backend-mlx\``,
    });
  }
  const full = await isFullModelCheckpoint(checkpointDir);
  if (full && format === 'peft') {
    throw new CheckpointError('a full fine-tuning checkpoint holds the whole model, not a PEFT adapter', checkpointDir, {
      hint: 'export it with --format merged (Hugging Face folder); the checkpoint folder itself also loads in transformers',
    });
  }
  await mkdir(outputDir, { recursive: true });
  if (full) {
    const { model } = await loadModel(checkpointDir);
    try {
      await saveFullModel(outputDir, model, checkpointDir);
    } finally {
      model.dispose();
    }
    return { outputDir, files: ['config.json', 'model.safetensors'].map((name) => path.join(outputDir, name)) };
  }
  const adapter = await readPeftAdapterConfig(checkpointDir);
  if (format === 'peft') {
    const files = [ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE].map((name) => path.join(outputDir, name));
    for (const [i, name] of [ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE].entries()) await copyFile(path.join(checkpointDir, name), files[i]!);
    return { outputDir, files };
  }
  const baseModel = request.baseModel ?? adapter.base_model_name_or_path;
  if (!baseModel) {
    throw new CheckpointError('the adapter does not name its base model', path.join(checkpointDir, ADAPTER_CONFIG_FILE), {
      hint: 'pass --base-model (a model folder or hub id) to the export',
    });
  }
  const modelDir = await resolveModel(baseModel, { cacheDir: settings.cacheDir, offline: settings.offline });
  const { model } = await loadModel(modelDir);
  try {
    applyLora(model, { rank: adapter.r, alpha: adapter.lora_alpha, dropout: 0, targetModules: adapter.target_modules });
    await loadPeftAdapter(checkpointDir, model);
    model.mergeAdapters();
    await saveFullModel(outputDir, model, modelDir);
  } finally {
    model.dispose();
  }
  return { outputDir, files: ['config.json', 'model.safetensors'].map((name) => path.join(outputDir, name)) };
}
