/**
 * Greedy byte-level BPE training: start from the 256 byte tokens and repeatedly merge the most
 * frequent adjacent pair inside pre-tokenized words, until the vocabulary reaches its target size.
 */
import { BYTE_CHARS, byteLevelWords } from './byte-level.js';

/** The learned vocabulary: byte tokens first (id = byte value), then one token per new merge. */
export interface BpeVocabulary {
  /** Token strings by id, in byte-level characters. */
  readonly tokens: readonly string[];
  /** Merges in rank order, as `[left, right]` pairs of token strings. */
  readonly merges: readonly (readonly [string, string])[];
}

/** Options of `learnBpe`. */
export interface LearnBpeOptions {
  /** Stop once the vocabulary (bytes plus merged tokens) has this many tokens. */
  readonly vocabSize: number;
  /** A pair must occur at least this often to be merged (default 2). */
  readonly minFrequency?: number;
}

interface Word {
  symbols: string[];
  readonly count: number;
}

// Pair keys join the two tokens with NUL, which byte-level tokens never contain.
const SEPARATOR = '\u0000';

function countPairs(words: readonly Word[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) {
    for (let i = 0; i + 1 < word.symbols.length; i += 1) {
      const key = `${word.symbols[i]}${SEPARATOR}${word.symbols[i + 1]}`;
      counts.set(key, (counts.get(key) ?? 0) + word.count);
    }
  }
  return counts;
}

function mostFrequent(counts: ReadonlyMap<string, number>): [string, number] | undefined {
  let best: [string, number] | undefined;
  for (const [key, count] of counts) {
    // Ties go to the smaller key so training is deterministic whatever the Map order.
    if (!best || count > best[1] || (count === best[1] && key < best[0])) best = [key, count];
  }
  return best;
}

function mergeInto(word: Word, left: string, right: string): void {
  const out: string[] = [];
  for (let i = 0; i < word.symbols.length; i += 1) {
    if (i + 1 < word.symbols.length && word.symbols[i] === left && word.symbols[i + 1] === right) {
      out.push(left + right);
      i += 1;
    } else {
      out.push(word.symbols[i] as string);
    }
  }
  word.symbols = out;
}

/** Learns byte-level BPE merges from `corpus`; with `vocabSize` 256 (or an empty corpus) it is plain bytes. */
export function learnBpe(corpus: readonly string[], options: LearnBpeOptions): BpeVocabulary {
  const minFrequency = options.minFrequency ?? 2;
  const wordCounts = new Map<string, number>();
  for (const text of corpus) {
    for (const word of byteLevelWords(text)) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  }
  const words: Word[] = [...wordCounts].map(([word, count]) => ({ symbols: Array.from(word), count }));
  const tokens = [...BYTE_CHARS];
  const known = new Set(tokens);
  const merges: [string, string][] = [];
  while (tokens.length < options.vocabSize) {
    const best = mostFrequent(countPairs(words));
    if (!best || best[1] < minFrequency) break;
    const [left, right] = best[0].split(SEPARATOR) as [string, string];
    merges.push([left, right]);
    if (!known.has(left + right)) {
      known.add(left + right);
      tokens.push(left + right);
    }
    for (const word of words) mergeInto(word, left, right);
  }
  return { tokens, merges };
}
