/** The shape of one `rlaif <command>`: parsed by `node:util` parseArgs, run with injectable streams. */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface CliCommand {
  /** The word after `rlaif`. */
  readonly name: string;
  /** One line for `rlaif --help`. */
  readonly summary: string;
  /** Full help text for `rlaif <name> --help`: usage line, then one line per flag. */
  readonly help: string;
  /** Runs the command; resolves to the process exit code (see EXIT_CODES). */
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

/** Documented exit codes of the `rlaif` CLI. */
export const EXIT_CODES = {
  ok: 0,
  /** Unexpected internal error (a bug: please report it). */
  internal: 1,
  /** Bad command line: unknown flag, missing argument. */
  usage: 2,
  /** Invalid config or input data (including a missing or unreadable checkpoint). */
  config: 3,
  /** A plugin package is missing or broken. */
  plugin: 4,
  /** An upload to the Hugging Face hub failed or was refused; the run's outputs are kept. */
  hub: 5,
  /** Stopped on request (Ctrl-C) or by the budget, after saving a checkpoint. */
  stopped: 130,
} as const;
