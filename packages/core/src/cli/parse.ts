import { RlaifError } from '../errors/index.js';

/** A bad command line; the CLI prints it and exits with `usage` (2). */
export class UsageError extends RlaifError {
  override readonly code = 'RLAIF_USAGE';
}

/** Runs a `node:util` parseArgs call, turning its errors into a UsageError naming the command. */
export function withUsageErrors<R>(command: string, parse: () => R): R {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`rlaif ${command}: ${(error as Error).message}`, { hint: `run \`rlaif ${command} --help\` for the flags it takes` });
  }
}
