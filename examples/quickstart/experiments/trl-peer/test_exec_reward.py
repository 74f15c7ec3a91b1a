"""Checks of exec_reward.py that can fail: right, partly right, not compiling, looping and cheating
candidates in each language, and code extraction as core's `extractCode` does it.

    python test_exec_reward.py
"""
import time

from exec_reward import TEST_SECONDS, extract_code, pass_rate

PY_TESTS = "def test_1():\n    assert solve([1, 2]) == 3\n\n\ndef test_2():\n    assert solve([5]) == 10\n"
CPP_TESTS = "#include <cassert>\n#include <vector>\n\nvoid test_1() { assert(solve({1, 2}) == 3); }\nvoid test_2() { assert(solve({5}) == 10); }\n"
RS_TESTS = "#[test]\nfn test_1() {\n    assert_eq!(solve(&[1, 2]), 3);\n}\n\n#[test]\nfn test_2() {\n    assert_eq!(solve(&[5]), 10);\n}\n"

CASES = [
    # (language, code, tests, expected)
    ("python", "def solve(xs):\n    return sum(xs) if len(xs) > 1 else 2 * xs[0]", PY_TESTS, 1.0),
    ("python", "def solve(xs):\n    return sum(xs)", PY_TESTS, 0.5),
    ("python", "def solve(xs) return 0", PY_TESTS, 0.0),
    ("python", "import sys\ndef solve(xs):\n    print('PASS test_1')\n    sys.exit(0)", PY_TESTS, 0.0),
    ("cpp", "#include <vector>\nint solve(const std::vector<int>& xs) { int s = 0; for (int x : xs) s += x; return xs.size() > 1 ? s : 2 * s; }", CPP_TESTS, 1.0),
    ("cpp", "#include <vector>\nint solve(const std::vector<int>& xs) { int s = 0; for (int x : xs) s += x; return s; }\nint main() { return 1; }", CPP_TESTS, 0.5),
    ("cpp", "int solve(const std::vector<int>& xs) { return 0 }", CPP_TESTS, 0.0),
    ("rust", "fn solve(xs: &[i64]) -> i64 {\n    if xs.len() > 1 { xs.iter().sum() } else { 2 * xs[0] }\n}", RS_TESTS, 1.0),
    ("rust", "fn solve(xs: &[i64]) -> i64 {\n    xs.iter().sum()\n}\nfn main() {}", RS_TESTS, 0.5),
    ("rust", "fn solve(xs: &[i64]) -> i64 { xs.len() }", RS_TESTS, 0.0),
]


def main() -> None:
    for language, code, tests, expected in CASES:
        got = pass_rate(code, language, tests)
        assert got == expected, f"{language}: expected {expected}, got {got} for\n{code}"
    # A test that never returns scores 0 (teacher-exec: any timeout → correctness 0), in about the time limit.
    started = time.perf_counter()
    assert pass_rate("def solve(xs):\n    while True:\n        pass", "python", PY_TESTS) == 0.0
    assert time.perf_counter() - started < TEST_SECONDS + 5
    assert extract_code("Here:\n```text\nnot it\n```\n```python\ndef f():\n    return 1\n```\n", "python") == "def f():\n    return 1"
    assert extract_code("```\n\nfn a() {}\n```", "rust") == "fn a() {}"
    assert extract_code("```cpp\nint f() {\n  return 1;", "cpp") == "int f() {\n  return 1;"
    assert extract_code("def f(): pass  ", "python") == "def f(): pass"
    print(f"{len(CASES) + 5} checks passed")


if __name__ == "__main__":
    main()
