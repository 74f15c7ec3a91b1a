/**
 * @rlaif/generator-llamacpp: sample rollouts on llama.cpp in-process while the backend keeps the
 * Optimizer. `llamacpp()` is the Generator plugin; see README.md.
 */
export { llamacpp, default } from './llamacpp-generator.js';
export type { LlamaCppGeneratorSettings } from './llamacpp-generator.js';
export { defaultThreads } from './threads.js';
