import { readFileSync } from 'node:fs';
import { RlaifError } from '../errors/index.js';
import { EXIT_CODES, type CliCommand, type CliIO } from './command.js';
import { COMMANDS } from './commands/index.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function overview(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'rlaif: reinforcement learning from AI feedback for code LLMs',
    '',
    'Usage: rlaif <command> [flags]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `rlaif <command> --help` for its flags. `rlaif --version` prints the version.',
    '',
    'Exit codes: 0 ok, 1 internal error, 2 bad command line, 3 invalid config or data, 4 plugin missing, 130 stopped (checkpoint saved).',
  ].join('\n');
}

/** Maps an error to its documented exit code. */
export function exitCodeOf(error: unknown): number {
  if (!RlaifError.isInstance(error)) return EXIT_CODES.internal;
  switch (error.code) {
    case 'RLAIF_USAGE':
      return EXIT_CODES.usage;
    // A checkpoint named on the command line that is missing or unreadable is bad input, not a bug.
    case 'RLAIF_CONFIG':
    case 'RLAIF_DATA':
    case 'RLAIF_CHECKPOINT':
      return EXIT_CODES.config;
    case 'RLAIF_PLUGIN':
      return EXIT_CODES.plugin;
    case 'RLAIF_STOPPED':
      return EXIT_CODES.stopped;
    default:
      return EXIT_CODES.internal;
  }
}

/** Runs the CLI with `argv` (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${overview(commands)}\n`);
    return name === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT_CODES.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`rlaif: unknown command '${name}'\n\n${overview(commands)}\n`);
    return EXIT_CODES.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const code = exitCodeOf(error);
    if (RlaifError.isInstance(error)) {
      io.stderr.write(`rlaif ${name}: ${error.message}\n`);
      if (code === EXIT_CODES.internal && error.cause) io.stderr.write(`  caused by: ${String((error.cause as Error)?.stack ?? error.cause)}\n`);
    } else {
      io.stderr.write(`rlaif ${name}: unexpected error (a bug; please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
    }
    return code;
  }
}
