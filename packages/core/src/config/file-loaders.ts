/**
 * Readers for each config format. TypeScript and JavaScript configs run through jiti, so a config may
 * import the user's own `.ts` files (their reward functions); JSON and YAML errors name the line.
 */
import { createJiti } from 'jiti';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../errors/rlaif-error.js';

/** Loads `rlaif.config.{ts,mts,js,mjs,cjs}`: the default export, called first if it is a function. */
export async function loadScriptConfig(file: string): Promise<unknown> {
  // A fresh jiti per load with the module cache off, so an edited config (or reward file) is re-read.
  const jiti = createJiti(file, { moduleCache: false, interopDefault: true });
  let exported: unknown;
  try {
    exported = await jiti.import(file, { default: true });
    if (typeof exported === 'function') exported = await (exported as () => unknown)();
  } catch (error) {
    throw new ConfigError(`could not run the config file: ${error instanceof Error ? error.message : String(error)}`, undefined, file, {
      hint: 'fix the error above; the config runs as a module, so its imports (e.g. your reward .ts files) must load too',
      cause: error,
    });
  }
  return exported;
}

/** Parses `.rlaifrc.json`; a syntax error names the line and column. */
export function parseJsonConfig(file: string, content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message)?.[1];
    // Newer V8 messages may omit the offset; the YAML parser (a JSON superset) then finds the line.
    const where = position === undefined ? yamlErrorPosition(content) : offsetToLineColumn(content, Number(position));
    throw new ConfigError(`invalid JSON${where ? ` at line ${where.line}, column ${where.column}` : ''}: ${message}`, undefined, file, {
      hint: `fix the JSON syntax${where ? ` at line ${where.line}` : ''} (a missing comma or quote, or a trailing comma)`,
      cause: error,
    });
  }
}

/** Parses `.rlaifrc.yaml|yml`; a syntax error names the line and column. */
export function parseYamlConfig(file: string, content: string): unknown {
  const doc = parseDocument(content);
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    throw new ConfigError(`invalid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${(first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`, undefined, file, {
      hint: `fix the YAML syntax${pos ? ` at line ${pos.line}` : ''} (indentation, a missing ':' or an unclosed quote)`,
      cause: first,
    });
  }
  return doc.toJS() as unknown;
}

/** Maps a key path to its 1-based line in a JSON or YAML source; the nearest existing parent if the key is absent. */
export function createLineLocator(content: string): (path: readonly PropertyKey[]) => number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, prettyErrors: false });
  return (path) => {
    for (let length = path.length; length > 0; length--) {
      const node: unknown = doc.getIn(path.slice(0, length) as unknown[], true);
      const range = (node as { range?: readonly number[] } | undefined)?.range;
      if (range?.[0] !== undefined) return lineCounter.linePos(range[0]).line;
    }
    return undefined;
  };
}

function offsetToLineColumn(content: string, offset: number): { line: number; column: number } {
  const before = content.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function yamlErrorPosition(content: string): { line: number; column: number } | undefined {
  const pos = parseDocument(content).errors[0]?.linePos?.[0];
  return pos ? { line: pos.line, column: pos.col } : undefined;
}
