/**
 * `rlaif report`: writes one self-contained HTML page (curves, health checks, sample completions)
 * for a finished or running run. Example: rlaif report runs/demo --output /tmp/demo.html
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_REPORT_FILE, writeRunReport } from '../../report/write-report.js';
import { DataError } from '../../errors/rlaif-error.js';
import { EXIT_CODES } from '../command.js';
import type { CliCommand, CliIO } from '../command.js';
import { UsageError, withUsageErrors } from '../parse.js';

const HELP = `Usage: rlaif report <run-dir> [--output <file>]

Writes an HTML report of a run: reward, loss, KL, throughput and teacher curves, health checks and
sample completions. Works while the run is still going. Needs no network to view.
  <run-dir>            the run's output directory (training.outputDir)
  -o, --output <file>  where to write the page (default: <run-dir>/${DEFAULT_REPORT_FILE})
  -h, --help           show this help`;

/** The `rlaif report` command. */
export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'Write a self-contained HTML report of a run (curves, health, samples)',
  help: HELP,
  run: runReport,
};

async function runReport(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = withUsageErrors('report', () =>
    parseArgs({
      args: [...argv],
      options: { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT_CODES.ok;
  }
  if (positionals.length !== 1) {
    throw new UsageError(`expected one run directory, got ${positionals.length}`, { hint: 'usage: rlaif report <run-dir> [--output <file>]' });
  }
  const runDir = resolve(io.cwd, positionals[0]!);
  const isDir = await stat(runDir).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new DataError('not a directory', runDir, undefined, { hint: "pass the run's output directory (training.outputDir in rlaif.config.ts)" });
  }

  const report = await writeRunReport(runDir, values.output === undefined ? undefined : resolve(io.cwd, values.output));
  const { data } = report;
  for (const warning of data.warnings) io.stderr.write(`rlaif report: note: ${warning}\n`);
  if (data.batches.length === 0 && data.epochs.length === 0 && data.samples.total === 0 && data.health.length === 0) {
    io.stderr.write(`rlaif report: note: ${runDir} has no logs yet; the report is empty. Is this a run directory?\n`);
  }
  io.stdout.write(
    `Wrote ${report.path} (${Math.ceil(report.bytes / 1024)} KB): ${data.batches.length} batches, ${data.epochs.length} epochs, ` +
      `${data.health.length} health checks, ${data.samples.total} samples\n`,
  );
  return EXIT_CODES.ok;
}
