import { describe, expect, it } from 'vitest';
import { extractCode } from './extract-code.js';

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
