/** Creating small randomly initialised model folders (the offline quickstart's student). */
export { createTinyModel } from './create-tiny-model.js';
export type { CreateTinyModelOptions, CreatedTinyModel, TinyTokenizerOptions } from './create-tiny-model.js';
export { learnBpe } from './bpe-trainer.js';
export type { BpeVocabulary, LearnBpeOptions } from './bpe-trainer.js';
export { CHATML_TEMPLATE, SPECIAL_TOKENS } from './tokenizer-files.js';
export { qwen2ParameterCount } from './qwen2-weights.js';
export type { Qwen2Shape } from './qwen2-weights.js';
