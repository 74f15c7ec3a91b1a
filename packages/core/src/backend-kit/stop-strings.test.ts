import { describe, expect, it } from 'vitest';
import { findStopString } from './stop-strings.js';

describe('findStopString', () => {
  it('finds the earliest stop, including one that straddles the previously searched text', () => {
    expect(findStopString('abc```def', ['```'], 4)).toBe(3);
    expect(findStopString('x END y STOP', ['STOP', 'END'], 0)).toBe(2);
    expect(findStopString('abc', ['d', ''], 0)).toBe(-1);
    // Text before fromLength − (stop length − 1) was searched by an earlier call and is skipped.
    expect(findStopString('END and more', ['END'], 10)).toBe(-1);
  });
});
