import { LANGUAGES } from '../contracts/task.js';
import type { Language } from '../contracts/task.js';

/** Every spelling `parseLanguage` accepts, mapped to its canonical language (keys lower-case). */
export const LANGUAGE_ALIASES: Readonly<Record<string, Language>> = {
  python: 'python',
  py: 'python',
  python3: 'python',
  py3: 'python',
  cpp: 'cpp',
  'c++': 'cpp',
  cxx: 'cpp',
  cc: 'cpp',
  cplusplus: 'cpp',
  cpp11: 'cpp',
  cpp14: 'cpp',
  cpp17: 'cpp',
  cpp20: 'cpp',
  'c++11': 'cpp',
  'c++14': 'cpp',
  'c++17': 'cpp',
  'c++20': 'cpp',
  rust: 'rust',
  rs: 'rust',
};

/** Normalises a language name or alias (`Py`, `c++`, `rs`, …) case-insensitively; unknown → null. */
export function parseLanguage(value: string): Language | null {
  const key = value.trim().toLowerCase();
  // hasOwn: plain-object lookup would otherwise accept `constructor` or `toString`.
  return Object.hasOwn(LANGUAGE_ALIASES, key) ? (LANGUAGE_ALIASES[key] ?? null) : null;
}

/** Human-readable list of accepted names for error messages: `python (py, python3, py3), cpp (…)`. */
export function describeAcceptedLanguages(): string {
  return LANGUAGES.map((language) => {
    const aliases = Object.keys(LANGUAGE_ALIASES).filter((alias) => alias !== language && LANGUAGE_ALIASES[alias] === language);
    return `${language} (${aliases.join(', ')})`;
  }).join('; ');
}
