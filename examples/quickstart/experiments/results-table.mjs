#!/usr/bin/env node
/**
 * The README's result table from finished quickstart runs: held-out mean reward and pass rate before
 * training, after SFT and after RL, per run and averaged, read from each run's summary.json.
 *
 *   for seed in 1 2 3; do npx rlaif run examples/quickstart/rlaif.config.ts --seed $seed \
 *     --output-dir examples/quickstart/runs/seed-$seed --overwrite; done
 *   node examples/quickstart/experiments/results-table.mjs examples/quickstart/runs/seed-*
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const runs = process.argv.slice(2);
if (runs.length === 0) {
  console.error('usage: results-table.mjs RUN_DIR [RUN_DIR …]  (folders written by `rlaif run`, each with summary.json)');
  process.exit(2);
}

const PHASES = [
  ['before', 'before SFT'],
  ['sft', 'after SFT'],
  ['final', 'after RL'],
];

/** { before, sft, final } evaluations of one run; `final` is its last epoch evaluation. */
function evaluations(dir) {
  const file = join(dir, 'summary.json');
  let summary;
  try {
    summary = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error.message} (is ${dir} a finished run?)`);
  }
  const byPhase = Object.fromEntries(summary.evaluations.map((e) => [e.phase, e]));
  const last = summary.evaluations.filter((e) => e.phase.startsWith('epoch-')).at(-1);
  return { before: byPhase.before, sft: byPhase.sft, final: last, minutes: summary.durationSeconds / 60 };
}

const rows = runs.map((dir) => ({ name: basename(dir), ...evaluations(dir) }));
const cell = (e) => (e ? `${e.meanReward.toFixed(3)} / ${(100 * e.passRate).toFixed(1)} %` : 'n/a');
const mean = (phase, key) => rows.reduce((s, r) => s + (r[phase]?.[key] ?? Number.NaN), 0) / rows.length;

console.log(`| run | ${PHASES.map(([, label]) => `${label}: reward / pass`).join(' | ')} | wall |`);
console.log(`| --- | ${PHASES.map(() => '---').join(' | ')} | --- |`);
for (const row of rows) console.log(`| ${row.name} | ${PHASES.map(([phase]) => cell(row[phase])).join(' | ')} | ${row.minutes.toFixed(1)} min |`);
const means = PHASES.map(([phase]) => cell({ meanReward: mean(phase, 'meanReward'), passRate: mean(phase, 'passRate') }));
console.log(`| **mean of ${rows.length}** | ${means.join(' | ')} | |`);
