/** Engine-neutral helpers for Backend implementations (what every Optimizer does before its engine's work). */
export { chunk, collectItems, tokenWeights, type ScoredSequence, type TrainItem } from './train-items.js';
export { engineRollouts, type EngineSample } from './engine-rollouts.js';
export { BENCH_OPTIMIZATION, BENCH_SHAPES, benchArg } from './bench-settings.js';
export { findStopString } from './stop-strings.js';
