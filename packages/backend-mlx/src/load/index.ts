/** Loading Hugging Face model folders into MLX models (dtype, quantisation). */
export { loadModel } from './load-model.js';
export type { LoadModelOptions, LoadedModel } from './load-model.js';
export { quantizeLinearLayers } from './quantize.js';
export type { QuantizationReport, QuantizeBits } from './quantize.js';
