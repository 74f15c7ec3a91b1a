/**
 * Keeps llama.cpp on the policy `syncPolicy` is given, through the backend's own GGUF export (the one
 * verified against llama.cpp). Full fine-tuning: the whole model is re-exported and reloaded at each
 * version. LoRA: the base is exported and loaded once; each version's adapter is exported as a GGUF
 * LoRA adapter and applied in a fresh context in place of the previous one. node-llama-cpp 3.21.1
 * keeps every adapter a model has loaded until the model is disposed, so the base is reloaded (from
 * the page cache) every `RELOAD_EVERY` versions to bound that memory.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { BackendError } from '@rlaif/core';
import type { PolicyBinding } from '@rlaif/core';
import { resolveModel } from '@rlaif/hf';
import type { LlamaModel } from 'node-llama-cpp';
import { createEngineContext, loadGgufModel, type EngineContext, type LlamaEngineOptions } from './llama-engine.js';

/** Adapter versions applied on one load of the base before it is reloaded. */
export const RELOAD_EVERY = 16;

export class GgufPolicy {
  private model: LlamaModel | undefined;
  private modelFile: string | undefined;
  private current: EngineContext | undefined;
  private adapterFile: string | undefined;
  private adaptersOnModel = 0;

  constructor(
    private readonly binding: PolicyBinding,
    private readonly options: LlamaEngineOptions,
  ) {}

  /** The context sampling the last synced version; undefined before the first sync. */
  get engine(): EngineContext | undefined {
    return this.current;
  }

  /** Loads the policy in `dir` (what Optimizer.save wrote); files go beside it in `{dir}.gguf/`. */
  async sync(dir: string): Promise<void> {
    const outputDir = `${dir}.gguf`;
    if (!this.binding.lora) {
      const file = await this.export({ checkpointDir: dir, format: 'gguf', outputDir }, '.gguf');
      const model = await loadGgufModel(file, this.options);
      await this.replace(await createEngineContext(model, this.options), { model, modelFile: file });
      return;
    }
    if (!this.model || this.adaptersOnModel >= RELOAD_EVERY) {
      if (!this.modelFile) {
        const baseDir = await resolveModel(this.binding.model.nameOrPath, { revision: this.binding.model.revision });
        this.modelFile = await this.export({ checkpointDir: baseDir, format: 'gguf', outputDir: path.join(path.dirname(dir), 'base.gguf') }, '.gguf');
      }
      await this.current?.context.dispose();
      this.current = undefined;
      await this.model?.dispose();
      this.model = await loadGgufModel(this.modelFile, this.options);
      this.adaptersOnModel = 0;
    }
    const adapter = await this.export({ checkpointDir: dir, baseModel: this.binding.model.nameOrPath, format: 'gguf-lora', outputDir }, '.gguf');
    const next = await createEngineContext(this.model, this.options, adapter);
    this.adaptersOnModel += 1;
    await this.current?.context.dispose();
    this.current = next;
    if (this.adapterFile) await rm(path.dirname(this.adapterFile), { recursive: true, force: true });
    this.adapterFile = adapter;
  }

  async close(): Promise<void> {
    await this.current?.context.dispose();
    await this.model?.dispose();
    this.current = undefined;
    this.model = undefined;
  }

  /** Full fine-tuning: the new model and context replace the old ones, whose file is removed. */
  private async replace(next: EngineContext, loaded: { model: LlamaModel; modelFile: string }): Promise<void> {
    await this.current?.context.dispose();
    await this.model?.dispose();
    if (this.modelFile) await rm(path.dirname(this.modelFile), { recursive: true, force: true });
    this.current = next;
    this.model = loaded.model;
    this.modelFile = loaded.modelFile;
  }

  private async export(request: Parameters<NonNullable<PolicyBinding['exportPolicy']>>[0], suffix: string): Promise<string> {
    if (!this.binding.exportPolicy) {
      throw new BackendError('the backend has no GGUF export, which @rlaif/generator-llamacpp loads the policy through', {
        hint: "use '@rlaif/backend-mlx' as the backend, or remove the generator key",
      });
    }
    const result = await this.binding.exportPolicy(request);
    const file = result.files.find((f) => f.endsWith(suffix));
    if (!file) throw new BackendError(`the backend's export wrote no ${suffix} file in ${request.outputDir}`, { hint: `check that the backend supports format ${request.format} for this model` });
    return file;
  }
}
