import { readFile } from 'node:fs/promises';
import { AppendOnlyFile } from './append-only-file.js';

/**
 * The complete lines of a JSONL file that only grows (a missing file is empty). A last line without
 * its newline, from a crash mid-write, is left out and, with `repair`, cut off the file so the next
 * append starts on a clean line.
 */
export async function readCompleteLines(path: string, options: { readonly repair: boolean }): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
  if (text.length === 0 || text.endsWith('\n')) return text;
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  if (options.repair) await AppendOnlyFile.truncateTo(path, Buffer.byteLength(complete));
  return complete;
}
