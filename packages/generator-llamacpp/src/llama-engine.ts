/**
 * node-llama-cpp's runtime, one model and one context of parallel sequences. The prebuilt llama.cpp
 * binaries come from the `@node-llama-cpp/<platform>` packages npm installs as optional dependencies;
 * node-llama-cpp's postinstall only tries them (and would build llama.cpp from GitHub sources if none
 * fits), so with install scripts skipped nothing is lost, and `build: 'never'` keeps it from
 * downloading at run time.
 */
import { BackendError } from '@rlaif/core';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';

/** How the engine runs. */
export interface LlamaEngineOptions {
  readonly threads: number;
  /** Layers offloaded to a GPU (CUDA, Vulkan, Metal); 0 = CPU only. */
  readonly gpuLayers: number | 'auto' | 'max';
  /** Sequences decoded together in one batch. */
  readonly sequences: number;
  /** Tokens per sequence; default the model's training context (at most 4096). */
  readonly contextSize: number | undefined;
}

/** One context of parallel sequences on a loaded model, with a LoRA adapter applied or none. */
export interface EngineContext {
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly sequences: readonly LlamaContextSequence[];
  readonly contextSize: number;
}

let runtime: Promise<Llama> | undefined;

/** The llama.cpp runtime, loaded once per process. */
async function llamaRuntime(options: LlamaEngineOptions): Promise<Llama> {
  runtime ??= (async () => {
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    try {
      return await getLlama({ gpu: options.gpuLayers === 0 ? false : 'auto', build: 'never', maxThreads: options.threads, logLevel: LlamaLogLevel.error, progressLogs: false });
    } catch (error) {
      runtime = undefined;
      throw new BackendError(`llama.cpp could not start: ${(error as Error).message}`, {
        hint: 'reinstall with `npm i -E node-llama-cpp@3.21.1` so npm fetches the prebuilt binary package for this platform (@node-llama-cpp/<platform>)',
        cause: error,
      });
    }
  })();
  return runtime;
}

/** Loads a GGUF model file. */
export async function loadGgufModel(ggufFile: string, options: LlamaEngineOptions): Promise<LlamaModel> {
  const llama = await llamaRuntime(options);
  return llama.loadModel({ modelPath: ggufFile, gpuLayers: options.gpuLayers });
}

/** A context of `options.sequences` sequences on `model`, with the GGUF LoRA adapter `loraFile` applied when given. */
export async function createEngineContext(model: LlamaModel, options: LlamaEngineOptions, loraFile?: string): Promise<EngineContext> {
  const context = await model.createContext({
    contextSize: options.contextSize ?? Math.min(model.trainContextSize, 4096),
    sequences: options.sequences,
    threads: { ideal: options.threads, min: options.threads },
    ...(loraFile ? { lora: { adapters: [{ filePath: loraFile }] } } : {}),
  });
  const sequences = Array.from({ length: options.sequences }, () => context.getSequence());
  return { model, context, sequences, contextSize: context.contextSize };
}
