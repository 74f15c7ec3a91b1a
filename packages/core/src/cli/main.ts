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
    'Exit codes: 0 ok, 1 internal error, 2 bad command line, 3 invalid config or data, 4 plugin missing, 5 hub upload failed (outputs kept), 130 stopped (checkpoint saved).',
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
    case 'RLAIF_HUB':
      return EXIT_CODES.hub;
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
      if (code === EXIT_CODES.internal && error.cause) io.stderr.write(causeLines(error.cause, debugRequested(rest)));
    } else {
      io.stderr.write(`rlaif ${name}: unexpected error (a bug; please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
    }
    return code;
  }
}

// The engine's stack trace is for whoever asks for it (`--log-level debug`); everyone else gets its first line.
function causeLines(cause: unknown, debug: boolean): string {
  if (debug) return `  caused by: ${String((cause as Error)?.stack ?? cause)}\n`;
  const message = String((cause as Error)?.message ?? cause).split('\n')[0];
  return `  caused by: ${message}\n  (run again with --log-level debug for the stack trace)\n`;
}

function debugRequested(argv: readonly string[]): boolean {
  const at = argv.indexOf('--log-level');
  return argv.includes('--log-level=debug') || (at >= 0 && argv[at + 1] === 'debug');
}
