/** C++ candidates of one call are built as one translation unit; scores equal building each alone, and no candidate can reach a sibling. */
import { describe, expect, it } from 'vitest';
import { screenMember } from '../src/languages/cpp-tokens.js';
import { topLevelNames } from '../src/languages/cpp-group.js';
import { withTree } from '../src/syntax/parser.js';
import { CPP, CPP_TESTS, task } from './samples.js';
import { comparableScore, compileCountingTeacher } from './helpers.js';

const countingTeacher = (seed: number) => compileCountingTeacher(seed, (argv) => argv.at(-1)?.endsWith('harness.cpp') === true);

// Warnings of several kinds (one names a function, which a group qualifies by the member's namespace) and a candidate main.
const NOISY = `// Sum.
int add(int a, int b) { int unused = 0; return a + b; }
static int helper_never_used() { return 2; }
int main() { return add(1, 2); }
`;
// Fails with a message naming its function and file: both must read as in a build of its own.
const SAYS_WHERE = `int add(int a, int b) {
  if (a < 0) { std::fprintf(stderr, "%s at %s:%d\\n", __PRETTY_FUNCTION__, __FILE__, __LINE__); __builtin_abort(); }
  return a + b;
}
`;
const THROWS = 'int add(int a, int b) { if (a < 0) throw 1; return a + b; }\n';
// Compiles alone, not in a group: `::add` names the global namespace, where a member's add is not.
const GLOBAL_PATH = 'int add(int a, int b) { return a + b; }\nint twice(int a) { return ::add(a, a); }\n';
// Uses <cassert>, which only the tests include: in a group, as alone, the tests' includes come after it.
const BORROWS = 'int add(int a, int b) { assert(a == a); return a + b; }\n';

const comparable = comparableScore;

describe('C++ group builds', () => {
  it('compiles the candidates of a call once, with the same scores, warnings and failure details as alone', async () => {
    const cppTask = task('cpp', 'group', CPP_TESTS, CPP.correct);
    const codes = [CPP.correct, NOISY, CPP.wrong, SAYS_WHERE, THROWS];
    const grouped = countingTeacher(21);
    const together = await grouped.teacher.score(cppTask, codes.map((code) => ({ code })), null);
    expect(grouped.compiles).toHaveLength(1);

    const alone = countingTeacher(22);
    for (const [i, code] of codes.entries()) {
      const single = await alone.teacher.score(cppTask, [{ code }], null);
      expect(comparable(together.scores[i])).toEqual(comparable(single.scores[0]));
    }
    expect(alone.compiles).toHaveLength(codes.length);
    expect(together.scores[1]?.evidence).toMatch(/unused variable .unused./);
    expect(together.scores[1]?.evidence).toMatch(/.int helper_never_used\(\). defined but not used/);
    expect(together.scores[3]?.execution?.tests[1]?.detail).toBe('int add(int, int) at /build/candidate.cpp:2');
    expect(together.scores.map((score) => score?.execution?.testsPassed)).toEqual([2, 2, 0, 1, 1]);
  }, 120_000);

  it('builds the candidates the errors point to alone and the rest as a group again', async () => {
    const { teacher, compiles } = countingTeacher(23);
    const codes = [CPP.correct, CPP.syntaxError, GLOBAL_PATH, CPP.wrong, '', BORROWS];
    const result = await teacher.score(task('cpp', 'fallback', CPP_TESTS, CPP.correct), codes.map((code) => ({ code })), { code: CPP.correct, source: 'task' });
    // The group of five fails; the three its errors point to go alone, the other two build as a group.
    expect(compiles).toHaveLength(1 + 1 + 3);
    expect(result.scores.map((score) => score?.execution?.compiled)).toEqual([true, false, true, true, false, false]);
    expect(result.scores.map((score) => score?.execution?.testsPassed)).toEqual([2, 0, 2, 0, 0, 0]);
    expect(result.referenceScore?.breakdown.correctness).toBe(1);
  }, 120_000);

  // Each would pass every sibling's tests (or fail them) if it shared their translation unit or binary;
  // with it, the compilations: the siblings' group and the attack alone, or (seen only in the built
  // binary) the refused group of three and each alone.
  const ATTACKS: Record<string, [string, number]> = {
    macro: ['#define add(a, b) ((a) + (b))\nint sum(int a, int b) { return a + b; }\n', 2],
    'redefined assert': ['#define assert(x) ((void)0)\nint add(int a, int b) { return a - b; }\n', 2],
    'digraph directive': ['%:define assert(x) ((void)0)\nint add(int a, int b) { return a - b; }\n', 2],
    'namespace escape': ['int add(int a, int b) { return a - b; }\n}\nextern "C" void __assert_fail(const char*, const char*, unsigned, const char*) {}\nnamespace rlaif_again {\n', 2],
    'namespace escape past a brace in a string': ['const char* s = "{"; int add(int a, int b) { return a - b; }\n}\nvoid __assert_fail(const char*, const char*, unsigned, const char*) {}\nnamespace rlaif_again {\n', 2],
    'static constructor': ['int add(int a, int b) { return a + b; }\nstruct Stop { Stop() { __builtin_exit(1); } } stop_everyone;\n', 2],
    // No call in sight, yet `zero` is not a constant: the division runs before main (SIGFPE).
    'static initialiser seen only in the binary': ['int add(int a, int b) { return a + b; }\nint zero = 0;\nint stop_everyone = 1 / zero;\n', 4],
    'constructor attribute': ['int add(int a, int b) { return a + b; }\n__attribute__((constructor)) static void stop_everyone() { __builtin_exit(1); }\n', 2],
    'destructor in attribute syntax': ['int add(int a, int b) { return a + b; }\n[[gnu::destructor]] static void after_main() { __builtin_exit(1); }\n', 2],
  };

  it.each(Object.entries(ATTACKS))('a candidate with a %s is built alone and cannot change a sibling verdict', async (_, [attack, builds]) => {
    const { teacher, compiles } = countingTeacher(24);
    const codes = [CPP.correct, attack, CPP.wrong];
    const result = await teacher.score(task('cpp', 'attack', CPP_TESTS, CPP.correct), codes.map((code) => ({ code })), null);
    expect(compiles).toHaveLength(builds);
    expect(result.scores[0]?.execution?.testsPassed).toBe(2);
    expect(result.scores[2]?.execution?.testsPassed).toBe(0);
    expect(result.scores[2]?.execution?.tests[0]?.detail).toMatch(/Assertion .*failed/);
  }, 120_000);

  it('screens code that could reach outside its namespace, reading literals and comments as such', () => {
    for (const code of ['#define N 3', '%:define N 3', '??=define N 3', '  # include "x.h"', 'int f() { return 1; } }', 'int f() {', 'int x = 1;\\\n', '<% %>', 'extern "C" int f();', '__attribute__((constructor)) void f() {}', '[[gnu::constructor]] void f() {}', 'asm(".section .init_array");', '_Pragma("GCC optimize(0)")', 'int c = __COUNTER__;', 'const char* s = "unterminated;']) {
      expect(screenMember(code), code).toBeDefined();
    }
    for (const code of ['const char* s = "}#";', "char c = '}';", 'const char* r = R"x(}#)")x";', '// } #define\n', '/* } # */', 'int n = 1\'000\'000;', 'const char* u = u8"{";', 'int f() { return 1; }']) {
      expect(screenMember(code), code).toBeUndefined();
    }
  });

  it('finds the names a candidate declares at namespace scope', async () => {
    const source = 'using namespace std;\nstruct P { int x; };\nenum E { A, B };\nusing ll = long long;\ntemplate <class T> T twice(T x) { return x * 2; }\nnamespace { int helper(int a) { return a; } }\nconst int M = 7;\nbool operator<(P a, P b) { return a.x < b.x; }\n';
    expect(await withTree('cpp', source, (root) => topLevelNames(root, source))).toEqual({ names: ['P', 'E', 'A', 'B', 'll', 'twice', 'helper', 'M', 'operator<'] });
    for (const code of ['std::vector<int> memo(10);', 'int x = f();', 'static union { int a; };', 'extern "C" int f();', 'int f() { return 1; } }']) {
      expect(await withTree('cpp', code, (root) => topLevelNames(root, code)), code).toHaveProperty('reason');
    }
  });
});
