import { readFile, stat } from 'node:fs/promises';
import { DataError } from '@rlaif/core';

/** A parsed JSON object (string keys, unknown values). */
export type JsonObject = Record<string, unknown>;

/** Reads a JSON file that must hold an object; a missing file or bad JSON is a DataError naming the file. */
export async function readJsonObject(file: string): Promise<JsonObject> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new DataError('cannot read the file', file, undefined, {
      hint: 'check that the model folder is complete (download it again or fix the path)',
      cause,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new DataError(`invalid JSON: ${(cause as Error).message}`, file, lineOfJsonError(text, cause), {
      hint: 'fix the JSON syntax or download the file again',
      cause,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DataError('expected a JSON object at the top level', file, 1, { hint: 'download the file again' });
  }
  return parsed as JsonObject;
}

/** Reads an optional JSON object: undefined when the file does not exist. */
export async function readOptionalJsonObject(file: string): Promise<JsonObject | undefined> {
  return (await fileExists(file)) ? readJsonObject(file) : undefined;
}

// V8 reports "at position N"; turn it into a 1-based line for the error.
function lineOfJsonError(text: string, cause: unknown): number | undefined {
  const match = /position (\d+)/.exec(String((cause as Error).message));
  if (!match?.[1]) return undefined;
  return text.slice(0, Number(match[1])).split('\n').length;
}

/** True when `file` exists and is a regular file (symlinks followed). */
export async function fileExists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
