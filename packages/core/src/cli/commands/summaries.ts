/**
 * `rlaif summaries`: prints the batch or epoch summaries of a run as an aligned table, optionally
 * exporting CSV. Example: rlaif summaries --dir runs/demo/logs/json_summaries --type epoch --tail 0
 */
import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatSummaryCsv, formatSummaryTable, resolveMetricNames, summaryColumns } from '../../report/summary-table.js';
import { loadSummaryRows, metricTags, SUMMARY_FILES } from '../../report/summary-rows.js';
import type { SummaryKind } from '../../report/summary-rows.js';
import { DataError } from '../../errors/rlaif-error.js';
import { EXIT_CODES } from '../command.js';
import type { CliCommand, CliIO } from '../command.js';
import { UsageError, withUsageErrors } from '../parse.js';

const DEFAULT_DIR = 'logs/json_summaries';
const DEFAULT_TAIL = 20;

const HELP = `Usage: rlaif summaries [--dir <dir>] [--type batch|epoch|sft] [--tail N] [--metrics a,b] [--csv-out <file>]

Prints batch or epoch summaries (logs/json_summaries/*.jsonl, written by the jsonl sink) as a table.
  --dir <dir>        json_summaries directory, or a run directory containing one (default: ./${DEFAULT_DIR})
  --type <kind>      batch (default), epoch, or sft (the SFT warm-up's steps)
  --tail <N>         show the last N rows; 0 shows all (default: ${DEFAULT_TAIL})
  --metrics <list>   comma-separated metric tags; a unique name after the last '/' is enough (Loss → Train/Loss)
  --csv-out <file>   also write the rows as CSV: all rows, unless --tail is given
  -h, --help         show this help`;

/** The `rlaif summaries` command. */
export const summariesCommand: CliCommand = {
  name: 'summaries',
  summary: 'Show batch or epoch metrics of a run as a table, or export them to CSV',
  help: HELP,
  run: runSummaries,
};

async function runSummaries(argv: readonly string[], io: CliIO): Promise<number> {
  const { values } = withUsageErrors('summaries', () =>
    parseArgs({
      args: [...argv],
      options: {
        dir: { type: 'string' },
        type: { type: 'string', default: 'batch' },
        tail: { type: 'string' },
        metrics: { type: 'string' },
        'csv-out': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }),
  );
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT_CODES.ok;
  }
  if (values.type !== 'batch' && values.type !== 'epoch' && values.type !== 'sft') {
    throw new UsageError(`--type must be batch, epoch or sft, got '${values.type}'`, { hint: 'use --type batch, --type epoch or --type sft' });
  }
  const kind: SummaryKind = values.type;
  const tail = values.tail === undefined ? DEFAULT_TAIL : Number(values.tail);
  if (!Number.isInteger(tail) || tail < 0) {
    throw new UsageError(`--tail must be a whole number ≥ 0, got '${values.tail}'`, { hint: 'use --tail 0 to show every row' });
  }

  const dir = await summariesDir(resolve(io.cwd, values.dir ?? DEFAULT_DIR));
  const { rows, stats, path } = await loadSummaryRows(dir, kind);
  if (stats.missing) {
    throw new DataError('no summaries file here', path, undefined, {
      hint: `pass --dir <run>/${DEFAULT_DIR}, and make sure the run's config lists the jsonl() sink (it writes ${SUMMARY_FILES[kind]})`,
    });
  }
  if (stats.malformedLines.length > 0) {
    io.stderr.write(`rlaif summaries: ${path}: skipped malformed line(s) ${stats.malformedLines.slice(0, 10).join(', ')}\n`);
  }

  let metrics: string[] | undefined;
  if (values.metrics !== undefined) {
    const requested = values.metrics.split(',').map((name) => name.trim()).filter(Boolean);
    const available = metricTags(rows);
    const { tags, unknown } = resolveMetricNames(requested, available);
    if (unknown.length > 0) {
      throw new UsageError(`unknown or ambiguous metric(s) ${unknown.map((name) => `'${name}'`).join(', ')} in --metrics`, {
        hint: available.length > 0 ? `metrics in ${path}: ${available.join(', ')}` : `${path} has no metrics yet`,
      });
    }
    metrics = tags;
  }

  const columns = summaryColumns(kind, rows, metrics);
  const shown = tail === 0 ? rows : rows.slice(-tail);
  if (rows.length === 0) io.stdout.write(`No ${kind} summaries in ${path} yet.\n`);
  else io.stdout.write(`${formatSummaryTable(shown, columns)}\n${shown.length} of ${rows.length} ${kind} rows from ${path}\n`);

  if (values['csv-out'] !== undefined) {
    const csvPath = resolve(io.cwd, values['csv-out']);
    const exported = values.tail === undefined ? rows : shown;
    await writeFile(csvPath, formatSummaryCsv(exported, columns));
    io.stdout.write(`Wrote ${exported.length} rows to ${csvPath}\n`);
  }
  return EXIT_CODES.ok;
}

/** Accepts a run directory for convenience: uses its logs/json_summaries when that exists. */
async function summariesDir(dir: string): Promise<string> {
  const nested = join(dir, DEFAULT_DIR);
  const isDir = await stat(nested).then(
    (info) => info.isDirectory(),
    () => false,
  );
  return isDir ? nested : dir;
}
