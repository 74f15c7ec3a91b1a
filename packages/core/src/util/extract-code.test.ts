import { describe, expect, it } from 'vitest';
import { extractCode, looksLikeCode } from './extract-code.js';

describe('extractCode', () => {
  it("prefers the block tagged with the task's language", () => {
    expect(extractCode('x\n```text\nno no no no\n```\n```python\nprint(1)\n```', 'python')).toBe('print(1)');
    expect(extractCode('```rs\nfn main() {}\n```', 'rust')).toBe('fn main() {}');
  });

  it('takes the longest block without a language or a tagged block', () => {
    expect(extractCode('```\na\n```\ntext\n```js\nlonger()\n```')).toBe('longer()');
  });

  it('keeps indentation and reads an unterminated fence', () => {
    expect(extractCode('intro\n```cpp\nint main() {', 'cpp')).toBe('int main() {');
    expect(extractCode('```python\n\n    return x\n```', 'python')).toBe('    return x');
  });

  it('returns an unfenced reply whole', () => {
    expect(extractCode('just code\n', 'python')).toBe('just code');
  });
});

describe('looksLikeCode', () => {
  it('tells code from a refusal or prose in each language', () => {
    expect(looksLikeCode('def add(a, b):\n    return a + b', 'python')).toBe(true);
    expect(looksLikeCode('int add(int a, int b) { return a + b; }', 'cpp')).toBe(true);
    expect(looksLikeCode('fn add(a: i32, b: i32) -> i32 {\n    a + b\n}', 'rust')).toBe(true);
    for (const language of ['python', 'cpp', 'rust'] as const) {
      expect(looksLikeCode("I'm sorry, but I can't help with that.", language)).toBe(false);
      expect(looksLikeCode('Here is how you would do it: add the two numbers and return the sum.', language)).toBe(false);
      expect(looksLikeCode('', language)).toBe(false);
    }
  });
});
