import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** What a tolerant JSONL read found besides the rows. */
export interface JsonLinesStats {
  /** The file does not exist (yet). */
  missing: boolean;
  /** Rows that parsed as JSON objects. */
  rows: number;
  /** 1-based numbers of interior lines that were not JSON objects; they are skipped. */
  malformedLines: number[];
  /** The last line did not parse: a write in progress or cut off by a crash; it is ignored. */
  tornTail: boolean;
}

/**
 * Streams the JSON objects of a JSONL file that may still be growing: blank lines are skipped,
 * an unparsable last line is treated as torn, other bad lines are counted. Missing file = no rows.
 */
export async function forEachJsonLine(path: string, visit: (row: Record<string, unknown>, line: number) => void): Promise<JsonLinesStats> {
  const stats: JsonLinesStats = { missing: false, rows: 0, malformedLines: [], tornTail: false };
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<boolean>((resolve, reject) => {
    stream.once('open', () => resolve(true));
    stream.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
  });
  if (!(await opened)) {
    stats.missing = true;
    return stats;
  }
  let lineNumber = 0;
  // The last bad line is only known to be torn once the file ends, so judge one line late.
  let pendingBad: number | undefined;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (text.trim() === '') continue;
    if (pendingBad !== undefined) stats.malformedLines.push(pendingBad);
    pendingBad = undefined;
    const row = parseObject(text);
    if (row) {
      stats.rows += 1;
      visit(row, lineNumber);
    } else {
      pendingBad = lineNumber;
    }
  }
  stats.tornTail = pendingBad !== undefined;
  return stats;
}

/** Reads all JSON objects of a JSONL file with `forEachJsonLine`'s tolerance. */
export async function readJsonLines(path: string): Promise<{ rows: Record<string, unknown>[]; stats: JsonLinesStats }> {
  const rows: Record<string, unknown>[] = [];
  const stats = await forEachJsonLine(path, (row) => rows.push(row));
  return { rows, stats };
}

/** Reads a JSON object file; undefined when missing, and an `error` message when it does not parse. */
export async function readJsonObject(path: string): Promise<{ value?: Record<string, unknown>; error?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { error: (error as Error).message };
  }
  const value = parseObject(text);
  return value ? { value } : { error: 'not a JSON object' };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
