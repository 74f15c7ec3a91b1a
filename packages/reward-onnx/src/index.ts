/**
 * @rlaif/reward-onnx: learned reward and verifier models exported to ONNX as an rlaif RewardFn,
 * run in-process with onnxruntime-node. `onnxReward({ model: './rm' })` in TypeScript, or
 * `{ "fn": { "use": "@rlaif/reward-onnx", "model": "./rm" }, "weight": 0.3 }` in a JSON config.
 */
import { onnxReward } from './onnx-reward.js';

export { onnxReward, isOnnxModelFile } from './onnx-reward.js';
export type { OnnxRewardFn } from './onnx-reward.js';
export type { OnnxRewardSettings, RewardInputText, RewardScore, TruncationSide } from './settings.js';
export { RewardModel } from './reward-model.js';
export { findModelFiles, ONNX_CANDIDATES } from './model-folder.js';
export type { ModelFiles } from './model-folder.js';
export type { ClassifierConfig } from './classifier-config.js';

export default onnxReward;
