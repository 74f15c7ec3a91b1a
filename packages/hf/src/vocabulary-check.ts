import { DataError } from '@rlaif/core';
import type { ModelConfig } from './model-config.js';
import type { Tokenizer } from './tokenizer.js';

/**
 * Every id the tokenizer can produce must have an embedding row (`vocab_size` rows, which
 * `checkCheckpointTensors` has matched to the weights); otherwise such a token would index past the table.
 */
export function checkVocabularyFits(tokenizer: Tokenizer, config: Pick<ModelConfig, 'vocabSize' | 'file'>): void {
  const maxId = tokenizer.maxTokenId;
  if (maxId < config.vocabSize) return;
  throw new DataError(`the tokenizer produces ids up to ${maxId}, but the embedding has ${config.vocabSize} rows (vocab_size in ${config.file})`, tokenizer.file, undefined, {
    hint: 'tokenizer.json and the weights come from different models or revisions: download both from the same model revision',
  });
}
