#!/usr/bin/env node
/**
 * Writes the quickstart's train.jsonl and heldout.jsonl next to this file, deterministically.
 * Held-out tasks use (shape, predicate kind, map kind) combinations that never occur in train, so a
 * gain there is generalisation of the skills, not recall. Run: node examples/quickstart/tasks/generate.mjs [--seed N]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, MAPS, PREDICATES, allSpecs, evaluate, label, prompt, reference, tests } from './family.mjs';

const TRAIN_PER_LANGUAGE = 160;
const HELDOUT_PER_LANGUAGE = 90;
const HELDOUT_COMBOS_PER_SHAPE = 4;
const TESTS_PER_TASK = 4;
// One function name for every task. With eight names the student had to learn to copy the name from
// the prompt before anything else, and a 1M-parameter model spent the whole warm-up on it: after 100
// SFT steps of 32, 0% of train tasks came out right with eight names and 28% with one.
const ENTRY = 'solve';
// Shapes proposed in turn for train tasks: `count` has only 21 distinct specs, so it comes up rarely.
const TRAIN_SHAPES = [...Array.from({ length: 6 }, () => ['sum', 'list', 'cond']).flat(), 'count'];
const LANGUAGE_TAGS = { python: 'py', cpp: 'cpp', rust: 'rs' };

/** mulberry32: a tiny seeded PRNG, so the files are identical on every machine. */
function randomSource(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
}

const comboKey = (shape, predKind, mapKind) => `${shape}/${predKind}/${mapKind ?? '-'}`;
const specCombo = (spec) => comboKey(spec.shape, spec.pred.kind, spec.map?.kind ?? null);

/** Picks held-out combos per mapped shape so every predicate and map kind is held out at least once. */
function chooseHeldoutCombos(random) {
  const predKinds = Object.keys(PREDICATES);
  const mapKinds = Object.keys(MAPS);
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const chosen = [];
    for (const shape of ['sum', 'list', 'cond']) {
      // Only combinations with constants to vary (not odd/even with sq), so each language gets distinct tasks of each.
    const all = predKinds.flatMap((p) => mapKinds.map((m) => [p, m])).filter(([p, m]) => PREDICATES[p].length * MAPS[m].length >= 3);
      for (const [p, m] of random.shuffle(all).slice(0, HELDOUT_COMBOS_PER_SHAPE)) chosen.push(comboKey(shape, p, m));
    }
    const covers = (kinds, index) => kinds.every((kind) => chosen.some((key) => key.split('/')[index] === kind));
    if (covers(predKinds, 1) && covers(mapKinds, 2)) return new Set(chosen);
  }
  throw new Error('could not choose held-out combinations covering every kind');
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** `length` random inputs in 0…12 for which `keep(x)` is true. */
function itemsWhere(random, length, keep) {
  const pool = Array.from({ length: 13 }, (_, x) => x).filter(keep);
  return Array.from({ length }, () => random.pick(pool));
}

/**
 * Test inputs: one list the predicate keeps nothing of (its answer does not depend on the map), one
 * it keeps everything of (the predicate cannot matter), and mixed lists, chosen so that a wrong
 * constant, predicate or map always fails at least one test. The two probes make the reward
 * partial: a sample with the right predicate and a wrong map passes one test of four, not none,
 * which gives RL a signal on each part of the spec instead of only on whole solutions.
 */
function chooseInputs(spec, random) {
  const rivals = allSpecs(spec.shape).filter((other) => !same(other, spec));
  const kept = (x) => evaluate({ shape: 'count', pred: spec.pred, map: null }, [x]) === 1;
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const noneKept = itemsWhere(random, random.int(3, 5), (x) => !kept(x));
    const allKept = itemsWhere(random, random.int(3, 5), kept);
    const mixed = Array.from({ length: TESTS_PER_TASK - 2 }, () => Array.from({ length: random.int(4, 7) }, () => random.int(0, 12)));
    // A mixed test must keep at least one item and drop at least one.
    if (!mixed.every((xs) => xs.some(kept) && !xs.every(kept))) continue;
    const inputs = [noneKept, allKept, ...mixed];
    const expected = inputs.map((xs) => evaluate(spec, xs));
    if (rivals.every((rival) => inputs.some((xs, i) => !same(evaluate(rival, xs), expected[i])))) return inputs;
  }
  // Degenerate specs (e.g. `cond` with `lt 2` and `sq`, which returns xs unchanged) have none.
  return null;
}

/** A spec of `shape`; predicate and map kinds are random unless given, constants always are. */
function randomSpec(random, shape, predKind = random.pick(Object.keys(PREDICATES)), mapKind = random.pick(Object.keys(MAPS))) {
  const pred = { kind: predKind, k: random.pick(PREDICATES[predKind]) };
  if (shape === 'count') return { shape, pred, map: null };
  return { shape, pred, map: { kind: mapKind, k: random.pick(MAPS[mapKind]) } };
}

function task(id, split, language, { spec, name, inputs }) {
  return {
    id,
    language,
    prompt: prompt(spec, language, name),
    tests: tests(spec, language, name, inputs),
    reference: reference(spec, language, name),
    family: 'list-filter-map-reduce',
    split,
    shape: spec.shape,
    predicate: label(spec.pred),
    map: spec.map ? label(spec.map) : null,
    entry: name,
  };
}

/**
 * Draws `count` distinct-spec tasks for one language, with their test inputs. `propose(i)`
 * gives the i-th candidate spec; `accept` filters it by its (shape, predicate, map) combination.
 */
function drawTasks(random, count, propose, accept, seen) {
  const drawn = [];
  for (let attempt = 0; drawn.length < count; attempt += 1) {
    if (attempt > count * 1_000) throw new Error(`only ${drawn.length} of ${count} distinct usable tasks found: widen the constants`);
    const spec = propose(drawn.length);
    const name = ENTRY;
    const key = JSON.stringify(spec);
    if (!accept(specCombo(spec)) || seen.has(key)) continue;
    seen.add(key);
    const inputs = chooseInputs(spec, random);
    if (inputs) drawn.push({ spec, name, inputs });
  }
  return drawn;
}

/** Both splits for `seed`. */
export function generate(seed) {
  // Two streams: the held-out split does not change with the size of the train split.
  const random = randomSource(seed);
  const trainRandom = randomSource(seed ^ 0x5bd1e995);
  const heldoutCombos = chooseHeldoutCombos(random);
  const heldoutList = [...heldoutCombos].sort();
  const train = [];
  const heldout = [];
  for (const language of LANGUAGES) {
    const tag = LANGUAGE_TAGS[language];
    const seen = new Set();
    // Held-out tasks go round the held-out combinations, so each language asks every one of them.
    // They are drawn first, so the size of the train split does not change them.
    const heldoutDraws = drawTasks(random, HELDOUT_PER_LANGUAGE, (i) => randomSpec(random, ...heldoutList[i % heldoutList.length].split('/')), () => true, seen);
    heldoutDraws.forEach((draw, i) => heldout.push(task(`qs-heldout-${tag}-${String(i).padStart(3, '0')}`, 'heldout', language, draw)));
    const trainDraws = drawTasks(trainRandom, TRAIN_PER_LANGUAGE, (i) => randomSpec(trainRandom, TRAIN_SHAPES[i % TRAIN_SHAPES.length]), (combo) => !heldoutCombos.has(combo), seen);
    trainDraws.forEach((draw, i) => train.push(task(`qs-train-${tag}-${String(i).padStart(3, '0')}`, 'train', language, draw)));
  }
  return { train, heldout, heldoutCombos: [...heldoutCombos].sort() };
}

function main() {
  const seedFlag = process.argv.indexOf('--seed');
  const seed = seedFlag >= 0 ? Number(process.argv[seedFlag + 1]) : 7;
  if (!Number.isInteger(seed)) throw new Error('--seed expects an integer, e.g. --seed 7');
  const { train, heldout, heldoutCombos } = generate(seed);
  const dir = dirname(fileURLToPath(import.meta.url));
  const write = (file, rows) => writeFileSync(join(dir, file), rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  write('train.jsonl', train);
  write('heldout.jsonl', heldout);
  console.log(`seed ${seed}: ${train.length} train, ${heldout.length} held-out tasks`);
  console.log(`held-out combinations (shape/predicate/map): ${heldoutCombos.join(', ')}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
