import { describe, expect, it } from 'vitest';
import { toSummaryRow } from './summary-rows.js';
import { formatCell, formatSummaryCsv, formatSummaryTable, resolveMetricNames, summaryColumns } from './summary-table.js';

const rows = [1, 2, 3].map((step) =>
  toSummaryRow(
    {
      kind: 'batch',
      epoch: 1,
      batch: step,
      step,
      elapsedSeconds: step * 2.5,
      metrics: { 'Train/Loss': 1 / step, 'Train/AvgReward': step / 4, 'Custom/Note,with comma': step, 'Eval/Loss': 2 },
    },
    'batch',
  ),
);

describe('summary table', () => {
  it('shows identity columns and the default metrics present, with short unique headers', () => {
    const columns = summaryColumns('batch', rows);
    expect(columns.map((column) => column.key)).toEqual(['epoch', 'batch', 'step', 'elapsedSeconds', 'Train/Loss', 'Train/AvgReward']);
    expect(columns.map((column) => column.header)).toEqual(['epoch', 'batch', 'step', 'elapsed', 'Loss', 'AvgReward']);
  });

  it('falls back to the metrics found when no default is present', () => {
    const custom = [toSummaryRow({ kind: 'epoch', epoch: 1, metrics: { 'My/Metric': 0.5 } }, 'epoch')];
    expect(summaryColumns('epoch', custom).map((column) => column.key)).toEqual(['epoch', 'My/Metric']);
  });

  it('resolves metric names by tag, case, or a unique leaf; reports the rest', () => {
    const available = ['Train/Loss', 'Train/AvgReward', 'Eval/Loss', 'Train/KL'];
    expect(resolveMetricNames(['train/avgreward', 'KL', 'Loss', 'Eval/Loss', 'nope'], available)).toEqual({
      tags: ['Train/AvgReward', 'Train/KL', 'Eval/Loss'],
      unknown: ['Loss', 'nope'],
    });
  });

  it('keeps full tags as headers where leaves collide', () => {
    const columns = summaryColumns('batch', rows, ['Train/Loss', 'Eval/Loss']);
    expect(columns.slice(-2).map((column) => column.header)).toEqual(['Train/Loss', 'Eval/Loss']);
  });

  it('aligns cells right under their headers with one format per column', () => {
    const table = formatSummaryTable(rows, summaryColumns('batch', rows)).split('\n');
    expect(table[0]).toBe('epoch  batch  step  elapsed    Loss  AvgReward');
    expect(table[1]).toBe('-----  -----  ----  -------  ------  ---------');
    expect(table[2]).toBe('    1      1     1   2.5000  1.0000     0.2500'); // one decimal count per column
    expect(table[4]).toBe('    1      3     3   7.5000  0.3333     0.7500');
    expect(new Set(table.map((line) => line.length)).size).toBe(1);
  });

  it('formats numbers for reading', () => {
    expect([formatCell(undefined), formatCell(42), formatCell(0.123456), formatCell(1234.567), formatCell(1.5e-7), formatCell(2.5e7 + 0.5)]).toEqual([
      '-',
      '42',
      '0.1235',
      '1234.57',
      '1.500e-7',
      '2.500e+7',
    ]);
  });

  it('writes CSV with full tags, raw values and quoting', () => {
    const csv = formatSummaryCsv(rows.slice(0, 1), summaryColumns('batch', rows, ['Custom/Note,with comma', 'Train/Loss']));
    expect(csv).toBe('epoch,batch,step,elapsedSeconds,"Custom/Note,with comma",Train/Loss\n1,1,1,2.5,1,1\n');
  });
});
