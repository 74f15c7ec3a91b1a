/**
 * `rlaif init [dir]`: starts a project — a commented rlaif.config.ts (teacher chosen from the API keys
 * in the environment, the offline exec teacher otherwise) and data/train.jsonl — and prints the next
 * commands. Never overwrites a file. Example: npx rlaif init my-project
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { initProject } from '../../init/init-project.js';
import { STARTER_TASKS } from '../../init/starter-tasks.js';
import { EXIT_CODES } from '../command.js';
import type { CliCommand, CliIO } from '../command.js';
import { UsageError, withUsageErrors } from '../parse.js';

const HELP = `Usage: rlaif init [dir]

Writes a starter project into dir (default: the current directory), never overwriting a file:
  rlaif.config.ts     a commented config; the teacher is Anthropic, OpenAI or Gemini when
                      ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY is set, else the offline exec teacher
  data/train.jsonl    ${STARTER_TASKS.length} tasks with tests and references in Python, C++ and Rust
then prints the commands to run next.
  -h, --help          this help`;

/** The `rlaif init` command. */
export const initCommand: CliCommand = {
  name: 'init',
  summary: 'Start a project: a commented rlaif.config.ts and example data (never overwrites)',
  help: HELP,
  run: runInit,
};

async function runInit(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = withUsageErrors('init', () =>
    parseArgs({ args: [...argv], options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }),
  );
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT_CODES.ok;
  }
  if (positionals.length > 1) throw new UsageError(`rlaif init takes one directory, got ${positionals.length}: ${positionals.join(' ')}`);
  const dir = path.resolve(io.cwd, positionals[0] ?? '.');
  const result = await initProject(dir, io.env);

  const lines = [`rlaif init: ${dir}`];
  for (const file of result.written) lines.push(`  wrote ${file}`);
  for (const { file, existing } of result.kept) lines.push(`  kept  ${existing} (exists; ${file} not written)`);
  lines.push(`  teacher: ${result.teacher.ref} (${result.teacher.reason})`, '', 'Next:');
  const relative = path.relative(io.cwd, dir);
  if (relative !== '') lines.push(`  cd ${relative.includes(' ') ? JSON.stringify(relative) : relative}`);
  if (result.teacher.ref !== '@rlaif/teacher-exec') lines.push(`  npm i ${result.teacher.ref}          # the teacher's package`);
  lines.push(
    '  npx rlaif run --dry-run      # check the config and data, print the plan; loads no model',
    '  npx rlaif run                # train (downloads the student on first use)',
    '  npx rlaif run --resume       # continue from the latest checkpoint after a stop',
  );
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_CODES.ok;
}
