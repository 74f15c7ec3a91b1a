/**
 * Flags whose value is optional (`--resume [path|latest]`), which node:util parseArgs cannot express:
 * a bare flag gets its default value before parsing.
 */
import path from 'node:path';

const CONFIG_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.yaml', '.yml']);

/** True for what reads as a config file (the positional of `rlaif run`), never a checkpoint directory. */
function isConfigFileArgument(arg: string): boolean {
  return CONFIG_EXTENSIONS.has(path.extname(arg)) || path.basename(arg).startsWith('.rlaifrc');
}

/**
 * Returns `argv` with `flag` followed by `value` wherever it stands bare: at the end, before another
 * flag, or before a config file (`rlaif run --resume rlaif.config.ts` = resume latest with that config).
 */
export function fillBareFlag(argv: readonly string[], flag: string, value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    out.push(arg);
    if (arg === '--') {
      out.push(...argv.slice(i + 1));
      break;
    }
    if (arg !== flag) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('-') || isConfigFileArgument(next)) out.push(value);
  }
  return out;
}
