import { describe, expect, it } from 'vitest';
import { damerauLevenshtein, nearestKey } from './nearest-key.js';
import { ConfigValidationError, describeValue, validateConfig } from './validate.js';

function rejection(input: unknown): ConfigValidationError {
  try {
    validateConfig(input, { file: '/proj/.rlaifrc.json' });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('validation messages', () => {
  it('names an unknown key and the nearest valid one', () => {
    const error = rejection({ rlaif: { numSamplesPerPromt: 4 } });
    expect(error.issues).toEqual([
      { keyPath: 'rlaif.numSamplesPerPromt', message: 'unknown key; did you mean `numSamplesPerPrompt`?', line: undefined, help: undefined },
    ]);
    expect(error.message).toContain('/proj/.rlaifrc.json: rlaif.numSamplesPerPromt: unknown key; did you mean `numSamplesPerPrompt`?');
    expect(error.keyPath).toBe('rlaif.numSamplesPerPromt');
    expect(error.code).toBe('RLAIF_CONFIG');
    expect(error.hint).toMatch(/fix the key/);
  });

  it("maps the reference system's snake_case keys to camelCase", () => {
    expect(rejection({ training: { save_total_limit: 2 } }).issues[0]?.message).toBe('unknown key; did you mean `saveTotalLimit`?');
  });

  it('lists the valid keys when nothing is close', () => {
    const message = rejection({ hardware: { mps: true } }).issues[0]?.message ?? '';
    expect(message).toMatch(/^unknown key; valid keys here: `model`, `backend`, `generator`, `teacher`/);
  });

  it('reports a wrong type with what was expected and what was given', () => {
    const issue = rejection({ training: { epochs: 'three' } }).issues[0];
    expect(issue?.keyPath).toBe('training.epochs');
    expect(issue?.message).toBe('expected a number, got "three"');
    expect(rejection({ training: { epochs: 1.5 } }).issues[0]?.message).toBe('expected an integer, got 1.5');
  });

  it('suggests the nearest enum value', () => {
    expect(rejection({ rlaif: { advantage: 'gpro' } }).issues[0]?.message).toBe(
      `expected one of "grpo" | "none" | "rloo" | "dr_grpo", got "gpro"; did you mean 'grpo'?`,
    );
  });

  it('reports every problem at once, with array indices in key paths', () => {
    const error = rejection({ rlaif: { temperature: -0.5, stop: ['ok', 3] }, data: { evalSplit: 1 }, logging: { levle: 'debug' } });
    expect(error.issues.map((i) => i.keyPath)).toEqual(['data.evalSplit', 'rlaif.temperature', 'rlaif.stop[1]', 'logging.levle']);
    expect(error.message).toContain('invalid config, 4 problems');
    expect(error.keyPath).toBeUndefined();
  });

  it('flags a missing reward fn as required', () => {
    const error = rejection({ rewards: [{ weight: 2, wieght: 3 }] });
    expect(error.issues.map((i) => i.keyPath)).toEqual(['rewards[0].fn', 'rewards[0].wieght']);
    expect(error.issues[0]?.message).toMatch(/^expected a plugin object .*; got nothing$/);
    expect(error.issues[1]?.message).toBe('unknown key; did you mean `weight`?');
  });

  it('uses a locator for line numbers and a label for key paths', () => {
    try {
      validateConfig({ training: { seed: -1 } }, { locate: (path) => path.length * 10, keyLabel: (k) => `--seed (${k})` });
      expect.unreachable();
    } catch (error) {
      const issue = (error as ConfigValidationError).issues[0];
      expect(issue).toMatchObject({ keyPath: '--seed (training.seed)', line: 20 });
      expect((error as Error).message).toContain('(line 20)');
    }
  });
});

describe('nearest key', () => {
  it('counts a transposition as one edit', () => {
    expect(damerauLevenshtein('topP', 'toPp')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('', 'abc')).toBe(3);
  });

  it('returns undefined when nothing is close', () => {
    expect(nearestKey('zzzzzz', ['model', 'data'])).toBeUndefined();
    expect(nearestKey('modle', ['model', 'data'])).toBe('model');
  });
});

describe('describeValue', () => {
  it('renders values briefly', () => {
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue('x'.repeat(100))).toHaveLength(60);
    expect(describeValue({ a: 1, b: 2 })).toBe('an object with keys a, b');
    expect(describeValue([1, 2])).toBe('[1,2]');
    expect(describeValue(() => 1)).toBe('a function');
  });
});
