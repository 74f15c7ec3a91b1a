/** Small tasks and candidates in each language, shared by the tests. */
import type { Language, Task } from '@rlaif/core';

/** A task with tests and a reference, in `language`. */
export function task(language: Language, id: string, tests: string, reference: string): Task {
  return { id, language, prompt: `write add (${language})`, tests, reference, extra: {} };
}

export const PY_TESTS = `def test_small():
    assert add(1, 2) == 3

def test_negative():
    assert add(-1, -1) == -2
`;

export const PY = {
  correct: `def add(a, b):
    """Return the sum of a and b."""
    return a + b
`,
  wrong: `def add(a, b):
    return a - b
`,
  syntaxError: `def add(a, b)
    return a + b
`,
  timeout: `def add(a, b):
    while True:
        pass
`,
};

export const CPP_TESTS = `#include <cassert>
void test_small() { assert(add(1, 2) == 3); }
void test_negative() { assert(add(-1, -1) == -2); }
`;

export const CPP = {
  correct: `// Returns the sum of a and b.
int add(int a, int b) { return a + b; }
`,
  wrong: `int add(int a, int b) { return a - b; }
`,
  syntaxError: `int add(int a, int b) { return a + b }
`,
  timeout: `int add(int a, int b) { volatile int x = 0; while (true) { x = x + 1; } return a + b + x; }
`,
};

export const RUST_TESTS = `#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small() { assert_eq!(add(1, 2), 3); }

    #[test]
    fn negative() { assert_eq!(add(-1, -1), -2); }
}
`;

export const RUST = {
  correct: `/// Returns the sum of a and b.
pub fn add(a: i64, b: i64) -> i64 { a + b }
`,
  wrong: `pub fn add(a: i64, b: i64) -> i64 { a - b }
`,
  syntaxError: `pub fn add(a: i64, b: i64) -> i64 { a + }
`,
  timeout: `pub fn add(a: i64, b: i64) -> i64 { let mut x: u64 = 0; loop { x = std::hint::black_box(x + 1); if x == 0 { break; } } a + b }
`,
};
