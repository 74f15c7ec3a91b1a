import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface TaskRow {
  id: string;
  language: string;
  prompt: string;
  tests: string;
  reference: string;
  family: string;
  split: string;
  shape: string;
  predicate: string;
  map: string | null;
  entry: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const read = (file: string): TaskRow[] =>
  readFileSync(join(here, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as TaskRow);
const train = read('train.jsonl');
const heldout = read('heldout.jsonl');
const LANGUAGES = ['python', 'cpp', 'rust'];

// A task's "combination": which reduction, which predicate kind, which map kind (constants dropped).
const combo = (row: TaskRow) => `${row.shape}/${row.predicate.split(' ')[0]}/${row.map?.split(' ')[0] ?? '-'}`;
const testCount = (row: TaskRow) => (row.tests.match(/^def test_|^void test_|^#\[test\]/gm) ?? []).length;

describe('quickstart tasks', () => {
  it('parse, with the fields the trainer and teacher-exec need and the sizes the README states', () => {
    expect(train.length).toBeGreaterThanOrEqual(300);
    expect(heldout.length).toBe(270);
    for (const row of [...train, ...heldout]) {
      expect(LANGUAGES).toContain(row.language);
      for (const field of ['id', 'prompt', 'tests', 'reference', 'family', 'shape', 'predicate', 'entry'] as const) expect(row[field]).toBeTruthy();
      expect(testCount(row)).toBe(4);
      expect(row.reference).toContain(row.entry);
      expect(row.prompt).toContain(row.entry);
    }
  });

  it('probe the predicate and the map on their own in the first two tests, so partly right code earns partial reward', () => {
    const holds = (predicate: string, x: number): boolean => {
      const [kind, k] = [predicate.split(' ')[0], Number(predicate.split(' ')[1])];
      if (kind === 'gt') return x > k;
      if (kind === 'lt') return x < k;
      if (kind === 'div') return x % k === 0;
      return kind === 'odd' ? x % 2 === 1 : x % 2 === 0;
    };
    for (const row of [...train, ...heldout]) {
      const inputs = [...row.tests.matchAll(/solve\(&?\[([\d, ]*)\]\)|solve\(\{([\d, ]*)\}\)/g)].map((m) => (m[1] ?? m[2] ?? '').split(',').map(Number));
      expect(inputs, row.id).toHaveLength(4);
      expect(inputs[0]!.every((x) => !holds(row.predicate, x)), `${row.id}: test 1 keeps nothing`).toBe(true);
      expect(inputs[1]!.every((x) => holds(row.predicate, x)), `${row.id}: test 2 keeps everything`).toBe(true);
      for (const xs of inputs.slice(2)) expect(xs.some((x) => holds(row.predicate, x)) && !xs.every((x) => holds(row.predicate, x)), row.id).toBe(true);
    }
  });

  it('have unique ids across both splits', () => {
    const ids = [...train, ...heldout].map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('cover every language in both splits', () => {
    for (const split of [train, heldout]) expect(new Set(split.map((row) => row.language))).toEqual(new Set(LANGUAGES));
  });

  it('hold out only combinations never seen in train, built from skills that train teaches in every language', () => {
    const trainCombos = new Set(train.map(combo));
    const heldoutCombos = new Set(heldout.map(combo));
    for (const key of heldoutCombos) expect(trainCombos.has(key), key).toBe(false);
    // Every predicate kind, map kind and shape of a held-out task occurs in train, in the same language.
    for (const row of heldout) {
      const sameLanguage = train.filter((t) => t.language === row.language);
      expect(sameLanguage.some((t) => t.shape === row.shape)).toBe(true);
      expect(sameLanguage.some((t) => t.predicate.split(' ')[0] === row.predicate.split(' ')[0])).toBe(true);
      expect(sameLanguage.some((t) => t.map?.split(' ')[0] === row.map?.split(' ')[0])).toBe(true);
    }
    // The same held-out combinations are asked in all three languages.
    for (const language of LANGUAGES) {
      expect(new Set(heldout.filter((row) => row.language === language).map(combo))).toEqual(heldoutCombos);
    }
  });

  it('never repeat a held-out prompt or solution in train', () => {
    const trainPrompts = new Set(train.map((row) => row.prompt));
    const trainReferences = new Set(train.map((row) => row.reference));
    for (const row of heldout) {
      expect(trainPrompts.has(row.prompt)).toBe(false);
      expect(trainReferences.has(row.reference)).toBe(false);
    }
  });
});
