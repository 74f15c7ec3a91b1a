import { describe, expect, it } from 'vitest';
import { BYTE_CHARS, byteLevelWords } from './byte-level.js';
import { learnBpe } from './bpe-trainer.js';

describe('learnBpe', () => {
  it('starts from the 256 byte tokens, in byte order', () => {
    const { tokens, merges } = learnBpe([], { vocabSize: 256 });
    expect(tokens).toEqual(BYTE_CHARS);
    expect(new Set(tokens).size).toBe(256);
    expect(merges).toEqual([]);
    // Space and newline are shifted to printable stand-ins, as in GPT-2 and Qwen.
    expect(BYTE_CHARS[32]).toBe('Ġ');
    expect(BYTE_CHARS[10]).toBe('Ċ');
    expect(BYTE_CHARS[65]).toBe('A');
  });

  it('merges the most frequent pair first and builds longer tokens from earlier ones', () => {
    const { tokens, merges } = learnBpe(['abab abab abab xy'], { vocabSize: 259 });
    // "abab" ×1 and " abab" ×2 (the space joins the word): a·b occurs 6 times, more than any other pair.
    expect(merges[0]).toEqual(['a', 'b']);
    expect(merges[1]).toEqual(['ab', 'ab']);
    expect(tokens.slice(256)).toEqual(['ab', 'abab', 'Ġabab']);
  });

  it('stops when no pair repeats, below the requested size', () => {
    const { tokens } = learnBpe(['one two'], { vocabSize: 1000 });
    expect(tokens.length).toBe(256);
  });

  it('is deterministic', () => {
    const corpus = ['for x in xs if x > 2', 'for (int x : xs) if (x > 2)', 'xs.iter().filter(|&&x| x > 2)'];
    expect(learnBpe(corpus, { vocabSize: 300 })).toEqual(learnBpe(corpus, { vocabSize: 300 }));
  });
});

describe('byteLevelWords', () => {
  it('splits like Qwen2: one leading non-letter per word, single digits, newline runs apart', () => {
    expect(byteLevelWords('x = 12;\n\n  y')).toEqual(['x', 'Ġ=', 'Ġ', '1', '2', ';ĊĊ', 'Ġ', 'Ġy']);
  });
});
