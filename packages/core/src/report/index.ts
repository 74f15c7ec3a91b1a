/** Reading a run's logs back: the `rlaif summaries` table and the `rlaif report` HTML page. */
export { forEachJsonLine, readJsonLines, readJsonObject } from './read-json-lines.js';
export type { JsonLinesStats } from './read-json-lines.js';
export { loadSummaryRows, metricSeries, metricTags, SUMMARY_FILES, toSummaryRow } from './summary-rows.js';
export type { SummaryKind, SummaryRow } from './summary-rows.js';
export { DEFAULT_SUMMARY_METRICS, formatCell, formatSummaryCsv, formatSummaryTable, resolveMetricNames, summaryColumns } from './summary-table.js';
export type { SummaryColumn } from './summary-table.js';
export { SamplePicker, toSampleRow } from './sample-picker.js';
export type { SampleRow, SampleSelection } from './sample-picker.js';
export { loadRunData, RUN_FILES } from './run-data.js';
export type { HealthEntry, LoadRunDataOptions, RunData } from './run-data.js';
export { CHART_COLORS, extent, formatTick, niceTicks, renderLineChart } from './svg-line-chart.js';
export type { ChartSeries, LineChartOptions } from './svg-line-chart.js';
export { REPORT_CHARTS, SANDBOX_CHARTS, renderReportHtml, reportCharts } from './report-html.js';
export type { ReportChart } from './report-html.js';
export { DEFAULT_REPORT_FILE, writeRunReport } from './write-report.js';
export type { WrittenReport } from './write-report.js';
export { escapeHtml } from './escape-html.js';
