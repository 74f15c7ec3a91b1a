/**
 * The tasks `rlaif init` writes to data/train.jsonl: three per language, each with tests the exec
 * teacher runs and a reference that passes them (a test checks both), in the README's data format.
 */

/** One line of the starter data file. */
export interface StarterTask {
  readonly id: string;
  readonly language: 'python' | 'cpp' | 'rust';
  readonly prompt: string;
  readonly tests: string;
  readonly reference: string;
}

export const STARTER_TASKS: readonly StarterTask[] = [
  {
    id: 'py-clamp',
    language: 'python',
    prompt: 'Write a Python function `clamp(x: int, lo: int, hi: int) -> int` that returns x limited to the range [lo, hi].',
    tests: 'def test_inside():\n    assert clamp(5, 0, 10) == 5\n\n\ndef test_outside():\n    assert clamp(-3, 0, 10) == 0\n    assert clamp(42, 0, 10) == 10\n',
    reference: 'def clamp(x: int, lo: int, hi: int) -> int:\n    """Return x limited to the range [lo, hi]."""\n    return max(lo, min(x, hi))\n',
  },
  {
    id: 'py-count-vowels',
    language: 'python',
    prompt: 'Write a Python function `count_vowels(s: str) -> int` that counts the vowels (a, e, i, o, u, either case) in s.',
    tests: 'def test_word():\n    assert count_vowels("Banana") == 3\n\n\ndef test_empty_and_none():\n    assert count_vowels("") == 0\n    assert count_vowels("rhythm") == 0\n',
    reference: 'def count_vowels(s: str) -> int:\n    """Count the vowels a, e, i, o, u in s, ignoring case."""\n    return sum(1 for c in s.lower() if c in "aeiou")\n',
  },
  {
    id: 'py-running-max',
    language: 'python',
    prompt: 'Write a Python function `running_max(xs: list[int]) -> list[int]` whose i-th element is the largest of xs[0..i].',
    tests: 'def test_values():\n    assert running_max([3, 1, 4, 1, 5]) == [3, 3, 4, 4, 5]\n\n\ndef test_empty():\n    assert running_max([]) == []\n',
    reference:
      'def running_max(xs: list[int]) -> list[int]:\n    """Return the prefix maxima of xs."""\n    out: list[int] = []\n    for x in xs:\n        out.append(x if not out else max(out[-1], x))\n    return out\n',
  },
  {
    id: 'cpp-gcd',
    language: 'cpp',
    prompt: 'Write a C++ function `long long gcd(long long a, long long b)` that returns the greatest common divisor of two non-negative numbers (gcd(0, 0) = 0).',
    tests: '#include <cassert>\nvoid test_basic() { assert(gcd(12, 18) == 6); }\nvoid test_zero() { assert(gcd(0, 7) == 7); assert(gcd(0, 0) == 0); }\n',
    reference: '// Euclid\'s algorithm: the greatest common divisor of a and b.\nlong long gcd(long long a, long long b) {\n  while (b != 0) {\n    long long r = a % b;\n    a = b;\n    b = r;\n  }\n  return a;\n}\n',
  },
  {
    id: 'cpp-is-palindrome',
    language: 'cpp',
    prompt: 'Write a C++ function `bool is_palindrome(const std::string& s)` that tells whether s reads the same backwards.',
    tests: '#include <cassert>\nvoid test_yes() { assert(is_palindrome("level")); assert(is_palindrome("")); }\nvoid test_no() { assert(!is_palindrome("rlaif")); }\n',
    reference:
      '#include <string>\n\n// True when s reads the same forwards and backwards.\nbool is_palindrome(const std::string& s) {\n  return std::string(s.rbegin(), s.rend()) == s;\n}\n',
  },
  {
    id: 'cpp-sum-even',
    language: 'cpp',
    prompt: 'Write a C++ function `int sum_even(const std::vector<int>& xs)` that returns the sum of the even elements of xs.',
    tests: '#include <cassert>\n#include <vector>\nvoid test_mixed() { assert(sum_even({1, 2, 3, 4}) == 6); }\nvoid test_none() { assert(sum_even({}) == 0); assert(sum_even({-2, 5}) == -2); }\n',
    reference:
      '#include <vector>\n\n// Sum of the even elements of xs.\nint sum_even(const std::vector<int>& xs) {\n  int total = 0;\n  for (int x : xs) {\n    if (x % 2 == 0) total += x;\n  }\n  return total;\n}\n',
  },
  {
    id: 'rs-fizz',
    language: 'rust',
    prompt: 'Write a Rust function `fn fizz(n: u32) -> String` returning "Fizz" for multiples of 3, "Buzz" for multiples of 5, "FizzBuzz" for both and the number otherwise.',
    tests:
      '#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn words() {\n        assert_eq!(fizz(9), "Fizz");\n        assert_eq!(fizz(10), "Buzz");\n        assert_eq!(fizz(30), "FizzBuzz");\n    }\n\n    #[test]\n    fn number() {\n        assert_eq!(fizz(7), "7");\n    }\n}\n',
    reference:
      '/// FizzBuzz for one number.\npub fn fizz(n: u32) -> String {\n    match (n % 3, n % 5) {\n        (0, 0) => "FizzBuzz".to_string(),\n        (0, _) => "Fizz".to_string(),\n        (_, 0) => "Buzz".to_string(),\n        _ => n.to_string(),\n    }\n}\n',
  },
  {
    id: 'rs-reverse-words',
    language: 'rust',
    prompt: 'Write a Rust function `fn reverse_words(s: &str) -> String` that reverses the order of the whitespace-separated words of s, joined by single spaces.',
    tests:
      '#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn words() {\n        assert_eq!(reverse_words("one two  three"), "three two one");\n    }\n\n    #[test]\n    fn empty() {\n        assert_eq!(reverse_words("   "), "");\n    }\n}\n',
    reference: '/// The words of s in reverse order, joined by single spaces.\npub fn reverse_words(s: &str) -> String {\n    s.split_whitespace().rev().collect::<Vec<_>>().join(" ")\n}\n',
  },
  {
    id: 'rs-second-largest',
    language: 'rust',
    prompt: 'Write a Rust function `fn second_largest(xs: &[i32]) -> Option<i32>` returning the second largest distinct value of xs, or None when there is none.',
    tests:
      '#[cfg(test)]\nmod tests {\n    use super::*;\n\n    #[test]\n    fn found() {\n        assert_eq!(second_largest(&[4, 1, 4, 3]), Some(3));\n    }\n\n    #[test]\n    fn missing() {\n        assert_eq!(second_largest(&[2, 2]), None);\n        assert_eq!(second_largest(&[]), None);\n    }\n}\n',
    reference:
      '/// The second largest distinct value of xs, if any.\npub fn second_largest(xs: &[i32]) -> Option<i32> {\n    let max = *xs.iter().max()?;\n    xs.iter().copied().filter(|&x| x < max).max()\n}\n',
  },
];
