import { describe, expect, it } from 'vitest';
import { DATASET_CARD_FIELDS } from './card.js';
import { buildDatasetRow } from './row.js';

describe('dataset card', () => {
  it('declares exactly the fields a row has: `load_dataset` refuses a column the card does not declare', () => {
    const task = { id: 't', language: 'python' as const, prompt: 'p', extra: {} };
    const rollout = { task, sampleIndex: 0, text: 'x', code: 'x', promptTokens: [1], completionTokens: [2], behaviourLogprobs: [-1], finishReason: 'eos' as const, policyVersion: 0, generationMs: 1 };
    const row = buildDatasetRow('train', { rollout, score: null, reference: null, teacherScore: null, reward: null, advantage: null, epoch: 1, batch: 1, step: 1 }, '2026-01-01T00:00:00Z');
    expect([...DATASET_CARD_FIELDS].sort()).toEqual(Object.keys(row).sort());
  });
});
