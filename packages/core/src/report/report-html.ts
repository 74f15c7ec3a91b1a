import { escapeHtml } from './escape-html.js';
import { heldOutSection, validationSection } from './held-out-section.js';
import type { HealthEntry, RunData } from './run-data.js';
import type { SampleRow } from './sample-picker.js';
import { metricSeries, metricTags } from './summary-rows.js';
import type { SummaryKind, SummaryRow } from './summary-rows.js';
import { formatCell } from './summary-table.js';
import { extent, renderLineChart } from './svg-line-chart.js';

/** A chart of the report: a title and the metric tags it plots, from batch or epoch summaries. */
export interface ReportChart {
  readonly title: string;
  readonly series: readonly { readonly tag: string; readonly source: SummaryKind }[];
}

/** The charts every report draws, in order; a chart whose metrics are absent says so. */
export const REPORT_CHARTS: readonly ReportChart[] = [
  { title: 'SFT warm-up loss', series: [{ tag: 'SFT/Loss', source: 'sft' }] },
  { title: 'Reward', series: [{ tag: 'Train/AvgReward', source: 'batch' }, { tag: 'Train/RewardMax', source: 'batch' }, { tag: 'Epoch/AvgReward', source: 'epoch' }] },
  { title: 'Loss', series: [{ tag: 'Train/Loss', source: 'batch' }, { tag: 'Train/PolicyLoss', source: 'batch' }, { tag: 'Epoch/AvgLoss', source: 'epoch' }] },
  { title: 'KL divergence', series: [{ tag: 'Train/KL', source: 'batch' }, { tag: 'Train/KLPenalty', source: 'batch' }] },
  {
    title: 'Throughput (tokens/s)',
    series: [
      { tag: 'Performance/Generation_TokensPerSec', source: 'batch' },
      { tag: 'Performance/Backprop_TokensPerSec', source: 'batch' },
    ],
  },
  {
    title: 'Teacher tokens',
    series: [
      { tag: 'Performance/Scoring_TotalTokens_Input_Cumulative', source: 'batch' },
      { tag: 'Performance/Scoring_TotalTokens_Output_Cumulative', source: 'batch' },
      { tag: 'Epoch/APITokens', source: 'epoch' },
    ],
  },
  { title: 'Teacher cost (USD) and cache hit rate', series: [{ tag: 'Teacher/CostUSD', source: 'batch' }, { tag: 'Teacher/CacheHitRate', source: 'batch' }] },
  {
    title: 'Policy diagnostics',
    series: [
      { tag: 'Train/Entropy', source: 'batch' },
      { tag: 'Train/FracRewardZeroStd', source: 'batch' },
      { tag: 'Train/Completions/ClippedRatio', source: 'batch' },
    ],
  },
];

/** With a code-running teacher (`Sandbox/*` metrics), these replace the teacher token and cost charts. */
export const SANDBOX_CHARTS: readonly ReportChart[] = [
  {
    title: 'Sandbox runs, compile failures and cache hits (cumulative)',
    series: [
      { tag: 'Sandbox/Runs', source: 'batch' },
      { tag: 'Sandbox/CompileFailures', source: 'batch' },
      { tag: 'Sandbox/CacheHits', source: 'batch' },
    ],
  },
  {
    title: 'Sandbox time per language (s, cumulative)',
    series: [
      { tag: 'Sandbox/Seconds_python', source: 'batch' },
      { tag: 'Sandbox/Seconds_cpp', source: 'batch' },
      { tag: 'Sandbox/Seconds_rust', source: 'batch' },
    ],
  },
];

const TEACHER_USAGE_CHARTS = new Set(['Teacher tokens', 'Teacher cost (USD) and cache hit rate']);

/** The charts of this run: the sandbox's in place of token and cost charts when the teacher ran code. */
export function reportCharts(data: RunData): readonly ReportChart[] {
  const sandboxed = data.batches.some((row) => row.metrics['Sandbox/Runs'] !== undefined);
  if (!sandboxed) return REPORT_CHARTS;
  const charts: ReportChart[] = [];
  for (const chart of REPORT_CHARTS) {
    if (!TEACHER_USAGE_CHARTS.has(chart.title)) charts.push(chart);
    else if (!charts.includes(SANDBOX_CHARTS[0] as ReportChart)) charts.push(...SANDBOX_CHARTS);
  }
  return charts;
}

// Long texts are cut so one runaway completion cannot make the report unwieldy.
const MAX_PROMPT_CHARS = 1500;
const MAX_COMPLETION_CHARS = 6000;
const MAX_HEALTH_ENTRIES = 50;
const MAX_SUMMARY_FIELDS = 60;

/** Renders a run as one self-contained HTML page: inline CSS and SVG, no scripts, no network. */
export function renderReportHtml(data: RunData, generatedAt: Date = new Date()): string {
  const title = `rlaif report: ${data.name}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="muted">${escapeHtml(data.runDir)} · ${escapeHtml(statusLine(data))} · generated ${escapeHtml(generatedAt.toISOString())}</p>
</header>
${keyNumbers(data)}
${heldOutSection(data.summary)}
${validationSection(data.validation)}
<section id="charts"><h2>Curves</h2><div class="charts">
${reportCharts(data).map((chart) => `<figure>${renderLineChart({ title: chart.title, xLabel: 'step', series: chartSeries(data, chart) })}</figure>`).join('\n')}
</div></section>
${healthSection(data.health)}
${samplesSection(data)}
${metricsSection(data.batches)}
${objectSection('summary', 'Run summary (summary.json)', data.summary)}
${objectSection('run-info', 'Run metadata (run.json)', data.run)}
${data.warnings.length > 0 ? `<section id="warnings"><h2>Reading notes</h2><ul>${data.warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('')}</ul></section>` : ''}
</body>
</html>
`;
}

function chartSeries(data: RunData, chart: ReportChart) {
  return chart.series.map(({ tag, source }) => ({
    name: tag,
    dashed: source === 'epoch',
    points: metricSeries(source === 'batch' ? data.batches : source === 'epoch' ? data.epochs : data.sft, tag),
  }));
}

function statusLine(data: RunData): string {
  if (data.summary) return 'finished';
  const update = data.lastUpdate ? `, last write ${data.lastUpdate.toISOString()}` : '';
  return `running or stopped (no summary.json yet${update})`;
}

function keyNumbers(data: RunData): string {
  const lastBatch = data.batches.at(-1);
  const latest = (tag: string) => [...data.batches].reverse().find((row) => row.metrics[tag] !== undefined)?.metrics[tag];
  const epochRewards = data.epochs.map((row) => row.metrics['Epoch/AvgReward']).filter((value): value is number => value !== undefined);
  const lastHealth = data.health.at(-1);
  const cards: [string, string][] = [
    ['status', data.summary ? 'finished' : 'in progress'],
    ['last step', formatCell(lastBatch?.step)],
    ['epochs', String(data.epochs.length)],
    ['latest reward', formatCell(latest('Train/AvgReward'))],
    ['best epoch reward', formatCell(epochRewards.length > 0 ? extent(epochRewards)[1] : undefined)],
    ['latest loss', formatCell(latest('Train/Loss'))],
    latest('Sandbox/Runs') === undefined ? ['teacher cost (USD)', formatCell(latest('Teacher/CostUSD'))] : ['sandbox runs', formatCell(latest('Sandbox/Runs'))],
    ['samples recorded', String(data.samples.total)],
    ['health', lastHealth ? lastHealth.status : '-'],
  ];
  return `<section id="key-numbers" class="cards">${cards
    .map(([label, value]) => `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`)
    .join('')}</section>`;
}

function healthSection(health: readonly HealthEntry[]): string {
  if (health.length === 0) return '<section id="health"><h2>Health checks</h2><p class="muted">No health checks recorded yet (logs/health.jsonl).</p></section>';
  const warnings = health.filter((entry) => entry.status !== 'OK').length;
  const shown = health.slice(-MAX_HEALTH_ENTRIES).reverse();
  const rows = shown
    .map(
      (entry) => `<tr class="health-${entry.status === 'OK' ? 'ok' : 'warn'}">
<td>${escapeHtml(formatCell(entry.step))}</td><td><span class="badge">${escapeHtml(entry.status)}</span></td>
<td><code>${escapeHtml(entry.line)}</code>${entry.issues.length > 0 ? `<ul>${entry.issues.map((issue) => `<li>${escapeHtml(issue)}</li>`).join('')}</ul>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<section id="health"><h2>Health checks</h2>
<p class="muted">${health.length} checks, ${warnings} with warnings${health.length > shown.length ? `; newest ${shown.length} shown` : ''}, newest first.</p>
<table class="health"><thead><tr><th>step</th><th>status</th><th>check</th></tr></thead><tbody>
${rows}
</tbody></table></section>`;
}

function samplesSection(data: RunData): string {
  const groups: [string, readonly SampleRow[]][] = [
    ['best', data.samples.best],
    ['worst', data.samples.worst],
    ['latest', data.samples.latest],
  ];
  if (data.samples.total === 0) return '<section id="samples"><h2>Sample completions</h2><p class="muted">No samples recorded yet (datasets/train.jsonl).</p></section>';
  // The single best sample starts unfolded so the page shows one completion at a glance.
  const rows = groups.flatMap(([group, samples]) => samples.map((sample, i) => sampleRow(group, sample, group === 'best' && i === 0))).join('\n');
  return `<section id="samples"><h2>Sample completions</h2>
<p class="muted">${data.samples.total} rows in datasets/train.jsonl; highest and lowest by score, and the most recent.</p>
<table class="samples"><thead><tr><th>which</th><th>step</th><th>task</th><th>score</th><th>reward</th><th>teacher</th><th>breakdown</th><th>completion</th></tr></thead><tbody>
${rows}
</tbody></table></section>`;
}

function sampleRow(group: string, sample: SampleRow, open: boolean): string {
  const breakdown = Object.entries(sample.breakdown)
    .map(([name, value]) => `<span class="chip">${escapeHtml(name)} ${escapeHtml(formatCell(value))}</span>`)
    .join(' ');
  const where = [sample.epoch !== undefined ? `e${sample.epoch}` : '', sample.batch !== undefined ? `b${sample.batch}` : ''].filter(Boolean).join(' ');
  const firstLine = sample.completion.split('\n').find((line) => line.trim() !== '') ?? '(empty completion)';
  return `<tr class="sample sample-${group}">
<td>${escapeHtml(group)}</td><td>${escapeHtml(formatCell(sample.step))}${where ? `<div class="muted">${escapeHtml(where)}</div>` : ''}</td>
<td>${escapeHtml(sample.taskId || sample.id)}<div class="muted">${escapeHtml(sample.language)}</div></td>
<td class="num">${escapeHtml(formatCell(sample.score))}</td><td class="num">${escapeHtml(formatCell(sample.reward))}</td><td class="num">${escapeHtml(formatCell(sample.teacherScore))}</td>
<td>${breakdown}</td>
<td><details${open ? ' open' : ''}><summary><code>${escapeHtml(truncate(firstLine, 80))}</code></summary>
<h4>prompt</h4><pre>${escapeHtml(truncate(sample.prompt, MAX_PROMPT_CHARS))}</pre>
<h4>completion</h4><pre>${escapeHtml(truncate(sample.completion, MAX_COMPLETION_CHARS))}</pre>
${sample.evidence ? `<h4>teacher evidence</h4><pre>${escapeHtml(truncate(sample.evidence, MAX_PROMPT_CHARS))}</pre>` : ''}
</details></td></tr>`;
}

function metricsSection(batches: readonly SummaryRow[]): string {
  const tags = metricTags(batches);
  if (tags.length === 0) return '';
  const rows = tags
    .map((tag) => {
      const values = batches.map((row) => row.metrics[tag]).filter((value): value is number => value !== undefined);
      const [low, high] = extent(values);
      return `<tr><td><code>${escapeHtml(tag)}</code></td><td class="num">${escapeHtml(formatCell(values.at(-1)))}</td><td class="num">${escapeHtml(formatCell(low))}</td><td class="num">${escapeHtml(formatCell(high))}</td><td class="num">${values.length}</td></tr>`;
    })
    .join('\n');
  return `<section id="metrics"><h2>All batch metrics</h2><details><summary>${tags.length} metrics</summary>
<table><thead><tr><th>tag</th><th>latest</th><th>min</th><th>max</th><th>points</th></tr></thead><tbody>
${rows}
</tbody></table></details></section>`;
}

function objectSection(id: string, heading: string, value: Readonly<Record<string, unknown>> | undefined): string {
  if (!value) return '';
  const fields = flatten(value).slice(0, MAX_SUMMARY_FIELDS);
  const rows = fields.map(([key, text]) => `<tr><td><code>${escapeHtml(key)}</code></td><td>${escapeHtml(truncate(text, 300))}</td></tr>`).join('\n');
  return `<section id="${id}"><h2>${escapeHtml(heading)}</h2><details${id === 'summary' ? ' open' : ''}><summary>${fields.length} fields</summary>
<table><tbody>
${rows}
</tbody></table></details></section>`;
}

/** Scalar leaves of a JSON object as `a.b.c` paths; arrays of scalars are joined. */
function flatten(value: Readonly<Record<string, unknown>>, prefix = ''): [string, string][] {
  const fields: [string, string][] = [];
  for (const [key, entry] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) fields.push(...flatten(entry as Record<string, unknown>, path));
    else if (Array.isArray(entry)) fields.push([path, entry.every((item) => typeof item !== 'object' || item === null) ? entry.join(', ') : JSON.stringify(entry)]);
    else fields.push([path, typeof entry === 'number' ? formatCell(entry) : String(entry)]);
  }
  return fields;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:#fff}
body{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
h4{font-size:12px;margin:10px 0 4px;color:#4b5563;text-transform:uppercase}
.muted{color:#6b7280;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin-top:16px}
.card{border:1px solid #e5e7eb;border-radius:8px;padding:10px}.card .label{font-size:12px;color:#6b7280}.card .value{font-size:20px;font-weight:600}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
figure{margin:0;border:1px solid #e5e7eb;border-radius:8px;padding:8px}svg.chart{width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e5e7eb;padding:6px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
pre{background:#f3f4f6;padding:8px;border-radius:6px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-word;font-size:12px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.badge{display:inline-block;padding:1px 6px;border-radius:4px;font-weight:600;font-size:12px}
.health-ok .badge{background:#dcfce7;color:#166534}.health-warn .badge{background:#fef3c7;color:#92400e}
.chip{display:inline-block;background:#eef2ff;color:#3730a3;border-radius:4px;padding:1px 5px;margin:1px;font-size:12px}
summary{cursor:pointer}
.ci{color:#6b7280;font-size:11px;white-space:nowrap}table.held-out td.num{white-space:nowrap}
table.pairs pre{max-height:220px}
`;
