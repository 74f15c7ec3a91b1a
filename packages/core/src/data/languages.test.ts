import { describe, expect, it } from 'vitest';
import { describeAcceptedLanguages, parseLanguage } from './languages.js';

describe('parseLanguage', () => {
  it.each([
    ['python', 'python'],
    ['Py', 'python'],
    ['PYTHON3', 'python'],
    ['c++', 'cpp'],
    ['CXX', 'cpp'],
    ['cc', 'cpp'],
    ['cpp17', 'cpp'],
    [' C++17 ', 'cpp'],
    ['rs', 'rust'],
    ['Rust', 'rust'],
  ])('%s → %s', (input, expected) => {
    expect(parseLanguage(input)).toBe(expected);
  });

  it('returns null for unknown names, including Object.prototype keys', () => {
    expect(parseLanguage('java')).toBeNull();
    expect(parseLanguage('')).toBeNull();
    expect(parseLanguage('constructor')).toBeNull();
    expect(parseLanguage('toString')).toBeNull();
  });

  it('lists every language with its aliases', () => {
    const text = describeAcceptedLanguages();
    expect(text).toContain('python (py, python3');
    expect(text).toContain('cpp (c++');
    expect(text).toContain('rust (rs)');
  });
});
