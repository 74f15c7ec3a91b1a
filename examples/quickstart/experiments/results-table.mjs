#!/usr/bin/env node
/**
 * The README's result table from finished quickstart runs: held-out mean reward and pass rate before
 * training, after SFT and after RL with 95 % bootstrap intervals over tasks, and RL's gain over SFT
 * paired per task (with its interval and how many half-widths of it the gain is), per run and
 * averaged, read from each run's summary.json — the same numbers the run's own summary prints.
 *
 *   for seed in 1 2 3; do npx rlaif run examples/quickstart/rlaif.config.ts --seed $seed \
 *     --output-dir examples/quickstart/runs/seed-$seed --overwrite; done
 *   node examples/quickstart/experiments/results-table.mjs examples/quickstart/runs/seed-*
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gainOverHalfWidth, heldOutIntervals, perTaskScores } from '@rlaif/core';

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

/** { before, sft, final } evaluations of one run with their intervals; `final` is its last epoch evaluation. */
function evaluations(dir) {
  const file = join(dir, 'summary.json');
  let summary;
  try {
    summary = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error.message} (is ${dir} a finished run?)`);
  }
  const list = summary.evaluations;
  const { rows } = heldOutIntervals(list.map((e) => ({ phase: e.phase, meanReward: e.meanReward ?? undefined, passRate: e.passRate ?? undefined, perTask: perTaskScores(e.perTask) })));
  const withIntervals = list.map((e, i) => ({ ...e, intervals: rows[i] }));
  const byPhase = Object.fromEntries(withIntervals.map((e) => [e.phase, e]));
  const last = withIntervals.filter((e) => e.phase.startsWith('epoch-')).at(-1);
  return { before: byPhase.before, sft: byPhase.sft, final: last, minutes: summary.durationSeconds / 60, samplesPerTask: last && last.perTask?.length ? last.samples / last.perTask.length : undefined };
}

const rows = runs.map((dir) => ({ name: basename(dir), ...evaluations(dir) }));
const number = (value, percent, sign = false) => `${sign && value > 0 ? '+' : ''}${percent ? `${(100 * value).toFixed(1)}` : value.toFixed(3)}`;
const range = (estimate, percent, sign = false) => (estimate?.interval ? ` [${number(estimate.interval.low, percent, sign)}, ${number(estimate.interval.high, percent, sign)}]` : '');
const cell = (e) => (e ? `${number(e.meanReward, false)}${range(e.intervals?.reward, false)} / ${number(e.passRate ?? Number.NaN, true)}${range(e.intervals?.passRate, true)} %` : 'n/a');
const times = (gain) => {
  const ratio = gainOverHalfWidth(gain);
  return ratio === undefined ? '' : ` (${ratio.toFixed(1)}×)`;
};
const gainCell = (e) => {
  const { rewardGain, passRateGain } = e?.intervals ?? {};
  if (!rewardGain) return 'n/a';
  return `${number(rewardGain.value, false, true)}${range(rewardGain, false, true)}${times(rewardGain)} / ${passRateGain ? `${number(passRateGain.value, true, true)}${range(passRateGain, true, true)}${times(passRateGain)}` : 'n/a'}`;
};
const mean = (phase, key) => rows.reduce((s, r) => s + (r[phase]?.[key] ?? Number.NaN), 0) / rows.length;

const samples = [...new Set(rows.map((r) => r.samplesPerTask).filter(Boolean))].join(', ');
console.log(`Held-out mean reward / pass rate${samples ? ` (${samples} samples per task)` : ''}, 95 % bootstrap intervals over tasks; RL gain paired per task, (k×) = gain / interval half-width.\n`);
console.log(`| run | ${PHASES.map(([, label]) => `${label}: reward / pass`).join(' | ')} | RL gain over SFT: reward / pass points | wall |`);
console.log(`| --- | ${PHASES.map(() => '---').join(' | ')} | --- | --- |`);
for (const row of rows) console.log(`| ${row.name} | ${PHASES.map(([phase]) => cell(row[phase])).join(' | ')} | ${gainCell(row.final)} | ${row.minutes.toFixed(1)} min |`);
const means = PHASES.map(([phase]) => cell({ meanReward: mean(phase, 'meanReward'), passRate: mean(phase, 'passRate') }));
const meanGain = (key) => rows.reduce((s, r) => s + (r.final?.intervals?.[key]?.value ?? Number.NaN), 0) / rows.length;
console.log(`| **mean of ${rows.length}** | ${means.join(' | ')} | ${number(meanGain('rewardGain'), false, true)} / ${number(meanGain('passRateGain'), true, true)} | |`);
