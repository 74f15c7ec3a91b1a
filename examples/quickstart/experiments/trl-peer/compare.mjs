#!/usr/bin/env node
/**
 * The peer check's table from `rlaif validate` reports that each compare one RL result with the same SFT
 * checkpoint: each engine's held-out gain over SFT paired per task with its 95 % bootstrap interval
 * (core's `heldOutIntervals`, as the run's own summary), and the difference between the engines,
 * paired per task. validate samples with fixed seeds, so the SFT side of every report must be the same
 * samples; the script checks that.
 *
 *   node compare.mjs NAME=validation_report.json [NAME=validation_report.json …]
 */
import { readFileSync } from 'node:fs';
import { gainOverHalfWidth, heldOutIntervals, perTaskScores } from '@rlaif/core';

const reports = process.argv.slice(2).map((arg) => {
  const [name, file] = arg.split('=');
  if (!name || !file) {
    console.error('usage: compare.mjs NAME=validation_report.json …');
    process.exit(2);
  }
  return { name, report: JSON.parse(readFileSync(file, 'utf8')) };
});
if (reports.length === 0) {
  console.error('usage: compare.mjs NAME=validation_report.json …');
  process.exit(2);
}

const evaluation = (phase, side) => ({ phase, meanReward: side.averageReward, passRate: side.passRate, perTask: perTaskScores(side.perTask) });
const sft = reports[0].report.baseline;
for (const { name, report } of reports.slice(1)) {
  const same = JSON.stringify(report.baseline.perTask.map((t) => [t.taskId, t.reward, t.passRate])) === JSON.stringify(sft.perTask.map((t) => [t.taskId, t.reward, t.passRate]));
  if (!same) throw new Error(`${name}: its SFT baseline scored differently from ${reports[0].name}'s; run every validate with the same config, seed, --samples and baseline checkpoint`);
}

const number = (value, percent, sign = false) => `${sign && value > 0 ? '+' : ''}${percent ? (100 * value).toFixed(1) : value.toFixed(3)}`;
const estimate = (e, percent, sign = false) => {
  if (!e) return 'n/a';
  const ratio = sign ? gainOverHalfWidth(e) : undefined;
  const interval = e.interval ? ` [${number(e.interval.low, percent, sign)}, ${number(e.interval.high, percent, sign)}]` : '';
  return `${number(e.value, percent, sign)}${interval}${ratio === undefined ? '' : ` (${ratio.toFixed(1)}×)`}`;
};
/** Intervals of `later` against `reference`, in the one shape every row uses (the same bootstrap seeds). */
const paired = (reference, later) => heldOutIntervals([evaluation('sft', reference), evaluation('later', later)]).rows;

const samples = reports[0].report.samplesPerTask;
console.log(`Held-out: ${reports[0].report.testCases} tasks × ${samples} samples at temperature ${reports[0].report.temperature}, one evaluator (rlaif validate), SFT checkpoint ${reports[0].report.baselineCheckpoint}`);
console.log('| model | reward | pass rate % | gain over SFT: reward | gain over SFT: pass points |');
console.log('| --- | --- | --- | --- | --- |');
const [sftRow] = paired(sft, sft);
console.log(`| SFT | ${estimate(sftRow.reward, false)} | ${estimate(sftRow.passRate, true)} | | |`);
for (const { name, report } of reports) {
  const [, row] = paired(sft, report.fineTuned);
  console.log(`| ${name} | ${estimate(row.reward, false)} | ${estimate(row.passRate, true)} | ${estimate(row.rewardGain, false, true)} | ${estimate(row.passRateGain, true, true)} |`);
}
for (let i = 1; i < reports.length; i++) {
  const [a, b] = [reports[0], reports[i]];
  const [, row] = paired(b.report.fineTuned, a.report.fineTuned);
  console.log(`${a.name} − ${b.name}, paired per task: reward ${estimate(row.rewardGain, false, true)}, pass points ${estimate(row.passRateGain, true, true)}`);
}
