/**
 * @rlaif/generator-vllm: sample rollouts on vLLM (or another OpenAI-compatible server with runtime LoRA
 * loading) while the backend keeps the Optimizer. `vllm()` is the Generator plugin; see README.md.
 */
export { vllm, default } from './vllm-generator.js';
export type { VllmGeneratorSettings } from './vllm-generator.js';
export type { ServerStats } from './server-pool.js';
