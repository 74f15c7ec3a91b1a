/**
 * @rlaif/backend-tfjs: Qwen2 and Llama students on TensorFlow.js (tfjs-node over libtensorflow: CPU,
 * or CUDA where the linked libtensorflow has a GPU). Install the engine with scripts/setup-tfjs.sh.
 */
export { tf } from './engine/tf.js';
export { engineInfo } from './engine/device.js';
export type { EngineInfo } from './engine/device.js';
export { restoreIsNullOrUndefined } from './engine/node-compat.js';
