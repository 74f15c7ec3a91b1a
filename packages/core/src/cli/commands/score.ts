/**
 * `rlaif score`: scores existing samples (prompt, language, code, optional tests and reference)
 * with the configured teacher and appends them to an output JSONL. Resumable: rows already in the
 * output are skipped, a torn last line is cut off, nothing is written twice.
 * Example: rlaif score --config rlaif.config.ts --input samples.jsonl --output scored.jsonl
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/index.js';
import { defaultTeacher } from '../../config/default-teacher.js';
import type { PluginRef } from '../../config/plugin-ref.js';
import type { PluginContext } from '../../contracts/plugin.js';
import type { TeacherUsage } from '../../contracts/score.js';
import { addUsage, ZERO_USAGE } from '../../contracts/score.js';
import type { Task } from '../../contracts/task.js';
import type { Candidate, Reference, Teacher } from '../../contracts/teacher.js';
import { taskFromRecord } from '../../data/read-tasks.js';
import { DataError, RlaifError, RunStoppedError } from '../../errors/rlaif-error.js';
import { AppendOnlyFile } from '../../io/append-only-file.js';
import { readCompleteLines } from '../../io/complete-lines.js';
import type { Logger } from '../../observability/logger.js';
import { createLogger } from '../../observability/create-logger.js';
import type { LogLevel } from '../../observability/create-logger.js';
import { resolvePlugin } from '../../plugins/resolve.js';
import { contentHash } from '../../teacher-kit/response-cache.js';
import { RUBRIC_VERSION } from '../../teacher-kit/rubric.js';
import { mapWithConcurrency } from '../../trainer/concurrency.js';
import { checkedResult, isStop, NO_REASON, NO_REFERENCE, scoreTask } from '../../trainer/scoring.js';
import type { TaskVerdict } from '../../trainer/scoring.js';
import type { CliCommand, CliIO } from '../command.js';
import { EXIT_CODES } from '../command.js';
import { UsageError, withUsageErrors } from '../parse.js';

const HELP = `Usage: rlaif score --input <samples.jsonl> --output <scored.jsonl> [--config <file>] [flags]

Scores existing samples with the configured teacher. Each input line is
{"prompt", "language", "code", "id"?, "tests"?, "reference"?, ...}; samples with the same task are
judged together in one listwise request. Without a reference the teacher writes one, or (exec)
scores on the tests alone. A row left unscored says why in "unscored"; the summary counts reasons.
Rerunning resumes: rows already in the output are skipped.
  -c, --config <file>          rlaif config whose \`teacher\` to use (default: searched from the cwd)
  -i, --input <file>           samples to score (JSONL)
  -o, --output <file>          scored rows are appended here (JSONL; created if missing)
  --teacher <package>          use this teacher package instead of the config's, e.g. @rlaif/teacher-openai
  --teacher-options <file>     JSON options for --teacher, e.g. {"model": "gpt-4.1-mini"}
  --group-size <n>             most samples judged in one request (default 8)
  --concurrency <n>            task groups scored at once (default 8; the teacher also limits requests)
  --batch                      use the provider's batch API (cheaper, may take hours; resumable)
  --dry-run                    print the estimated requests, tokens and cost of the pending rows; spend nothing
  --cache-dir <dir>            teacher response cache (default: .rlaif-cache next to the output)
  --seed <n>                   seed of the listwise shuffle (default: training.seed or 42)
  --log-level <level>          error | warn | info | debug (default warn)
  -h, --help                   this help

Exit codes: 0 done, 2 bad flags, 3 invalid config or input, 4 teacher missing, 130 budget reached, 1 internal error.`;

const FLAGS = {
  config: { type: 'string', short: 'c' },
  input: { type: 'string', short: 'i' },
  output: { type: 'string', short: 'o' },
  teacher: { type: 'string' },
  'teacher-options': { type: 'string' },
  'group-size': { type: 'string' },
  concurrency: { type: 'string' },
  batch: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  seed: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** One input sample. */
interface SampleRow {
  readonly id: string;
  readonly line: number;
  readonly task: Task;
  readonly code: string;
  readonly raw: Record<string, unknown>;
}

/** Samples of one task, judged in one request. */
interface SampleGroup {
  readonly task: Task;
  readonly rows: readonly SampleRow[];
}

/** The `rlaif score` command. */
export const scoreCommand: CliCommand = {
  name: 'score',
  summary: 'Score existing samples with the teacher (resumable JSONL in, JSONL out)',
  help: HELP,
  run: runScore,
};

async function runScore(argv: readonly string[], io: CliIO): Promise<number> {
  const { values } = withUsageErrors('score', () => parseArgs({ args: [...argv], options: FLAGS, allowPositionals: false, strict: true }));
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT_CODES.ok;
  }
  if (!values.input || !values.output) throw new UsageError('rlaif score needs --input and --output', { hint: 'usage: rlaif score --input samples.jsonl --output scored.jsonl' });
  const level = values['log-level'] ?? 'warn';
  if (!['error', 'warn', 'info', 'debug'].includes(level)) throw new UsageError(`--log-level must be one of error, warn, info, debug; got '${level}'`);
  const groupSize = positiveInt(values['group-size'], 8, '--group-size');
  const concurrency = positiveInt(values.concurrency, 8, '--concurrency');
  const input = path.resolve(io.cwd, values.input);
  const output = path.resolve(io.cwd, values.output);

  const { teacher, seed } = await resolveTeacher(values, io);
  const rows = parseSamples(await readInput(input), input);
  const done = await completedIds(output, !values['dry-run']);
  const pending = rows.filter((row) => !done.has(row.id));
  const groups = groupByTask(pending, groupSize);
  if (values['dry-run']) {
    io.stdout.write(estimateText(teacher, groups, rows.length - pending.length));
    return EXIT_CODES.ok;
  }

  const logger = createLogger({ level: level as LogLevel, stream: io.stderr });
  const controller = new AbortController();
  const context: PluginContext = {
    runDir: path.dirname(output),
    cacheDir: path.resolve(io.cwd, values['cache-dir'] ?? path.join(path.dirname(output), '.rlaif-cache')),
    logger,
    seed: values.seed === undefined ? seed : positiveInt(values.seed, seed, '--seed'),
    signal: controller.signal,
  };
  await teacher.setup?.(context);
  const file = await AppendOnlyFile.open(output);
  const tally: Tally = { scored: 0, unscored: 0, reasons: new Map() };
  const write: WriteVerdict = async (group, verdict) => {
    for (const [i, row] of group.rows.entries()) {
      const score = verdict.scores[i] ?? null;
      const reason = score ? null : (verdict.reasons[i] ?? NO_REASON);
      if (reason === null) tally.scored++;
      else {
        tally.unscored++;
        const kind = reasonKind(reason);
        tally.reasons.set(kind, (tally.reasons.get(kind) ?? 0) + 1);
      }
      const fields = { ...row.raw, id: row.id, score, referenceScore: verdict.referenceScore, teacher: teacher.name, rubricVersion: RUBRIC_VERSION };
      await file.append(JSON.stringify(reason === null ? fields : { ...fields, unscored: reason }));
    }
    await file.flush();
  };
  let stopped: RunStoppedError | undefined;
  // Ctrl-C aborts in-flight calls with a stop reason: rows written so far stay, a rerun resumes.
  const onSignal = (signal: NodeJS.Signals) => controller.abort(new RunStoppedError(`${signal} received`, 'signal', { hint: 'rerun the same command to resume' }));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const options = { signal: controller.signal, logger };
  try {
    if (values.batch && teacher.scoreBatch) await scoreInBatch(teacher, groups, write, options);
    else await mapWithConcurrency(groups, concurrency, async (group) => write(group, await scoreTask(teacher, group.task, candidatesOf(group), options)));
  } catch (error) {
    // Checked by code, not class: the teacher may carry its own copy of @rlaif/core.
    if (!(RlaifError.isInstance(error) && error.code === 'RLAIF_STOPPED')) throw error;
    stopped = error as RunStoppedError;
    if (!controller.signal.aborted) controller.abort(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await file.close();
    await teacher.close?.();
    await logger.close();
  }
  io.stdout.write(summary(rows.length, rows.length - pending.length, tally, teacher.usage()));
  if (stopped) {
    io.stderr.write(`rlaif score: stopped: ${stopped.message}\n`);
    return EXIT_CODES.stopped;
  }
  return EXIT_CODES.ok;
}

/** The teacher from --teacher/--teacher-options, else the config's `teacher` (or the default choice). */
async function resolveTeacher(values: { config?: string; teacher?: string; 'teacher-options'?: string }, io: CliIO): Promise<{ teacher: Teacher; seed: number }> {
  if (values.teacher !== undefined) {
    let options: Record<string, unknown> = {};
    if (values['teacher-options'] !== undefined) {
      const file = path.resolve(io.cwd, values['teacher-options']);
      try {
        options = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      } catch (error) {
        throw new DataError(`cannot read teacher options: ${(error as Error).message}`, file, undefined, { hint: 'give a JSON object such as {"model": "gpt-4.1-mini"}' });
      }
    }
    const teacher = await resolvePlugin({ use: values.teacher, ...options }, { expectedKind: 'teacher', keyPath: '--teacher', configFile: undefined, cwd: io.cwd });
    return { teacher, seed: 42 };
  }
  if (values['teacher-options'] !== undefined) throw new UsageError('--teacher-options needs --teacher', { hint: 'name the teacher package with --teacher, or set `teacher` in the config' });
  const loaded = await loadConfig({ configPath: values.config, cwd: io.cwd });
  const ref: PluginRef = loaded.config.teacher ?? defaultTeacher(io.env).ref;
  const teacher = await resolvePlugin(ref, { expectedKind: 'teacher', keyPath: 'teacher', configFile: loaded.file, cwd: io.cwd });
  return { teacher, seed: loaded.config.training.seed };
}

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new DataError(`cannot read samples (${(error as NodeJS.ErrnoException).code ?? String(error)})`, file, undefined, {
      hint: 'pass a JSONL file of {"prompt", "language", "code"} rows with --input',
      cause: error,
    });
  }
}

/** Parses the sample rows with core's task parser; every bad line is a DataError naming file:line. */
export function parseSamples(text: string, file: string): SampleRow[] {
  const rows: SampleRow[] = [];
  const seen = new Map<string, number>();
  text.replace(/^\uFEFF/, '').split('\n').forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      throw new DataError(`invalid JSON: ${(error as Error).message}`, file, lineNo, { hint: 'each line must be one JSON object' });
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new DataError('expected a JSON object', file, lineNo, { hint: 'each line must be {"prompt", "language", "code", ...}' });
    const record = raw as Record<string, unknown>;
    if (typeof record['code'] !== 'string') throw new DataError('"code" must be a string', file, lineNo, { hint: 'each line needs "prompt", "language" and "code"' });
    // The row's `id` names the sample (default line-<n>); its task is `task_id`, else its content.
    const { id, language, prompt, tests, reference } = taskFromRecord(record, file, lineNo, 'line');
    if (seen.has(id)) throw new DataError(`duplicate id "${id}" (first on line ${seen.get(id)})`, file, lineNo, { hint: 'give every row a unique "id", or omit ids to use line numbers' });
    seen.set(id, lineNo);
    const present = (value: string | undefined) => (value !== undefined && value.trim() !== '' ? value : undefined);
    const task: Task = {
      id: typeof record['task_id'] === 'string' ? record['task_id'] : `task-${contentHash({ language, prompt, tests: present(tests), reference: present(reference) }).slice(0, 12)}`,
      language,
      prompt,
      ...(present(tests) === undefined ? {} : { tests }),
      ...(present(reference) === undefined ? {} : { reference }),
      extra: {},
    };
    rows.push({ id, line: lineNo, task, code: record['code'], raw: record });
  });
  return rows;
}

/**
 * Ids already in the output. A last line without its newline (a crash mid-write) is ignored and,
 * with `repair`, cut off, so appending continues on a clean line boundary.
 */
export async function completedIds(output: string, repair: boolean): Promise<Set<string>> {
  return idsIn(await readCompleteLines(output, { repair }), output);
}

function idsIn(text: string, output: string): Set<string> {
  const ids = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      const id = (JSON.parse(line) as { id?: unknown }).id;
      if (typeof id === 'string') ids.add(id);
    } catch (error) {
      throw new DataError(`invalid JSON in the output: ${(error as Error).message}`, output, index + 1, { hint: 'fix or delete that line, then rerun to resume' });
    }
  });
  return ids;
}

/** Groups rows by task, at most `size` per group, in input order. */
function groupByTask(rows: readonly SampleRow[], size: number): SampleGroup[] {
  const byTask = new Map<string, SampleRow[]>();
  for (const row of rows) {
    const list = byTask.get(row.task.id) ?? [];
    list.push(row);
    byTask.set(row.task.id, list);
  }
  const groups: SampleGroup[] = [];
  for (const list of byTask.values()) {
    for (let i = 0; i < list.length; i += size) groups.push({ task: (list[0] as SampleRow).task, rows: list.slice(i, i + size) });
  }
  return groups;
}

const candidatesOf = (group: SampleGroup): Candidate[] => group.rows.map((row) => ({ code: row.code }));

type WriteVerdict = (group: SampleGroup, verdict: Omit<TaskVerdict, 'reference' | 'usage'>) => Promise<void>;

/** Scored and unscored rows, and how many rows each kind of reason left unscored. */
interface Tally {
  scored: number;
  unscored: number;
  readonly reasons: Map<string, number>;
}

/** The kind of an unscored reason, for counting: its text before the first ': '. */
const reasonKind = (reason: string): string => reason.split(': ')[0] ?? reason;

/** Scores every group in one call of the teacher's batch API; references are fetched first. */
async function scoreInBatch(teacher: Teacher, groups: readonly SampleGroup[], write: WriteVerdict, options: { signal: AbortSignal; logger: Logger }): Promise<void> {
  const ready: { group: SampleGroup; reference: Reference | null }[] = [];
  for (const group of groups) {
    try {
      ready.push({ group, reference: await teacher.reference(group.task, { signal: options.signal }) });
    } catch (error) {
      if (isStop(error, options.signal)) throw error;
      const reason = `${NO_REFERENCE}: ${(error as Error).message}`;
      await write(group, { scores: group.rows.map(() => null), reasons: group.rows.map(() => reason), referenceScore: null });
    }
  }
  const results = await teacher.scoreBatch!(ready.map(({ group, reference }) => ({ task: group.task, candidates: candidatesOf(group), reference })), { signal: options.signal });
  for (const [i, { group }] of ready.entries()) {
    const result = results[i];
    await write(group, result ? checkedResult(teacher, result, group.rows.length) : { scores: group.rows.map(() => null), reasons: group.rows.map(() => 'the batch returned no result'), referenceScore: null });
  }
}

function positiveInt(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (flag === '--seed' ? 0 : 1)) throw new UsageError(`${flag} must be a ${flag === '--seed' ? 'non-negative' : 'positive'} integer, got '${value}'`);
  return n;
}

/** The dry-run plan: what scoring the pending groups would cost, from the teacher's own estimate. */
function estimateText(teacher: Teacher, groups: readonly SampleGroup[], skipped: number): string {
  const samples = groups.reduce((n, g) => n + g.rows.length, 0);
  if (!teacher.estimate) return `Dry run: ${samples} samples in ${groups.length} requests (${skipped} already done); ${teacher.name} gives no cost estimate (free or offline).\n`;
  let total: TeacherUsage = ZERO_USAGE;
  for (const group of groups) total = addUsage(total, teacher.estimate(group.task, group.rows.length));
  return (
    `Dry run: ${samples} samples in ${groups.length} groups (${skipped} already done). Estimated ${total.requests} requests, ` +
    `${total.inputTokens} input and ${total.outputTokens} output tokens, $${total.costUSD.toFixed(4)} before cache hits.\n`
  );
}

function summary(total: number, skipped: number, tally: Tally, cumulative: TeacherUsage): string {
  const calls = cumulative.requests + cumulative.cacheHits;
  const hitRate = calls === 0 ? 0 : cumulative.cacheHits / calls;
  const reasons = [...tally.reasons].sort((a, b) => b[1] - a[1]).map(([kind, count]) => `  ${count} × ${kind}`);
  return [
    `Scored ${tally.scored} samples, ${tally.unscored} unscored, ${skipped} already done (of ${total}).`,
    ...(reasons.length > 0 ? ['Unscored (see "unscored" in each row):', ...reasons] : []),
    `Teacher: ${cumulative.requests} requests, ${cumulative.inputTokens} input tokens (${cumulative.cachedInputTokens} cached), ` +
      `${cumulative.outputTokens} output tokens, $${cumulative.costUSD.toFixed(4)}, response-cache hit rate ${(hitRate * 100).toFixed(1)}%.`,
    '',
  ].join('\n');
}
