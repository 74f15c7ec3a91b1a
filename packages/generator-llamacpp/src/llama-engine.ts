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

/** A loaded GGUF model with its sequences. */
export interface LoadedEngine {
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly sequences: readonly LlamaContextSequence[];
  readonly contextSize: number;
  dispose(): Promise<void>;
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

/** Loads `ggufFile` with `options.sequences` sequences. */
export async function loadEngine(ggufFile: string, options: LlamaEngineOptions): Promise<LoadedEngine> {
  const llama = await llamaRuntime(options);
  const model = await llama.loadModel({ modelPath: ggufFile, gpuLayers: options.gpuLayers });
  const contextSize = options.contextSize ?? Math.min(model.trainContextSize, 4096);
  const context = await model.createContext({
    contextSize,
    sequences: options.sequences,
    threads: { ideal: options.threads, min: options.threads },
  });
  const sequences = Array.from({ length: options.sequences }, () => context.getSequence());
  return {
    model,
    context,
    sequences,
    contextSize: context.contextSize,
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}
