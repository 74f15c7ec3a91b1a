/**
 * The report's learning sections: the held-out evaluations of `summary.json` (before training,
 * after SFT, after each epoch) with bootstrap 95 % intervals over tasks and each later row's paired
 * gain over after-SFT, and `validation_report.json` (improved / degraded / equal, example pairs).
 */
import { heldOutIntervals, type Estimate, type HeldOutEvaluation } from '../validation/held-out-intervals.js';
import { escapeHtml } from './escape-html.js';
import { formatCell } from './summary-table.js';

/** One held-out evaluation as `summary.json` records it (per-task results are absent in older runs). */
interface Evaluation extends HeldOutEvaluation {
  readonly globalStep: number | undefined;
  readonly samples: number | undefined;
}

const finite = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The evaluations listed in `summary.json`, tolerating missing fields. */
export function readEvaluations(summary: Readonly<Record<string, unknown>> | undefined): Evaluation[] {
  const list = summary?.evaluations;
  if (!Array.isArray(list)) return [];
  return list
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && typeof (item as Record<string, unknown>).phase === 'string')
    .map((item) => ({
      phase: item.phase as string,
      globalStep: finite(item.globalStep),
      meanReward: finite(item.meanReward),
      passRate: finite(item.passRate),
      samples: finite(item.samples),
      perTask: new Map(
        (Array.isArray(item.perTask) ? item.perTask : [])
          .filter((task): task is Record<string, unknown> => typeof task === 'object' && task !== null && typeof (task as Record<string, unknown>).taskId === 'string')
          .map((task) => [task.taskId as string, { reward: finite(task.reward), passRate: finite(task.passRate) }]),
      ),
    }));
}

function cell(estimate: Estimate | undefined, percent: boolean, signed = false): string {
  const scale = percent ? 100 : 1;
  const digits = percent ? 1 : 3;
  const show = (value: number) => `${signed && value > 0 ? '+' : ''}${(value * scale).toFixed(digits)}${percent ? '%' : ''}`;
  if (estimate === undefined) return '<td class="num">-</td>';
  const { value: point, interval } = estimate;
  const range = interval ? ` <span class="ci">[${escapeHtml(show(interval.low))}, ${escapeHtml(show(interval.high))}]</span>` : '';
  return `<td class="num">${escapeHtml(show(point))}${range}</td>`;
}

const PHASE_NAMES: Readonly<Record<string, string>> = { before: 'before training', sft: 'after SFT' };

function phaseName(phase: string): string {
  return PHASE_NAMES[phase] ?? phase.replace(/^epoch-(\d+)$/, 'after epoch $1');
}

/** The held-out table: one row per evaluation, intervals over tasks, and the paired gain over after-SFT. */
export function heldOutSection(summary: Readonly<Record<string, unknown>> | undefined): string {
  const evaluations = readEvaluations(summary);
  if (evaluations.length === 0) {
    return '<section id="held-out"><h2>Held-out evaluation</h2><p class="muted">No held-out evaluations yet (summary.json, written when the run finishes; set data.evalFile).</p></section>';
  }
  const { reference, rows: intervals } = heldOutIntervals(evaluations);
  const hasPassRate = evaluations.some((evaluation) => evaluation.passRate !== undefined);
  const rows = evaluations
    .map((evaluation, i) => {
      const row = intervals[i]!;
      return `<tr><td>${escapeHtml(phaseName(evaluation.phase))}</td><td class="num">${escapeHtml(formatCell(evaluation.globalStep))}</td>
${cell(row.reward, false)}${hasPassRate ? cell(row.passRate, true) : ''}
${cell(row.rewardGain, false, true)}${hasPassRate ? cell(row.passRateGain, true, true) : ''}
<td class="num">${escapeHtml(formatCell(evaluation.perTask.size || undefined))}</td><td class="num">${escapeHtml(formatCell(evaluation.samples))}</td></tr>`;
    })
    .join('\n');
  const against = reference === undefined ? '' : phaseName(reference);
  const missingTasks = evaluations.every((evaluation) => evaluation.perTask.size === 0);
  return `<section id="held-out"><h2>Held-out evaluation</h2>
<p class="muted">Mean over the eval tasks' samples; in brackets a 95 % bootstrap interval over tasks${against ? `; gains are paired per task against ${escapeHtml(against)}` : ''}.${missingTasks ? ' This run recorded no per-task results, so there are no intervals.' : ''}</p>
<table class="held-out"><thead><tr><th>evaluation</th><th>step</th><th>mean reward</th>${hasPassRate ? '<th>pass rate</th>' : ''}<th>reward gain</th>${hasPassRate ? '<th>pass-rate gain</th>' : ''}<th>tasks</th><th>samples</th></tr></thead><tbody>
${rows}
</tbody></table></section>`;
}

const MAX_EXAMPLES = 3;
const MAX_CODE_CHARS = 3000;

/** `validation_report.json`: the two models compared task by task, with example pairs. */
export function validationSection(report: Readonly<Record<string, unknown>> | undefined): string {
  if (!report) return '<section id="validation"><h2>Validation</h2><p class="muted">No validation report yet (validation_report.json, written at the end of a run with an eval file, or by rlaif validate).</p></section>';
  const model = (key: string) => (typeof report[key] === 'object' && report[key] !== null ? (report[key] as Record<string, unknown>) : {});
  const baseline = model('baseline');
  const fineTuned = model('fineTuned');
  const counts: [string, unknown][] = [
    ['improved', report.improved],
    ['degraded', report.degraded],
    ['equal', report.equal],
  ];
  const percent = (value: unknown) => (finite(value) === undefined ? '-' : `${(100 * (value as number)).toFixed(1)}%`);
  const examples = (Array.isArray(report.examples) ? report.examples : []).slice(0, MAX_EXAMPLES).filter((example): example is Record<string, unknown> => typeof example === 'object' && example !== null);
  const code = (value: unknown) => escapeHtml(typeof value === 'string' ? (value.length > MAX_CODE_CHARS ? `${value.slice(0, MAX_CODE_CHARS)}…` : value) : '');
  return `<section id="validation"><h2>Validation</h2>
<p class="muted">Fine-tuned ${escapeHtml(typeof report.checkpoint === 'string' ? report.checkpoint : 'model')} against the baseline ${escapeHtml(typeof report.baselineCheckpoint === 'string' ? report.baselineCheckpoint : '(the base model)')}, ${escapeHtml(formatCell(finite(report.testCases)))} tasks × ${escapeHtml(formatCell(finite(report.samplesPerTask)))} samples${typeof report.temperature === 'number' ? ` at temperature ${escapeHtml(String(report.temperature))}` : ''}; a task improved or degraded when its mean reward rose or fell.</p>
<div class="cards">${counts.map(([label, value]) => `<div class="card"><div class="label">${label}</div><div class="value">${escapeHtml(formatCell(finite(value)))}</div></div>`).join('')}
<div class="card"><div class="label">mean reward</div><div class="value">${escapeHtml(formatCell(finite(baseline.averageReward)))} → ${escapeHtml(formatCell(finite(fineTuned.averageReward)))}</div></div>
<div class="card"><div class="label">pass rate</div><div class="value">${escapeHtml(percent(baseline.passRate))} → ${escapeHtml(percent(fineTuned.passRate))}</div></div></div>
${examples.length === 0 ? '' : `<table class="pairs"><thead><tr><th>task</th><th>baseline</th><th>fine-tuned</th></tr></thead><tbody>
${examples
  .map(
    (example) => `<tr><td>${escapeHtml(String(example.taskId ?? ''))}<div class="muted">${escapeHtml(String(example.language ?? ''))}</div></td>
<td><div class="num">reward ${escapeHtml(formatCell(finite(example.baselineReward)))}</div><details><summary>code</summary><pre>${code(example.baselineCode)}</pre></details></td>
<td><div class="num">reward ${escapeHtml(formatCell(finite(example.fineTunedReward)))}</div><details><summary>code</summary><pre>${code(example.fineTunedCode)}</pre></details></td></tr>`,
  )
  .join('\n')}
</tbody></table>`}</section>`;
}
